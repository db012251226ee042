import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.ts';
import { parsePolicy } from '../policy/parse.ts';
import { derivativeGlobs, globMatch } from './glob.ts';
import { GRANTS_NOTHING_POLICY, proofRequests } from './proof.ts';
import {
  recommend,
  type Recommendation,
  type RecommendOptions,
  type UnusedPermissionsEntry,
} from './recommend.ts';
import { tokenize } from './tokenize.ts';
import { findNode, generalize, specialize } from './trie.ts';

const catalog = Catalog.fromActions([
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionTagging',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketPolicy',
  's3:GetBucketTagging',
  's3:GetJobTagging',
  's3:ListBucket',
  's3:ListAllMyBuckets',
  's3:PutObject',
  'ec2:DescribeInstances',
  'ec2:DescribeVolumes',
  'ec2:RunInstances',
  'lambda:InvokeFunction',
  'lambda:GetFunction',
  'iam:GetRole',
  'iam:PassRole',
]);

type Doc = { Version?: string; Statement: Record<string, unknown>[] | Record<string, unknown> };
const policy = (...Statement: Record<string, unknown>[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
});

function run(text: string, unused: UnusedPermissionsEntry[], options?: RecommendOptions): Recommendation {
  const r = recommend(text, unused, catalog, options);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
function doc(rec: Recommendation): Doc {
  return JSON.parse(rec.recommendedPolicy ?? 'null') as Doc;
}
function actionsOf(rec: Recommendation, i = 0): string[] {
  const st = (doc(rec).Statement as Record<string, unknown>[])[i]!;
  const a = st.Action ?? st.NotAction;
  return (typeof a === 'string' ? [a] : (a as string[])).slice().sort();
}

describe('tokeniser', () => {
  it.each([
    ['GetMultiRegionAccessPoint', ['Get', 'Multi', 'Region', 'Access', 'Point']],
    ['GetBucketCORS', ['Get', 'Bucket', 'CORS']],
    ['GetBucketAcl', ['Get', 'Bucket', 'Acl']],
    ['ListDBInstances', ['List', 'DB', 'Instances']],
    ['PutACLPolicy', ['Put', 'ACL', 'Policy']],
    ['ListRoute53HealthChecks', ['List', 'Route53', 'Health', 'Checks']],
    ['StartICD10CMInferenceJob', ['Start', 'ICD10', 'CM', 'Inference', 'Job']],
    ['CreateEnvironmentEC2', ['Create', 'Environment', 'EC2']],
    ['DetectEntitiesV2', ['Detect', 'Entities', 'V2']],
    ['uploadFiles', ['upload', 'Files']],
    [
      'AssociateViaAWSService-EventsAndStates',
      ['Associate', 'Via', 'AWS', 'Service', '-', 'Events', 'And', 'States'],
    ],
  ])('%s', (name, tokens) => {
    expect(tokenize(name)).toEqual(tokens);
    expect(tokenize(name).join('')).toBe(name);
  });
});

describe('globs', () => {
  it('match case-insensitively with * and ?', () => {
    expect(globMatch('S3:get*', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:GetObjec?', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:GetObjec?', 's3:GetObjectAcl')).toBe(false);
    expect(globMatch('*', 'anything:AtAll')).toBe(true);
  });
  it('derive a glob by a literal prefix', () => {
    expect(derivativeGlobs('s3:Get*', 's3:GetObject')).toEqual(['s3:GetObject*']);
    // exact: `GetObjectagging` also starts with GetObject and matches Get*Tagging (the recommender drops
    // branches that no known action takes)
    expect(derivativeGlobs('s3:Get*Tagging', 's3:GetObject')).toEqual([
      's3:GetObject*Tagging',
      's3:GetObjectagging',
    ]);
    expect(derivativeGlobs('*', 's3:')).toEqual(['s3:*']);
    expect(derivativeGlobs('s3:Get?bject*', 's3:GetO')).toEqual(['s3:GetObject*']);
    expect(derivativeGlobs('s3:Put*', 's3:Get')).toEqual([]);
  });
});

describe('recommend: edge cases', () => {
  it('removes explicit unused actions, case-insensitively, and keeps Sid, Resource, Condition', () => {
    const cond = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const text = policy(
      allow(['iam:GetRole', 'IAM:passrole'], {
        Sid: 'Roles',
        Resource: 'arn:aws:iam::1:role/*',
        Condition: cond,
      }),
    );
    const rec = run(text, [{ serviceNamespace: 'IAM', actions: ['PassRole'] }]);
    const st = (doc(rec).Statement as Record<string, unknown>[])[0]!;
    expect(st).toEqual({
      Effect: 'Allow',
      Action: ['iam:GetRole'],
      Resource: 'arn:aws:iam::1:role/*',
      Sid: 'Roles',
      Condition: cond,
    });
    expect(Object.keys(st)).toEqual(Object.keys(JSON.parse(text).Statement[0]));
    expect(rec.removedActions).toEqual([{ statementIndex: 0, action: 'IAM:passrole' }]);
    expect(rec.recommendedPolicy).toBe(JSON.stringify(doc(rec), null, 2));
  });

  it('leaves wildcards with no unused action under them as written, and flags them for future actions', () => {
    const rec = run(policy(allow(['lambda:Invoke*', 's3:Get*'])), [
      { serviceNamespace: 's3', actions: ['PutObject'] },
    ]);
    expect(actionsOf(rec)).toEqual(['lambda:Invoke*', 's3:Get*']);
    expect(rec.refinements).toEqual([]);
    expect(rec.changed).toBe(false);
    expect(rec.futureProofing.map((f) => [f.pattern, f.origin])).toEqual([
      ['lambda:Invoke*', 'kept'],
      ['s3:Get*', 'kept'],
    ]);
  });

  it('refines several wildcards over several services; Deny statements are left alone', () => {
    const deny = { Sid: 'NoPass', Effect: 'Deny', Action: 'iam:Pass*', Resource: '*' };
    const text = policy(allow(['s3:Get*', 'ec2:Describe*', 'iam:*']), deny);
    const rec = run(text, [
      {
        serviceNamespace: 's3',
        actions: ['GetBucketAcl', 'GetBucketCORS', 'GetBucketPolicy', 'GetBucketTagging', 'GetObjectAcl'],
      },
      { serviceNamespace: 'ec2', actions: ['DescribeVolumes'] },
      { serviceNamespace: 'iam', actions: ['PassRole'] },
    ]);
    expect(actionsOf(rec)).toEqual([
      'ec2:DescribeInstances',
      'iam:GetRole',
      's3:GetJobTagging',
      's3:GetObject',
      's3:GetObjectTagging',
      's3:GetObjectVersion*',
    ]);
    expect((doc(rec).Statement as unknown[])[1]).toEqual(deny);
    // GetObject ends where GetObjectAcl continues: an exact node keeps it
    const trie = rec.refinements.find((r) => r.key === '0|s3:Get*')!.trie;
    expect(findNode(trie, 's3:GetObject')?.node.safe).toBe(false);
    expect(findNode(trie, 's3:GetObject$')?.node).toMatchObject({
      exact: true,
      safe: true,
      chosen: true,
      emits: ['s3:GetObject'],
    });
    expect(rec.futureProofing.map((f) => [f.pattern, f.origin])).toEqual([
      ['s3:GetObjectVersion*', 'refined'],
    ]);
  });

  it('handles service:* and *', () => {
    const unused = [{ serviceNamespace: 's3', actions: ['PutObject'] }];
    expect(actionsOf(run(policy(allow('s3:*')), unused))).toEqual(['s3:Get*', 's3:List*']);
    const all = run(policy(allow('*')), unused);
    expect(actionsOf(all)).toEqual(['ec2:*', 'iam:*', 'lambda:*', 's3:Get*', 's3:List*']);
    expect(all.refinements[0]!.trie.id).toBe('');
    expect(all.refinements[0]!.trie.children.map((c) => c.id)).toEqual(['ec2:', 'iam:', 'lambda:', 's3:']);
  });

  it('handles ? wildcards and patterns with an inner *', () => {
    // every action s3:GetObjec? matches is unused: the wildcard goes, and the result says so
    const gone = run(policy(allow(['s3:GetObjec?', 's3:ListBucket'])), [
      { serviceNamespace: 's3', actions: ['GetObject'] },
    ]);
    expect(actionsOf(gone)).toEqual(['s3:ListBucket']);
    expect(gone.droppedWildcards).toEqual([{ statementIndex: 0, pattern: 's3:GetObjec?' }]);
    // inner *: the refined patterns stay inside the original wildcard
    const inner = run(policy(allow('s3:Get*Tagging')), [
      { serviceNamespace: 's3', actions: ['GetBucketTagging', 'GetObjectAcl'] },
    ]);
    expect(actionsOf(inner)).toEqual(['s3:GetJobTagging', 's3:GetObject*Tagging']);
    expect(
      catalog.actions.filter((a) => globMatch('s3:GetObject*Tagging', a.display)).map((a) => a.name),
    ).toEqual(['GetObjectTagging', 'GetObjectVersionTagging']);
  });

  it('handles mixed case in the policy and in the unused list', () => {
    const rec = run(policy(allow(['S3:getobject*'])), [
      { serviceNamespace: 'S3', actions: ['getobjectacl', 's3:GETOBJECTTAGGING'] },
    ]);
    expect(actionsOf(rec)).toEqual(['s3:GetObject', 's3:GetObjectVersion*']);
    expect(rec.unusedActions).toEqual(['s3:GetObjectAcl', 's3:GetObjectTagging']);
  });

  it('uses string prefixes, not trie descent, for safety', () => {
    const cat = Catalog.fromActions(['s3:GetObjectA', 's3:GetObjectB', 's3:GetObjectsList', 's3:GetOther']);
    const r = recommend(
      policy(allow('s3:Get*')),
      [{ serviceNamespace: 's3', actions: ['GetObjectsList'] }],
      cat,
    );
    if (!r.ok) throw new Error(r.error.message);
    // s3:GetObject* would admit GetObjectsList
    expect(actionsOf(r.value)).toEqual(['s3:GetObjectA', 's3:GetObjectB', 's3:GetOther']);
  });

  it('adds unused actions to NotAction, collapsed where every allowed action under a prefix is unused', () => {
    const text = policy({ Sid: 'Broad', Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' });
    const rec = run(text, [
      {
        serviceNamespace: 's3',
        actions: ['GetBucketAcl', 'GetBucketCORS', 'GetBucketPolicy', 'GetBucketTagging', 'PutObject'],
      },
      { serviceNamespace: 'ec2', actions: ['DescribeInstances', 'DescribeVolumes', 'RunInstances'] },
      { serviceNamespace: 'iam', actions: ['PassRole'] },
    ]);
    expect(actionsOf(rec)).toEqual(['ec2:*', 'iam:*', 's3:GetBucket*', 's3:PutObject']);
    expect(rec.refinements[0]).toMatchObject({ key: '0|NotAction', element: 'NotAction', sid: 'Broad' });
    expect(rec.futureProofing.map((f) => f.origin)).toEqual(['notAction']);
    // a NotAction statement never collapses to "*": other services stay allowed
    const only = run(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), [
      { serviceNamespace: 'ec2', actions: ['DescribeInstances', 'DescribeVolumes', 'RunInstances'] },
    ]);
    expect(actionsOf(only)).toEqual(['ec2:*', 'iam:*']);
  });

  it('keeps actions outside the catalog as written and reports them', () => {
    const rec = run(policy(allow(['s3:MadeUpAction', 'foo:Bar*', 's3:Get*'])), [
      { serviceNamespace: 's3', actions: ['GetBucketAcl', 'GetBrandNewThing'] },
    ]);
    expect(actionsOf(rec)).toContain('s3:MadeUpAction');
    expect(actionsOf(rec)).toContain('foo:Bar*');
    expect(rec.outsideCatalog).toEqual([
      { statementIndex: 0, action: 's3:MadeUpAction' },
      { statementIndex: 0, action: 'foo:Bar*' },
    ]);
    // an unused action outside the catalog is still excluded from the refined wildcard
    expect(actionsOf(rec).some((a) => globMatch(a, 's3:GetBrandNewThing'))).toBe(false);
    expect(actionsOf(rec).some((a) => globMatch(a, 's3:GetBucketAcl'))).toBe(false);
  });

  it('removes statements left empty, keeps order, and maps statements back', () => {
    const text = policy(
      allow(['iam:PassRole'], { Sid: 'A' }),
      allow(['s3:ListBucket'], { Sid: 'B' }),
      { Sid: 'C', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' },
      allow('lambda:*', { Sid: 'D' }),
    );
    const rec = run(text, [
      { serviceNamespace: 'iam', actions: ['PassRole'] },
      { serviceNamespace: 'lambda', actions: ['InvokeFunction', 'GetFunction'] },
    ]);
    expect((doc(rec).Statement as { Sid: string }[]).map((s) => s.Sid)).toEqual(['B', 'C']);
    expect(rec.removedStatements).toEqual([0, 3]);
    expect(rec.statementMap).toEqual([1, 2]);
  });

  it('recommends DETACH_POLICY when nothing is left', () => {
    const r = run(policy(allow(['iam:PassRole'])), [{ serviceNamespace: 'iam', actions: ['PassRole'] }], {
      existingPolicyId: 'arn:aws:iam::123456789012:policy/p',
    });
    expect(r).toMatchObject({
      recommendedAction: 'DETACH_POLICY',
      existingPolicyId: 'arn:aws:iam::123456789012:policy/p',
    });
    expect(r.recommendedPolicy).toBeUndefined();
  });

  it('keeps a single Statement object and a string Action as they were', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
    });
    const rec = run(text, [{ serviceNamespace: 'iam', actions: ['PassRole'] }]);
    expect(doc(rec).Statement).toEqual({ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' });
  });

  it('deduplicates a repeated wildcard and its outputs', () => {
    const rec = run(policy(allow(['iam:*', 'iam:*', 'iam:GetRole'])), [
      { serviceNamespace: 'iam', actions: ['PassRole'] },
    ]);
    expect(actionsOf(rec)).toEqual(['iam:GetRole']);
    expect(rec.refinements).toHaveLength(1);
  });

  it('reports bad input', () => {
    const bad = recommend('{"Statement": [', [], catalog);
    expect(bad.ok || bad.error.code).toBe('POLICY_PARSE_ERROR');
    const badUnused = recommend(
      policy(allow('s3:*')),
      [{ serviceNamespace: 's3', actions: ['Get*'] }],
      catalog,
    );
    expect(badUnused.ok || badUnused.error.code).toBe('INVALID_UNUSED');
    const notList = recommend(policy(allow('s3:*')), {} as unknown as UnusedPermissionsEntry[], catalog);
    expect(notList.ok || notList.error.code).toBe('INVALID_UNUSED');
  });
});

describe('choices: a more specific cover', () => {
  const text = policy(allow(['s3:Get*']));
  const unused = [
    { serviceNamespace: 's3', actions: ['GetBucketAcl', 'GetBucketCORS', 'GetBucketPolicy', 'GetObjectAcl'] },
  ];

  it('accepts a valid, more specific cover', () => {
    const base = run(text, unused);
    const ref = base.refinements[0]!;
    expect(ref.chosen).toEqual([
      's3:GetBucketTagging',
      's3:GetJob',
      's3:GetObject$',
      's3:GetObjectTagging',
      's3:GetObjectVersion',
    ]);
    const specific = specialize(ref.trie, ref.chosen, 's3:GetObjectVersion');
    expect(specific).toEqual([
      's3:GetBucketTagging',
      's3:GetJob',
      's3:GetObject$',
      's3:GetObjectTagging',
      's3:GetObjectVersion$',
      's3:GetObjectVersionTagging',
    ]);
    const rec = run(text, unused, { choices: { '0|s3:Get*': specific! } });
    expect(actionsOf(rec)).toEqual([
      's3:GetBucketTagging',
      's3:GetJobTagging',
      's3:GetObject',
      's3:GetObjectTagging',
      's3:GetObjectVersion',
      's3:GetObjectVersionTagging',
    ]);
    expect(rec.refinements[0]!.custom).toBe(true);
    expect(rec.futureProofing).toEqual([]);
    // and back
    const again = generalize(
      rec.refinements[0]!.trie,
      rec.refinements[0]!.chosen,
      's3:GetObjectVersionTagging',
    );
    expect(again).toEqual([...ref.chosen.filter((c) => c !== 's3:GetObjectVersion'), 's3:GetObjectVersion']);
    expect(generalize(ref.trie, ref.chosen, 's3:GetJob')).toBeUndefined(); // s3:Get is unsafe
  });

  it('rejects an unsafe node, an incomplete cover, an unknown node or key', () => {
    const err = (choices: Record<string, string[]>) => {
      const r = recommend(text, unused, catalog, { choices });
      return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
    };
    expect(err({ '0|s3:Get*': ['s3:GetObject'] })).toMatch(/INVALID_CHOICE: .*not safe/);
    expect(err({ '0|s3:Get*': ['s3:GetJob'] })).toMatch(/INVALID_CHOICE: .*uncovered/);
    expect(err({ '0|s3:Get*': ['s3:Nope'] })).toMatch(/INVALID_CHOICE: .*No trie node/);
    expect(err({ '1|s3:Get*': [] })).toMatch(/INVALID_CHOICE: .*No refinement/);
  });
});

describe('proof requests', () => {
  it('builds the three checks', () => {
    const original = policy(allow(['s3:Get*', 'iam:PassRole']));
    const unused = [
      { serviceNamespace: 's3', actions: ['GetBucketAcl'] },
      { serviceNamespace: 'iam', actions: ['PassRole'] },
    ];
    const rec = run(original, unused);
    const p = proofRequests(original, rec.recommendedPolicy, unused);
    expect(p.notGranted).toEqual({
      check: 'CheckAccessNotGranted',
      policyDocument: rec.recommendedPolicy,
      access: [{ actions: ['s3:GetBucketAcl', 'iam:PassRole'] }],
      policyType: 'IDENTITY_POLICY',
    });
    expect(p.noNewAccess).toEqual({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: original,
      newPolicyDocument: rec.recommendedPolicy,
      policyType: 'IDENTITY_POLICY',
    });
    expect(p.complete).toMatchObject({
      check: 'CheckNoNewAccess',
      newPolicyDocument: original,
      exactNewAccess: true,
    });
    const existing = p.complete.check === 'CheckNoNewAccess' ? p.complete.existingPolicyDocument : '';
    const parsed = parsePolicy(existing);
    expect(parsed.ok).toBe(true);
    const last = JSON.parse(existing).Statement.at(-1);
    expect(last).toEqual({
      Sid: 'UnusedActionsForProof',
      Effect: 'Allow',
      Action: ['s3:GetBucketAcl', 'iam:PassRole'],
      Resource: '*',
    });
  });

  it('stands in a policy that grants nothing for DETACH_POLICY', () => {
    expect(parsePolicy(GRANTS_NOTHING_POLICY).ok).toBe(true);
    const original = policy(allow('iam:PassRole'));
    const p = proofRequests(original, undefined, [{ serviceNamespace: 'iam', actions: ['PassRole'] }]);
    expect(p.noNewAccess).toMatchObject({ newPolicyDocument: GRANTS_NOTHING_POLICY });
    const existing = p.complete.check === 'CheckNoNewAccess' ? p.complete.existingPolicyDocument : '';
    expect(parsePolicy(existing).ok).toBe(true);
  });
});
