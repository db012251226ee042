import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from '../checks/node.ts';
import { parseScenario } from '../evaluate/scenario.ts';
import {
  allowsAction,
  buildAccessCases,
  buildCompareCases,
  culpritOf,
  DEFAULT_SCENARIOS,
  POWER_USER_ACCESS,
  scenarioSection,
} from './scenario-section.ts';
import type { BenchContext } from './sections.ts';
import type { Doc } from './derive.ts';

describe('the scenarios bench section', () => {
  it('builds its scenarios from the corpus and the published org policies, placeholders kept', async () => {
    const catalog = await loadDefaultCatalog();
    const { shapes, cases } = buildAccessCases(catalog);
    expect(shapes).toHaveLength(DEFAULT_SCENARIOS);
    expect(new Set(shapes.map((s) => s.file)).size).toBe(DEFAULT_SCENARIOS);
    expect(new Set(shapes.map((s) => s.scpLevels))).toEqual(new Set([1, 2, 3]));
    expect(shapes.some((s) => s.boundary)).toBe(true);
    expect(shapes.some((s) => s.resource === 'bucket policy')).toBe(true);
    expect(shapes.some((s) => s.resource === 'key policy')).toBe(true);
    expect(shapes.some((s) => s.placeholders)).toBe(true);
    // every scenario gets the three access lists, and reads as a scenario
    expect(cases).toHaveLength(3 * DEFAULT_SCENARIOS);
    const seen = new Set<unknown>();
    for (const c of cases) {
      if (seen.has(c.scenario)) continue;
      seen.add(c.scenario);
      const s = parseScenario(c.scenario);
      expect(s.scps?.length).toBeGreaterThanOrEqual(1);
      expect(s.rcps).toHaveLength(1);
    }
    expect(JSON.stringify(cases.map((c) => c.scenario))).toContain('<');
    // the not-granted action is granted by no Allow of the identity policy
    for (const c of cases.filter((x) => x.kind === 'not granted'))
      expect(allowsAction(c.scenario.identityPolicies![0] as Doc, c.actions[0]!), c.name).toBe(false);
  });

  it('names the document that holds a value an engine error quotes', async () => {
    const catalog = await loadDefaultCatalog();
    const c = buildAccessCases(catalog).cases.find((x) =>
      JSON.stringify(x.scenario).includes('<my-corporate-cidr>'),
    )!;
    expect(
      culpritOf(c.scenario, c.documents, 'INVALID_VALUE: Statement 0: ... found "<my-corporate-cidr>".'),
    ).toMatch(/^scp\[\d\]\[1\] \(scp\/Protect-cloud-platform-resource__Deny-use-of-IAM-user-credentials/);
    expect(culpritOf(c.scenario, c.documents, 'found "nowhere-to-be-seen"')).toBeUndefined();
  });

  it('PowerUserAccess: everything but IAM, Organizations and Account, with a few of theirs', () => {
    expect(allowsAction(POWER_USER_ACCESS, 's3:DeleteBucket')).toBe(true);
    expect(allowsAction(POWER_USER_ACCESS, 'iam:CreateUser')).toBe(false);
    expect(allowsAction(POWER_USER_ACCESS, 'iam:CreateServiceLinkedRole')).toBe(true);
    expect(allowsAction(POWER_USER_ACCESS, 'organizations:LeaveOrganization')).toBe(false);
    expect(buildCompareCases().map((c) => c.identity)).toEqual([
      'ReadOnlyAccess',
      'ReadOnlyAccess',
      'ReadOnlyAccess',
      'PowerUserAccess',
      'PowerUserAccess',
      'PowerUserAccess',
    ]);
  });

  it('runs one scenario quickly through the engine', async () => {
    const [engine, catalog] = await Promise.all([createNodeEngine(), loadDefaultCatalog()]);
    const lines: string[] = [];
    // the scenario with the smallest identity policy, picked by its name (no compare case matches it)
    const { cases } = buildAccessCases(catalog);
    const size = (c: (typeof cases)[number]) => JSON.stringify(c.scenario.identityPolicies).length;
    const small = cases.reduce((a, b) => (size(b) < size(a) ? b : a));
    const ctx: BenchContext = {
      engine,
      catalog,
      timeoutMs: 10_000,
      filter: small.scenarioName.toLowerCase(),
      log: (l = '') => lines.push(l),
      progress: () => {},
    };
    const res = await scenarioSection.run(ctx);
    expect(res.mismatches).toBe(0);
    const json = res.json as {
      accessNotGranted: { counts: Record<string, number>; runs: { kind: string; result: string }[] };
      compare: unknown[];
    };
    expect(json.compare).toEqual([]);
    expect(json.accessNotGranted.runs).toHaveLength(3);
    expect(json.accessNotGranted.counts).toMatchObject({ UNKNOWN: 0, ERROR: 0 });
    expect(json.accessNotGranted.runs.find((r) => r.kind === 'not granted')?.result).toBe('PASS');
    expect(json.accessNotGranted.runs.find((r) => r.kind === 'granted')?.result).toBe('FAIL');
    expect(lines.join('\n')).toContain('p50 <= 50 ms');
  });
});
