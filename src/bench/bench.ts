/**
 * `npm run bench [-- --json] [--filter <substr>] [--limit N] [--set pairs|largest] [--section <name>] [--timeout-ms N]`
 *
 * One process, one engine. CheckNoNewAccess (IDENTITY_POLICY, timeoutMs 10 000 by default) over:
 *  - pairs:   the 200 (old, new) managed-policy versions in src/fixtures/pairs/*.json: (old, new).
 *  - largest: each policy D in src/fixtures/largest/*.json, three checks:
 *      self   (D, D)            expected PASS
 *      grow   (D minus s, D)    no expectation (FAIL unless s is redundant): the new access is s's
 *      shrink (D, D minus s)    expected PASS (removing an Allow never adds access)
 *    where s is the Allow statement with the most Action entries (first on ties); when D has a
 *    single statement, "D minus s" drops the last entry of that statement's Action list instead.
 * Each check is run twice, as two separately measured modes:
 *   verdict: exactNewAccess false (PASS/FAIL with one counterexample)
 *   exact:   exactNewAccess true  (also the exact newly-granted action list)
 * Reports per set and mode: median / p95 / max ms, PASS/FAIL/UNKNOWN/ERROR counts, mismatches with the
 * expected result (must be 0; listed by name), the share of FAIL counterexamples whose resource has the
 * shape of one of the action's resource types (catalog/realistic.ts fitsAction; `*` for an action
 * without one), the 5 slowest, and a table of the largest policies.
 * Then runs the extra sections of sections.ts (the hook for the recommendation and web benches);
 * `--section <name>` runs only the named sections (and the sets only when --set names them).
 * Exit status 1 when any expectation is not met.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { fitsAction } from '../catalog/realistic.ts';
import { createNodeEngine } from '../checks/node.ts';
import type { CheckOutcome, CheckRequest, CheckResponse } from '../checks/types.ts';
import { extraBenchSections, type BenchContext } from './sections.ts';
import { statementsOf, withoutOneStatement, type Doc } from './derive.ts';
import { ms, nonNegativeInt, summarize, table } from './stats.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAIRS_DIR = join(ROOT, 'src/fixtures/pairs');
const LARGEST_DIR = join(ROOT, 'src/fixtures/largest');
const OUT_DIR = join(ROOT, '.bench-out');

type Mode = 'verdict' | 'exact';
const MODES: Mode[] = ['verdict', 'exact'];
type SetName = 'pairs' | 'largest';

interface Options {
  json: boolean;
  filter?: string;
  limit?: number;
  sets: SetName[];
  /** extra sections to run; empty: all */
  sections: string[];
  timeoutMs: number;
}

const USAGE = `Usage: npm run bench -- [--json] [--filter <substr>] [--limit N] [--set pairs|largest] [--section <name>] [--timeout-ms N]
  --json            also write machine-readable results to .bench-out/bench-<time>.json and .bench-out/latest.json
  --filter <substr> only cases whose name or file contains <substr> (case-insensitive)
  --limit N         at most N cases per set (pairs, largest policies; the scenarios section: N scenarios, default 40)
  --set <name>      only this set (repeatable)
  --section <name>  only this extra section (repeatable: ${extraBenchSections.map((s) => s.name).join(', ')}); the sets
                    then run only when --set names them
  --timeout-ms N    solver budget per check (default 10000)
`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      filter: { type: 'string' },
      limit: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      section: { type: 'string', multiple: true, default: [] },
      'timeout-ms': { type: 'string', default: '10000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const sets = values.set.map((s) => {
    if (s !== 'pairs' && s !== 'largest') throw new Error(`--set is pairs or largest, got '${s}'`);
    return s;
  });
  const known = extraBenchSections.map((s) => s.name);
  for (const s of values.section)
    if (!known.includes(s)) throw new Error(`--section is one of ${known.join(', ')}, got '${s}'`);
  const o: Options = {
    json: values.json,
    sets: sets.length ? sets : values.section.length ? [] : ['pairs', 'largest'],
    sections: values.section,
    timeoutMs: nonNegativeInt(values['timeout-ms'], '--timeout-ms'),
  };
  if (values.filter !== undefined) o.filter = values.filter.toLowerCase();
  if (values.limit !== undefined) o.limit = nonNegativeInt(values.limit, '--limit');
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Cases

