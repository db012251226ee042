import { describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/catalog.ts';
import { recommend } from '../../recommend/index.ts';
import { futureRanges } from './futureRanges.ts';

const catalog = Catalog.fromActions([
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetBucketAcl',
  's3:GetBucketPolicy',
  's3:ListBucket',
  'iam:GetRole',
  'iam:PassRole',
  'ec2:RunInstances',
]);

describe('futureRanges', () => {
  it('marks every flagged wildcard of the recommended text, and the NotAction element', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
        { Sid: 'Rest', Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
      ],
    });
    const r = recommend(
      policy,
      [
        { serviceNamespace: 's3', actions: ['GetBucketAcl', 'GetBucketPolicy'] },
        { serviceNamespace: 'iam', actions: ['PassRole'] },
      ],
      catalog,
    );
    if (!r.ok) throw new Error(r.error.message);
    const text = r.value.recommendedPolicy!;
    const ranges = futureRanges(text, r.value.futureProofing);
    const marked = ranges.map((x) => text.slice(x.start, x.end));
    expect(ranges.length).toBe(r.value.futureProofing.length);
    expect(marked).toContain('"s3:GetObject*"');
    expect(marked).toContain('"s3:List*"');
    const notAction = ranges.find((x) => x.flag.origin === 'notAction');
    expect(text.slice(notAction!.start, notAction!.end)).toMatch(/^\[[\s\S]*"iam:PassRole"[\s\S]*\]$/);
    expect(ranges.find((x) => x.flag.pattern === 's3:GetObject*')?.flag.origin).toBe('refined');
    expect(ranges.find((x) => x.flag.pattern === 's3:List*')?.flag.origin).toBe('kept');
  });

  it('is empty for text that does not parse or no flags', () => {
    expect(
      futureRanges('{', [
        { statementIndex: 0, outputStatementIndex: 0, pattern: 's3:*', origin: 'kept', note: '' },
      ]),
    ).toEqual([]);
    expect(futureRanges('{}', [])).toEqual([]);
  });
});
