import { describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/catalog.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import {
  allowedCatalogActions,
  formatUnused,
  parseUnusedText,
  toggleUnused,
  unusedKeys,
} from './unusedInput.ts';

describe('parseUnusedText', () => {
  it('reads the findings list of the worked example', () => {
    const r = parseUnusedText(JSON.stringify(seed.unusedPermissions, null, 2));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries).toEqual(seed.unusedPermissions);
    expect(r.empty).toBe(false);
  });

  it('treats blank text as "nothing unused yet"', () => {
    expect(parseUnusedText('  \n')).toEqual({ ok: true, entries: [], empty: true });
    expect(parseUnusedText('[]')).toEqual({ ok: true, entries: [], empty: true });
  });

  it('reads a whole Access Analyzer finding with {action, lastAccessed} items', () => {
    const finding = {
      findingDetails: [
        {
          unusedPermissionDetails: {
            serviceNamespace: 's3',
            actions: [{ action: 'GetObject', lastAccessed: '2024-01-01T00:00:00Z' }, { action: 'PutObject' }],
            lastAccessed: '2024-01-01T00:00:00Z',
          },
        },
        { unusedIamRoleDetails: { lastAccessed: 'x' } },
      ],
    };
    const r = parseUnusedText(JSON.stringify(finding));
    expect(r).toEqual({
      ok: true,
      entries: [{ serviceNamespace: 's3', actions: ['GetObject', 'PutObject'] }],
      empty: false,
    });
  });

  it('says where malformed JSON breaks', () => {
    const r = parseUnusedText('[\n  {"serviceNamespace": "s3", "actions": [}\n]');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/not valid JSON/);
    expect(r.line).toBe(2);
    expect(r.column).toBe(42); // the `}` where a value was expected
    expect(r.message).toContain('line 2, column 42');
  });

  it('names the field that has the wrong shape', () => {
    const cases: [string, RegExp][] = [
      ['[{"service": "s3", "actions": []}]', /\[0\]\.serviceNamespace must be a service prefix/],
      ['[{"serviceNamespace": "s3", "actions": "GetObject"}]', /\[0\]\.actions must be a list/],
      [
        '[{"serviceNamespace": "s3", "actions": ["GetObject", 7]}]',
        /\[0\]\.actions\[1\] must be an action name/,
      ],
      ['["s3:GetObject"]', /\[0\] must be \{"serviceNamespace"/],
      ['{"serviceNamespace": "s3"}', /Expected a list like/],
      ['42', /Expected a list like/],
    ];
    for (const [text, re] of cases) {
      const r = parseUnusedText(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message, text).toMatch(re);
    }
  });
});

describe('checklist edits', () => {
  const start = [{ serviceNamespace: 's3', actions: ['GetObject', 's3:PutObject'] }];

  it('adds to the service entry, or a new entry, and never twice', () => {
    const a = toggleUnused(start, 's3:DeleteBucket', true);
    expect(a).toEqual([{ serviceNamespace: 's3', actions: ['GetObject', 's3:PutObject', 'DeleteBucket'] }]);
    expect(toggleUnused(a, 's3:deletebucket', true)).toEqual(a);
    const b = toggleUnused(a, 'iam:PassRole', true);
    expect(b[1]).toEqual({ serviceNamespace: 'iam', actions: ['PassRole'] });
    expect(start[0]!.actions).toHaveLength(2); // not mutated
  });

  it('removes every spelling and drops entries left empty', () => {
    expect(toggleUnused(start, 's3:PutObject', false)).toEqual([
      { serviceNamespace: 's3', actions: ['GetObject'] },
    ]);
    expect(toggleUnused(toggleUnused(start, 's3:putobject', false), 'S3:GetObject', false)).toEqual([]);
  });

  it('formats text that reads back to the same entries', () => {
    const entries = toggleUnused(toggleUnused(start, 'iam:PassRole', true), 'ec2:RunInstances', true);
    const text = formatUnused(entries);
    const back = parseUnusedText(text);
    expect(back.ok && back.entries).toEqual(entries);
    expect(formatUnused([])).toBe('[]');
    expect(unusedKeys(entries)).toEqual(
      new Set(['s3:getobject', 's3:putobject', 'iam:passrole', 'ec2:runinstances']),
    );
  });
});

describe('allowedCatalogActions', () => {
  const catalog = Catalog.fromActions([
    's3:GetObject',
    's3:GetObjectAcl',
    's3:PutObject',
    's3:DeleteBucket',
    'ec2:RunInstances',
    'ec2:DescribeInstances',
    'iam:PassRole',
  ]);
  const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  it('expands Allow patterns, ignores Deny', () => {
    const got = allowedCatalogActions(
      policy([
        { Effect: 'Allow', Action: ['s3:Get*', 'ec2:runinstances'], Resource: '*' },
        { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ]),
      catalog,
    );
    expect(got?.map((a) => a.display)).toEqual(['ec2:RunInstances', 's3:GetObject', 's3:GetObjectAcl']);
  });

  it('takes everything outside NotAction and matches wildcard services', () => {
    const notAction = allowedCatalogActions(
      policy([{ Effect: 'Allow', NotAction: ['s3:*', 'iam:PassRole'], Resource: '*' }]),
      catalog,
    );
    expect(notAction?.map((a) => a.display)).toEqual(['ec2:DescribeInstances', 'ec2:RunInstances']);
    const wild = allowedCatalogActions(
      policy([{ Effect: 'Allow', Action: '*:Describe*', Resource: '*' }]),
      catalog,
    );
    expect(wild?.map((a) => a.display)).toEqual(['ec2:DescribeInstances']);
  });

  it('is undefined for a policy that does not parse', () => {
    expect(allowedCatalogActions('{"Statement": [', catalog)).toBeUndefined();
  });
});