interface BenchCase {
  set: SetName;
  /** unique, shown in reports */
  name: string;
  file: string;
  existing: string;
  next: string;
  expected?: 'PASS' | 'FAIL';
  /** pairs: an action the new version must newly grant */
  witnessAction?: string;
  /** largest: the policy this case is built from */
  policy?: string;
  variant?: 'self' | 'grow' | 'shrink';
  bytes: number;
  statements: number;
}

interface PairFile {
  name: string;
  oldVersion: string;
  newVersion: string;
  expected?: { result: 'PASS' | 'FAIL'; witnessAction?: string };
  old: unknown;
  new: unknown;
}

const text = (doc: unknown): string => JSON.stringify(doc, null, 2);

const matches = (o: Options, ...names: string[]) =>
  o.filter === undefined || names.some((n) => n.toLowerCase().includes(o.filter ?? ''));
const limited = <T>(o: Options, xs: T[]): T[] => (o.limit === undefined ? xs : xs.slice(0, o.limit));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'INDEX.json')
    .sort();
}

function pairCases(o: Options): BenchCase[] {
  const files = jsonFiles(PAIRS_DIR).filter((f) => matches(o, f));
  return limited(o, files).map((file) => {
    const p = JSON.parse(readFileSync(join(PAIRS_DIR, file), 'utf8')) as PairFile;
    const existing = text(p.old);
    const next = text(p.new);
    return {
      set: 'pairs',
      name: `${p.name} ${p.oldVersion}->${p.newVersion}`,
      file,
      existing,
      next,
      ...(p.expected ? { expected: p.expected.result } : {}),
      ...(p.expected?.witnessAction ? { witnessAction: p.expected.witnessAction } : {}),
      bytes: existing.length + next.length,
      statements: statementsOf(p.new as Doc).length,
    };
  });
}

const removedNotes = new Map<string, string>();

