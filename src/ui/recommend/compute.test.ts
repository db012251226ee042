import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../../catalog/catalog.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import { computeRecommendation, nextChoices, recommendedSide } from './compute.ts';

const policyText = JSON.stringify(seed.policyDocument, null, 2);
const KEY = '1|s3:Get*';
let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

function compute(choices: Record<string, string[]>, text = policyText) {
  const r = computeRecommendation(text, seed.unusedPermissions, catalog, choices);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('computeRecommendation', () => {
  it('without choices is the engine default, with its covers as defaults', () => {
    const c = compute({});
    expect(c.ignored).toEqual([]);
    expect(c.applied).toEqual({});
    expect(c.defaults[KEY]).toContain('s3:GetMulti');
    expect(c.rec.refinements[0]?.custom).toBe(false);
  });

  it('applies a valid choice', () => {
    const def = compute({}).defaults[KEY]!;
    const choice = [...def.filter((id) => id !== 's3:GetMulti'), 's3:GetMultiRegion'];
    const c = compute({ [KEY]: choice });
    expect(c.ignored).toEqual([]);
    expect(c.rec.refinements[0]?.replacement).toContain('s3:GetMultiRegion*');
    expect(c.rec.refinements[0]?.replacement).not.toContain('s3:GetMulti*');
  });

  it('sets aside stale and invalid choices, keeps the valid ones, never fails for them', () => {
    const def = compute({}).defaults[KEY]!;
    const good = [...def.filter((id) => id !== 's3:GetMulti'), 's3:GetMultiRegion'];
    const c = compute({ [KEY]: good, '7|ec2:*': ['ec2:Describe'] });
    expect(c.applied).toEqual({ [KEY]: good });
    expect(c.ignored.map((i) => i.key)).toEqual(['7|ec2:*']);
    expect(c.rec.refinements[0]?.replacement).toContain('s3:GetMultiRegion*');

    // An unsafe node (it would grant unused GetBucket* actions) is refused with the engine's reason.
    const bad = compute({ [KEY]: [...def, 's3:GetBucket'] });
    expect(bad.applied).toEqual({});
    expect(bad.ignored[0]?.reason).toMatch(/not safe/);
    expect(bad.rec.refinements[0]?.custom).toBe(false);
  });

  it('a policy that does not parse is an error, not a throw', () => {
    const r = computeRecommendation('{"Statement": [', seed.unusedPermissions, catalog, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('POLICY_PARSE_ERROR');
  });

  it('bad unused entries are the engine error INVALID_UNUSED', () => {
    const r = computeRecommendation(policyText, [{ serviceNamespace: 's3', actions: ['Get*'] }], catalog, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_UNUSED');
  });
});

describe('nextChoices', () => {
  it('stores a custom cover and forgets one equal to the default', () => {
    const c = compute({});
    const def = c.defaults[KEY]!;
    const custom = [...def.filter((id) => id !== 's3:GetMulti'), 's3:GetMultiRegion'];
    expect(nextChoices(c, KEY, custom)).toEqual({ [KEY]: custom });
    const c2 = compute({ [KEY]: custom });
    expect(nextChoices(c2, KEY, [...def].reverse())).toEqual({});
  });
});

describe('recommendedSide', () => {
  it('with nothing to remove is the policy itself (the diff shows no change, not everything deleted)', () => {
    expect(recommendedSide(policyText, undefined)).toBe(policyText);
  });

  it('with a recommendation is the recommended policy', () => {
    const rec = compute({}).rec;
    expect(rec.recommendedPolicy).toBeDefined();
    expect(recommendedSide(policyText, rec)).toBe(rec.recommendedPolicy);
    expect(recommendedSide(policyText, rec)).not.toBe(policyText);
  });

  it('with DETACH_POLICY is empty: the whole policy goes', () => {
    const rec = {
      ...compute({}).rec,
      recommendedAction: 'DETACH_POLICY' as const,
      recommendedPolicy: undefined,
    };
    expect(recommendedSide(policyText, rec)).toBe('');
  });
});