function largestCases(o: Options): BenchCase[] {
  const files = jsonFiles(LARGEST_DIR).filter((f) => matches(o, f));
  return limited(o, files).flatMap((file): BenchCase[] => {
    const l = JSON.parse(readFileSync(join(LARGEST_DIR, file), 'utf8')) as { name: string; document: Doc };
    const full = text(l.document);
    const { doc, removed } = withoutOneStatement(l.document);
    removedNotes.set(l.name, removed);
    const minus = text(doc);
    const base = {
      set: 'largest' as const,
      file,
      policy: l.name,
      bytes: full.length,
      statements: statementsOf(l.document).length,
    };
    return [
      { ...base, name: `${l.name} self`, variant: 'self', existing: full, next: full, expected: 'PASS' },
      { ...base, name: `${l.name} grow`, variant: 'grow', existing: minus, next: full },
      { ...base, name: `${l.name} shrink`, variant: 'shrink', existing: full, next: minus, expected: 'PASS' },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// Running

interface Run {
  set: SetName;
  name: string;
  file: string;
  mode: Mode;
  ms: number;
  result: 'PASS' | 'FAIL' | 'UNKNOWN' | 'ERROR';
  expected?: string;
  mismatch: boolean;
  /** exact mode, pairs with a witness: the witness action is missing from newAccess */
  witnessMissing?: boolean;
  detail?: string;
  newAccessCount?: number;
  counterexamples?: number;
  /** FAIL: counterexamples whose action the catalog knows, and those whose resource fits its resource types */
  resourcesJudged?: number;
  resourcesFitting?: number;
  solverCalls?: number;
  engineMs?: number;
  policy?: string;
  variant?: string;
  bytes: number;
  statements: number;
}

function newAccessActions(r: CheckResponse): string[] {
  return (r.newAccess?.services ?? []).flatMap((s) => s.actions.map((a) => a.action.toLowerCase()));
}

async function runOne(ctx: BenchContext, c: BenchCase, mode: Mode): Promise<Run> {
  const req: CheckRequest = {
    check: 'CheckNoNewAccess',
    existingPolicyDocument: c.existing,
    newPolicyDocument: c.next,
    policyType: 'IDENTITY_POLICY',
    exactNewAccess: mode === 'exact',
  };
  const t0 = performance.now();
  // an engine that throws is the bench's own finding, not an input error
  let outcome: CheckOutcome | { ok: false; error: { code: 'THROWN'; message: string } };
  try {
    outcome = await ctx.engine.run(req, { timeoutMs: ctx.timeoutMs });
  } catch (e) {
    outcome = { ok: false, error: { code: 'THROWN', message: (e as Error).message } };
  }
  const elapsed = performance.now() - t0;
  const oneLine = (x: string) => {
    const t = x.replace(/\s+/g, ' ').trim();
    return t.length > 240 ? `${t.slice(0, 240)}...` : t;
  };
  const base = {
    set: c.set,
    name: c.name,
    file: c.file,
    mode,
    ms: elapsed,
    ...(c.expected ? { expected: c.expected } : {}),
    ...(c.policy ? { policy: c.policy, variant: c.variant } : {}),
    bytes: c.bytes,
    statements: c.statements,
  };
  if (!outcome.ok) {
    return {
      ...base,
      result: 'ERROR',
      mismatch: c.expected !== undefined,
      detail: `${outcome.error.code}: ${outcome.error.message}`,
    };
  }
  const r = outcome.response as CheckResponse;
  const run: Run = {
    ...base,
    result: r.result,
    mismatch: c.expected !== undefined && r.result !== c.expected,
    counterexamples: r.counterexamples.length,
    solverCalls: r.stats.solverCalls,
    engineMs: r.stats.elapsedMs,
    ...(r.unknownReason ? { detail: oneLine(r.unknownReason) } : {}),
    ...(r.newAccess ? { newAccessCount: r.newAccess.count } : {}),
  };
  if (r.result === 'FAIL') {
    const fits = r.counterexamples
      .map((ce) => fitsAction(ctx.catalog, ce.request.action, ce.request.resource))
      .filter((f) => f !== undefined);
    run.resourcesJudged = fits.length;
    run.resourcesFitting = fits.filter((f) => f).length;
  }
  if (mode === 'exact' && c.witnessAction && r.result === 'FAIL') {
    run.witnessMissing = !newAccessActions(r).includes(c.witnessAction.toLowerCase());
  }
  return run;
}

// ---------------------------------------------------------------------------------------------------
// Report

function countBy(runs: Run[]): Record<Run['result'], number> {
  const c = { PASS: 0, FAIL: 0, UNKNOWN: 0, ERROR: 0 };
  for (const r of runs) c[r.result]++;
  return c;
}

function report(
  log: (l?: string) => void,
  runs: Run[],
  set: SetName,
  timeoutMs: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const mode of MODES) {
    const rs = runs.filter((r) => r.set === set && r.mode === mode);
    if (rs.length === 0) continue;
    const s = summarize(rs.map((r) => r.ms));
    const counts = countBy(rs);
    const mismatches = rs.filter((r) => r.mismatch);
    const missing = rs.filter((r) => r.witnessMissing);
    const slowest = [...rs].sort((a, b) => b.ms - a.ms).slice(0, 5);
    log(
      `## ${set} / ${mode} (${mode === 'verdict' ? 'exactNewAccess:false, one counterexample' : 'exactNewAccess:true, exact new access'})`,
    );
    log(
      `checks ${s.n}   median ${ms(s.median)} ms   p95 ${ms(s.p95)} ms   max ${ms(s.max)} ms   total ${(s.total / 1000).toFixed(1)} s`,
    );
    const over = rs.filter((r) => r.ms > timeoutMs * 1.2 + 1000);
    log(
      `PASS ${counts.PASS}   FAIL ${counts.FAIL}   UNKNOWN ${counts.UNKNOWN}   ERROR ${counts.ERROR}   over the ${timeoutMs} ms budget: ${over.length}`,
    );
    log(
      `expected-result mismatches: ${mismatches.length} (of ${rs.filter((r) => r.expected).length} with an expectation)`,
    );
    for (const m of mismatches)
      log(
        `  MISMATCH ${m.name} [${m.file}]: expected ${m.expected}, got ${m.result}${m.detail ? ` (${m.detail})` : ''}`,
      );
    const judged = rs.reduce((n, r) => n + (r.resourcesJudged ?? 0), 0);
    const fitting = rs.reduce((n, r) => n + (r.resourcesFitting ?? 0), 0);
    log(
      `realistic resources: ${fitting} of ${judged} FAIL counterexamples (${judged ? ((100 * fitting) / judged).toFixed(1) : '-'}%) name a resource of the action's own type (* for an action without one)`,
    );
    if (mode === 'exact') {
      log(`witness action missing from newAccess: ${missing.length}`);
      for (const m of missing) log(`  MISSING WITNESS ${m.name} [${m.file}]`);
    }
    const unknowns = rs.filter((r) => (r.result === 'UNKNOWN' || r.result === 'ERROR') && !r.mismatch);
    if (unknowns.length > 0) {
      log(`UNKNOWN/ERROR without an expectation: ${unknowns.length}`);
      for (const u of unknowns.slice(0, 10))
        log(`  ${u.result} ${u.name}${u.detail ? ` (${u.detail})` : ''}`);
      if (unknowns.length > 10) log(`  ... and ${unknowns.length - 10} more`);
    }
    log('5 slowest:');
    for (const r of slowest) log(`  ${ms(r.ms).padStart(8)} ms  ${r.result.padEnd(7)} ${r.name}`);
    log();
    out[mode] = {
      times: s,
      counts,
      overBudget: over.map((r) => ({ name: r.name, ms: r.ms })),
      mismatches: mismatches.map((m) => ({
        name: m.name,
        file: m.file,
        expected: m.expected,
        got: m.result,
        detail: m.detail,
      })),
      witnessMissing: missing.map((m) => m.name),
      realisticResources: { fitting, judged },
      slowest: slowest.map((r) => ({ name: r.name, ms: r.ms, result: r.result })),
    };
  }
  return out;
}

function largestTable(log: (l?: string) => void, runs: Run[]): void {
  const ls = runs.filter((r) => r.set === 'largest');
  if (ls.length === 0) return;
  const policies = [...new Set(ls.map((r) => r.policy ?? ''))];
  const cell = (p: string, v: string, m: Mode): string => {
    const r = ls.find((x) => x.policy === p && x.variant === v && x.mode === m);
    if (!r) return '-';
    const tag = r.result === 'PASS' ? 'P' : r.result === 'FAIL' ? 'F' : r.result === 'UNKNOWN' ? 'U' : 'E';
    return `${ms(r.ms)} ${tag}${r.mismatch ? '!' : ''}`;
  };
  const rows = policies
    .map((p) => {
      const any = ls.find((x) => x.policy === p);
      return { p, bytes: any?.bytes ?? 0, statements: any?.statements ?? 0 };
    })
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ p, bytes, statements }) => [
      p,
      `${(bytes / 1024).toFixed(0)}K`,
      String(statements),
      cell(p, 'self', 'verdict'),
      cell(p, 'self', 'exact'),
      cell(p, 'grow', 'verdict'),
      cell(p, 'grow', 'exact'),
      cell(p, 'shrink', 'verdict'),
      cell(p, 'shrink', 'exact'),
    ]);
  log('## largest policies: ms and result (P/F/U/E; ! = differs from the expected result)');
  log(
    'self = (D, D), grow = (D minus s, D), shrink = (D, D minus s); s = the Allow statement with the most actions',
  );
  log(
    table(
      [
        'policy',
        'size',
        'stmts',
        'self/verdict',
        'self/exact',
        'grow/verdict',
        'grow/exact',
        'shrink/verdict',
        'shrink/exact',
      ],
      rows,
    ),
  );
  log();
}

function gitCommit(): string | undefined {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const lines: string[] = [];
  const log = (l = '') => {
    lines.push(l);
    process.stdout.write(l + '\n');
  };
  const progress = (l: string) => process.stderr.write(l + '\n');

  const cases = [
    ...(opts.sets.includes('pairs') ? pairCases(opts) : []),
    ...(opts.sets.includes('largest') ? largestCases(opts) : []),
  ];
  const t0 = performance.now();
  const [engine, catalog] = await Promise.all([createNodeEngine(), loadDefaultCatalog()]);
  const initMs = performance.now() - t0;
  const ctx: BenchContext = {
    engine,
    catalog,
    timeoutMs: opts.timeoutMs,
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    log,
    progress,
  };

  log(`# CheckNoNewAccess benchmark (IDENTITY_POLICY, timeoutMs ${opts.timeoutMs})`);
  log(
    `commit ${gitCommit() ?? '?'}   node ${process.version}   catalog ${catalog.version}   engine+catalog init ${ms(initMs)} ms`,
  );
  log(
    `cases: ${cases.filter((c) => c.set === 'pairs').length} pairs, ${cases.filter((c) => c.set === 'largest').length} largest-policy checks`,
  );
  for (const [p, removed] of removedNotes)
    if (cases.some((c) => c.policy === p)) progress(`largest ${p}: s = ${removed}`);
  log();

  // warm-up (not measured): JIT, solver first-use
  await engine.run(
    {
      check: 'CheckNoNewAccess',
      existingPolicyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
      newPolicyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}',
      policyType: 'IDENTITY_POLICY',
    },
    { timeoutMs: opts.timeoutMs },
  );

  const runs: Run[] = [];
  for (const mode of MODES) {
    let k = 0;
    for (const c of cases) {
      const r = await runOne(ctx, c, mode);
      runs.push(r);
      k++;
      if (r.ms > 2000 || r.mismatch)
        progress(
          `[${mode}] ${c.name}: ${r.result} in ${ms(r.ms)} ms${r.mismatch ? ` (expected ${r.expected})` : ''}`,
        );
      if (k % 25 === 0 || k === cases.length) progress(`[${mode}] ${k}/${cases.length}`);
    }
  }

  const firstError = runs.find((r) => r.result === 'ERROR');
  if (firstError) {
    // one engine serves every check: an error that leaves the solver context dirty cascades
    log(
      `first engine error (later ones may be its consequence): [${firstError.mode}] ${firstError.name} [${firstError.file}]: ${firstError.detail ?? ''}`,
    );
    log();
  }
  const summary: Record<string, unknown> = {};
  for (const set of opts.sets) summary[set] = report(log, runs, set, opts.timeoutMs);
  largestTable(log, runs);

  let mismatches = runs.filter((r) => r.mismatch || r.witnessMissing).length;
  const sections: Record<string, unknown> = {};
  for (const section of extraBenchSections.filter(
    (s) => opts.sections.length === 0 || opts.sections.includes(s.name),
  )) {
    log(`# ${section.name}: ${section.description}`);
    try {
      const res = await section.run(ctx);
      sections[section.name] = res.json;
      mismatches += res.mismatches;
    } catch (e) {
      log(`section ${section.name} crashed: ${(e as Error).stack ?? String(e)}`);
      sections[section.name] = { crashed: String(e) };
      mismatches++;
    }
    log();
  }

  const mem = process.memoryUsage();
  log(
    `total ${((performance.now() - t0) / 1000).toFixed(1)} s   rss ${(mem.rss / 2 ** 20).toFixed(0)} MB   problems ${mismatches}`,
  );

  if (opts.json) {
    mkdirSync(OUT_DIR, { recursive: true });
    const payload = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      node: process.version,
      catalog: catalog.version,
      options: opts,
      initMs,
      removedStatements: Object.fromEntries(removedNotes),
      summary,
      sections,
      runs,
      rssBytes: mem.rss,
      report: lines.join('\n'),
    };
    const body = JSON.stringify(payload, null, 2) + '\n';
    const file = join(OUT_DIR, `bench-${payload.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, body);
    writeFileSync(join(OUT_DIR, 'latest.json'), body);
    progress(`wrote ${file} (and latest.json)`);
  }
  return mismatches > 0 ? 1 : 0;
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  },
);
