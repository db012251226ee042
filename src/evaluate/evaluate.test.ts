import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.ts';
import seedChecks from '../fixtures/examples/seed-checks.json';
import { parsePolicy } from '../policy/parse.ts';
import { evaluatePolicy, evaluateText, EvaluationError, type Decision, type Evaluation } from './evaluate.ts';
import { arnMatches, globMatches, globToRegExp, substituteVariables } from '../policy/glob.ts';
import type { Principal, Request } from './request.ts';

// ---------------------------------------------------------------------------------------------------
// helpers

type Json = Record<string, unknown>;

function policyText(statements: Json | Json[], version: string | null = '2012-10-17'): string {
  return JSON.stringify(
    version === null ? { Statement: statements } : { Version: version, Statement: statements },
  );
}

function req(over: Partial<Request> = {}): Request {
  return { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context: {}, ...over };
}

function evaluate(text: string, request: Request, catalog?: Catalog): Evaluation {
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(`policy did not parse: ${JSON.stringify(parsed.findings)}`);
  return evaluatePolicy(parsed.policy, request, catalog ? { catalog } : {});
}

function decide(
  statements: Json | Json[],
  request: Request,
  version: string | null = '2012-10-17',
): Decision {
  return evaluate(policyText(statements, version), request).decision;
}

/** Does a single Allow statement (defaults: any action, any resource) allow the request? */
function allows(stmt: Json, request: Request, version: string | null = '2012-10-17'): boolean {
  return decide({ Effect: 'Allow', Action: '*', Resource: '*', ...stmt }, request, version) === 'Allowed';
}

/** Does `{op: {key: values}}` hold for this context? */
function cond(
  op: string,
  key: string,
  values: unknown,
  context: Request['context'],
  extra: Partial<Request> = {},
): boolean {
  return allows({ Condition: { [op]: { [key]: values } } }, req({ context, ...extra }));
}

const aws = (id: string): Principal => ({ type: 'AWS', id });
const anonymous: Principal = { type: 'Anonymous' };

// ---------------------------------------------------------------------------------------------------
// SEMANTICS.md: verdict of one policy for one request

describe('verdict', () => {
  const allowS3 = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
  const denyDelete = { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };

  it('Allowed = some Allow matches and no Deny matches', () => {
    const e = evaluate(policyText([allowS3, denyDelete]), req({ action: 's3:GetObject' }));
    expect(e.decision).toBe('Allowed');
    expect(e.allowedBy).toEqual([0]);
    expect(e.deniedBy).toEqual([]);
    expect(e.explanation).toMatch(/Allow statement 0 matches/);
  });

  it('explicit deny wins over a matching Allow', () => {
    const e = evaluate(policyText([allowS3, denyDelete]), req({ action: 's3:DeleteObject' }));
    expect(e.decision).toBe('ExplicitlyDenied');
    expect(e.deniedBy).toEqual([1]);
    expect(e.allowedBy).toEqual([0]);
    expect(e.explanation).toMatch(/Deny statement 1 matches: explicit deny wins/);
  });

  it('implicitly denied when nothing matches', () => {
    const e = evaluate(policyText([allowS3, denyDelete]), req({ action: 'ec2:RunInstances' }));
    expect(e.decision).toBe('ImplicitlyDenied');
    expect(e.explanation).toMatch(/implicitly denied/);
  });

  it('a Deny alone never allows', () => {
    expect(decide(denyDelete, req({ action: 's3:GetObject' }))).toBe('ImplicitlyDenied');
  });

  it('a statement matches only when Principal, Action, Resource and Condition all hold', () => {
    const st = {
      Effect: 'Allow',
      Principal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::bucket/*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    };
    const good = req({
      principal: aws('arn:aws:iam::111122223333:role/R'),
      context: { 'aws:SecureTransport': 'true' },
    });
    expect(decide(st, good)).toBe('Allowed');
    expect(decide(st, { ...good, principal: aws('arn:aws:iam::444455556666:role/R') })).toBe(
      'ImplicitlyDenied',
    );
    expect(decide(st, { ...good, action: 's3:PutObject' })).toBe('ImplicitlyDenied');
    expect(decide(st, { ...good, resource: 'arn:aws:s3:::other/key' })).toBe('ImplicitlyDenied');
    expect(decide(st, { ...good, context: { 'aws:SecureTransport': 'false' } })).toBe('ImplicitlyDenied');
  });

  it('evaluates every statement (no short-circuit) and keeps the trace', () => {
    const e = evaluate(
      policyText([
        denyDelete,
        allowS3,
        { Sid: 'Third', Effect: 'Allow', Action: 's3:Delete*', Resource: '*' },
      ]),
      req({ action: 's3:DeleteObject' }),
    );
    expect(e.statements).toHaveLength(3);
    expect(e.statements.map((s) => s.matched)).toEqual([true, true, true]);
    expect(e.statements[2]?.sid).toBe('Third');
    expect(e.statements[0]?.elements.map((x) => x.element)).toEqual(['Principal', 'Action', 'Resource']);
    expect(e.allowedBy).toEqual([1, 2]);
    expect(e.deniedBy).toEqual([0]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Action / NotAction

describe('Action / NotAction', () => {
  it('`*` matches any run of characters', () => {
    expect(allows({ Action: 's3:Get*' }, req({ action: 's3:GetObjectAcl' }))).toBe(true);
    expect(allows({ Action: 's3:Get*' }, req({ action: 's3:PutObject' }))).toBe(false);
  });

  it('`?` matches exactly one character', () => {
    expect(allows({ Action: 's3:GetObjec?' }, req({ action: 's3:GetObject' }))).toBe(true);
    expect(allows({ Action: 's3:GetObjec?' }, req({ action: 's3:GetObjec' }))).toBe(false);
    expect(allows({ Action: 's3:GetObjec?' }, req({ action: 's3:GetObjectAcl' }))).toBe(false);
  });

  it('matching is case-insensitive on both sides', () => {
    expect(allows({ Action: 'S3:getobject' }, req({ action: 's3:GetObject' }))).toBe(true);
    expect(allows({ Action: 's3:GETOBJECT' }, req({ action: 'S3:GetObject' }))).toBe(true);
    expect(allows({ Action: 's3:getobject' }, req({ action: 's3:GetObjectAcl' }))).toBe(false);
  });

  it('the glob covers the whole service:Name (a `*` may cross the colon)', () => {
    expect(allows({ Action: '*:GetObject' }, req({ action: 's3:GetObject' }))).toBe(true);
    expect(allows({ Action: 's3*' }, req({ action: 's3:GetObject' }))).toBe(true);
    expect(allows({ Action: 's3' }, req({ action: 's3:GetObject' }))).toBe(false);
  });

  it('NotAction matches every action that matches none of the patterns', () => {
    const st = { Action: undefined, NotAction: ['s3:*', 'iam:Get*'] };
    expect(allows(st, req({ action: 'ec2:RunInstances' }))).toBe(true);
    expect(allows(st, req({ action: 'iam:CreateUser' }))).toBe(true);
    expect(allows(st, req({ action: 's3:GetObject' }))).toBe(false);
    expect(allows(st, req({ action: 'IAM:GETUSER' }))).toBe(false);
  });

  it('Allow + NotAction is not the same as Deny + Action', () => {
    const r = req({ action: 'iam:CreateUser' });
    expect(decide({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }, r)).toBe('Allowed');
    expect(decide({ Effect: 'Deny', Action: 's3:*', Resource: '*' }, r)).toBe('ImplicitlyDenied');
  });

  it('trace names the matched pattern', () => {
    const e = evaluate(
      policyText({ Effect: 'Allow', Action: ['ec2:*', 's3:Put*'], Resource: '*' }),
      req({ action: 's3:PutObject' }),
    );
    const a = e.statements[0]?.elements[1];
    expect(a?.element).toBe('Action');
    expect(a?.matchedPattern).toBe('s3:Put*');
    expect(a?.detail).toBe('"s3:PutObject" matches "s3:Put*"');
    expect(a?.path).toEqual(['Statement', 'Action']);
  });

  it.each([
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ])('a statement with both %s and %s is an error, not a guess', (pos, neg) => {
    const st: Json = { Effect: 'Allow', Action: '*', Resource: '*', [pos]: '*', [neg]: '*' };
    const r = evaluateText(policyText(st), req());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MUTUALLY_EXCLUSIVE_ELEMENTS');
    // and a statement with just one of them is fine
    expect(
      evaluateText(policyText({ Effect: 'Allow', Action: '*', Resource: '*', [pos]: '*' }), req()).ok,
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Resource / NotResource

describe('Resource / NotResource', () => {
  it('"*" alone matches every resource, including a non-ARN one', () => {
    expect(allows({ Resource: '*' }, req({ resource: 'arn:aws:s3:::anything/at/all' }))).toBe(true);
    expect(allows({ Resource: '*' }, req({ resource: 'not-an-arn' }))).toBe(true);
  });

  it('NotResource is the complement', () => {
    const st = { Resource: undefined, NotResource: 'arn:aws:s3:::secret/*' };
    expect(allows(st, req({ resource: 'arn:aws:s3:::public/key' }))).toBe(true);
    expect(allows(st, req({ resource: 'arn:aws:s3:::secret/key' }))).toBe(false);
    expect(allows({ Resource: undefined, NotResource: '*' }, req())).toBe(false);
  });

  it('a missing Resource element (trust policies) matches every resource', () => {
    const st = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const r = req({ principal: { type: 'Service', id: 'ec2.amazonaws.com' }, action: 'sts:AssumeRole' });
    expect(decide(st, { ...r, resource: 'arn:aws:iam::111122223333:role/R' })).toBe('Allowed');
    expect(decide(st, { ...r, resource: 'anything' })).toBe('Allowed');
    expect(decide(st, { ...r, action: 'sts:TagSession' })).toBe('ImplicitlyDenied');
  });

  it('the first five segments are globs within their own segment (`?` and an inner `*` never cross a colon)', () => {
    expect(
      allows(
        { Resource: 'arn:aws:ec2:*:*:instance/*' },
        req({ resource: 'arn:aws:ec2:us-east-1:111122223333:instance/i-1' }),
      ),
    ).toBe(true);
    // a `*` with more text after it in its segment stays within the segment (a plain glob would not)
    expect(allows({ Resource: 'arn:a*s:s3:::b' }, req({ resource: 'arn:aws:s3:::b' }))).toBe(true);
    expect(allows({ Resource: 'arn:a*s:s3:::b' }, req({ resource: 'arn:a:xs:s3:::b' }))).toBe(false);
    expect(globMatches('arn:a*s:s3:::b', 'arn:a:xs:s3:::b')).toBe(true);
    expect(
      allows({ Resource: 'arn:aws:ec2:us-*-1:*:i' }, req({ resource: 'arn:aws:ec2:us-x:y-1:1:i' })),
    ).toBe(false);
    // `?` within a segment cannot match the colon either
    expect(allows({ Resource: 'arn:aws:s3:?::b' }, req({ resource: 'arn:aws:s3:::b' }))).toBe(false);
    expect(allows({ Resource: 'arn:aws:s3:?::b' }, req({ resource: 'arn:aws:s3:x::b' }))).toBe(true);
  });

  it('a `*` that is the last character of a segment can match beyond the colon boundaries (IAM "Resource")', () => {
    // The IAM User Guide: "If the * wildcard is the last character of a resource ARN segment, it can
    // expand to match beyond the colon boundaries."
    expect(allows({ Resource: 'arn:*:s3:::b' }, req({ resource: 'arn:aws:x:s3:::b' }))).toBe(true);
    const st = { Resource: 'arn:aws:ec2:*:111122223333:instance/*' };
    expect(allows(st, req({ resource: 'arn:aws:ec2:us-east-1:444455556666:111122223333:instance/i' }))).toBe(
      true,
    );
    // what follows the star must still match: the account is not 111122223333 anywhere
    expect(allows(st, req({ resource: 'arn:aws:ec2:us-east-1:444455556666:instance/i' }))).toBe(false);
    // the same rule in NotResource (the complement)
    expect(
      decide(
        { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:iam::*:role/admin' },
        req({ resource: 'arn:aws:iam::111122223333:x:role/admin' }),
      ),
    ).toBe('ImplicitlyDenied');
  });

  it('the resource part (after the fifth colon) is a glob over the rest, `:` and `/` included', () => {
    const st = { Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:*' };
    expect(
      allows(st, req({ resource: 'arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s/x' })),
    ).toBe(true);
    expect(allows(st, req({ resource: 'arn:aws:logs:us-east-1:111122223333:metric:m' }))).toBe(false);
  });

  it('`?` is one character in the resource part', () => {
    expect(allows({ Resource: 'arn:aws:s3:::b?' }, req({ resource: 'arn:aws:s3:::b1' }))).toBe(true);
    expect(allows({ Resource: 'arn:aws:s3:::b?' }, req({ resource: 'arn:aws:s3:::b12' }))).toBe(false);
  });

  it('matching is case-sensitive', () => {
    expect(allows({ Resource: 'arn:aws:s3:::Bucket' }, req({ resource: 'arn:aws:s3:::Bucket' }))).toBe(true);
    expect(allows({ Resource: 'arn:aws:s3:::Bucket' }, req({ resource: 'arn:aws:s3:::bucket' }))).toBe(false);
    expect(allows({ Resource: 'arn:aws:S3:::bucket' }, req({ resource: 'arn:aws:s3:::bucket' }))).toBe(false);
  });

  it('a malformed pattern (fewer than six segments) is a plain glob over the whole string', () => {
    expect(allows({ Resource: 'arn:aws:s3*' }, req({ resource: 'arn:aws:s3:::bucket' }))).toBe(true);
    expect(allows({ Resource: 'arn:aws:s3*' }, req({ resource: 'arn:aws:ec2:us-east-1:1:instance/i' }))).toBe(
      false,
    );
    const e = evaluate(
      policyText({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3*' }),
      req({ resource: 'arn:aws:s3:::b' }),
    );
    expect(e.statements[0]?.elements[2]?.detail).toMatch(/fewer than six ARN segments/);
  });

  it('a resource with fewer than six segments matches only "*"', () => {
    expect(allows({ Resource: '*' }, req({ resource: 'arn:aws:s3' }))).toBe(true);
    expect(allows({ Resource: 'arn:aws:s3*' }, req({ resource: 'arn:aws:s3' }))).toBe(false);
    expect(allows({ Resource: 'arn:*' }, req({ resource: 'arn:aws:s3' }))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Policy variables

describe('policy variables', () => {
  const home = { Resource: 'arn:aws:s3:::home/${aws:username}/*' };
  const bob = { 'aws:username': 'bob' };

  it('are substituted with Version 2012-10-17', () => {
    expect(allows(home, req({ resource: 'arn:aws:s3:::home/bob/file', context: bob }))).toBe(true);
    expect(allows(home, req({ resource: 'arn:aws:s3:::home/alice/file', context: bob }))).toBe(false);
  });

  it('are literal text with Version 2008-10-17 or no Version', () => {
    for (const version of ['2008-10-17', null]) {
      expect(allows(home, req({ resource: 'arn:aws:s3:::home/bob/file', context: bob }), version)).toBe(
        false,
      );
      expect(
        allows(home, req({ resource: 'arn:aws:s3:::home/${aws:username}/file', context: bob }), version),
      ).toBe(true);
    }
  });

  it('require the key: an absent key makes the pattern match nothing', () => {
    expect(allows(home, req({ resource: 'arn:aws:s3:::home/${aws:username}/file' }))).toBe(false);
    expect(allows(home, req({ resource: 'arn:aws:s3:::home//file' }))).toBe(false);
    // ...so a NotResource with that pattern excludes nothing
    expect(
      allows(
        { Resource: undefined, NotResource: home.Resource },
        req({ resource: 'arn:aws:s3:::home/x/file' }),
      ),
    ).toBe(true);
    expect(
      allows(
        { Resource: undefined, NotResource: home.Resource },
        req({ resource: 'arn:aws:s3:::home/bob/f', context: bob }),
      ),
    ).toBe(false);
  });

  it('a key with several values makes the pattern match nothing', () => {
    const st = { Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}' };
    expect(
      allows(st, req({ resource: 'arn:aws:s3:::b/x', context: { 'aws:PrincipalTag/team': ['x', 'y'] } })),
    ).toBe(false);
    expect(
      allows(st, req({ resource: 'arn:aws:s3:::b/x', context: { 'aws:PrincipalTag/team': ['x'] } })),
    ).toBe(true);
  });

  it("`${key, 'default'}` uses the default only when the key is absent", () => {
    const st = { Resource: "arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*" };
    expect(allows(st, req({ resource: 'arn:aws:s3:::b/none/k' }))).toBe(true);
    expect(
      allows(st, req({ resource: 'arn:aws:s3:::b/none/k', context: { 'aws:PrincipalTag/team': 'red' } })),
    ).toBe(false);
    expect(
      allows(st, req({ resource: 'arn:aws:s3:::b/red/k', context: { 'aws:PrincipalTag/team': 'red' } })),
    ).toBe(true);
  });

  it('`${*}`, `${?}`, `${$}` are the literal characters, never wildcards', () => {
    const st = { Resource: 'arn:aws:s3:::b/${*}${?}${$}' };
    expect(allows(st, req({ resource: 'arn:aws:s3:::b/*?$' }))).toBe(true);
    expect(allows(st, req({ resource: 'arn:aws:s3:::b/ab$' }))).toBe(false);
    expect(allows(st, req({ resource: 'arn:aws:s3:::b/xyz?$' }))).toBe(false);
  });

  it('a substituted value is literal: a `*` in the context value is not a wildcard', () => {
    expect(
      allows(home, req({ resource: 'arn:aws:s3:::home/*/file', context: { 'aws:username': '*' } })),
    ).toBe(true);
    expect(
      allows(home, req({ resource: 'arn:aws:s3:::home/bob/file', context: { 'aws:username': '*' } })),
    ).toBe(false);
  });

  it('are substituted in String and Arn condition values', () => {
    const s = { Condition: { StringEquals: { 's3:prefix': 'home/${aws:username}' } } };
    expect(allows(s, req({ context: { ...bob, 's3:prefix': 'home/bob' } }))).toBe(true);
    expect(allows(s, req({ context: { ...bob, 's3:prefix': 'home/alice' } }))).toBe(false);
    const a = { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:${aws:PrincipalAccount}:*' } } };
    const p = aws('arn:aws:iam::111122223333:user/u');
    expect(
      allows(a, req({ principal: p, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } })),
    ).toBe(true);
    expect(
      allows(a, req({ principal: p, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:444455556666:t' } })),
    ).toBe(false);
  });

  it('are not substituted in Action patterns or Numeric values', () => {
    expect(allows({ Action: 'iam:${aws:username}' }, req({ action: 'iam:bob', context: bob }))).toBe(false);
    const r = evaluateText(
      policyText({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { NumericEquals: { 'x:n': '${x:m}' } },
      }),
      req({ context: { 'x:n': '1', 'x:m': '1' } }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_VALUE');
  });
});

// ---------------------------------------------------------------------------------------------------
// Principal / NotPrincipal

describe('Principal / NotPrincipal', () => {
  const acctRole = aws('arn:aws:iam::123456789012:role/R');
  const otherRole = aws('arn:aws:iam::999999999999:role/R');

  it('"*" and {"AWS": "*"} match every caller, anonymous included', () => {
    for (const principal of ['*', { AWS: '*' }, { AWS: ['arn:aws:iam::1:root', '*'] }]) {
      for (const caller of [
        anonymous,
        acctRole,
        { type: 'Service', id: 'lambda.amazonaws.com' } as Principal,
      ])
        expect(allows({ Principal: principal }, req({ principal: caller }))).toBe(true);
    }
    expect(allows({ Principal: { AWS: '123456789012' } }, req({ principal: anonymous }))).toBe(false);
  });

  it('{"AWS": "123456789012"} means every principal of that account (not only root)', () => {
    const st = { Principal: { AWS: '123456789012' } };
    expect(allows(st, req({ principal: acctRole }))).toBe(true);
    expect(allows(st, req({ principal: aws('arn:aws:sts::123456789012:assumed-role/R/s') }))).toBe(true);
    expect(allows(st, req({ principal: aws('123456789012') }))).toBe(true);
    expect(allows(st, req({ principal: otherRole }))).toBe(false);
  });

  it('{"AWS": "arn:aws:iam::123456789012:root"} is the same as the account id', () => {
    const st = { Principal: { AWS: 'arn:aws:iam::123456789012:root' } };
    expect(allows(st, req({ principal: acctRole }))).toBe(true);
    expect(allows(st, req({ principal: otherRole }))).toBe(false);
  });

  it('any other AWS value matches only the principal with that ARN (case-sensitive)', () => {
    const st = { Principal: { AWS: 'arn:aws:iam::123456789012:role/R' } };
    expect(allows(st, req({ principal: acctRole }))).toBe(true);
    expect(allows(st, req({ principal: aws('arn:aws:iam::123456789012:role/Other') }))).toBe(false);
    expect(allows(st, req({ principal: aws('arn:aws:iam::123456789012:role/r') }))).toBe(false);
    expect(allows(st, req({ principal: aws('123456789012') }))).toBe(false);
  });

  it('a `*` or `?` inside a principal value (which AWS rejects) names nobody', () => {
    const st = { Principal: { AWS: 'arn:aws:iam::123456789012:role/R?' } };
    expect(allows(st, req({ principal: aws('arn:aws:iam::123456789012:role/R1') }))).toBe(false);
    expect(allows({ Principal: { AWS: 'arn:*:iam::123456789012:root' } }, req({ principal: acctRole }))).toBe(
      false,
    );
  });

  it('a role ARN names the sessions of that role; a session ARN names that session only', () => {
    const role = { Principal: { AWS: 'arn:aws:iam::123456789012:role/Dev' } };
    const session = { Principal: { AWS: 'arn:aws:sts::123456789012:assumed-role/Dev/alice' } };
    const alice = aws('arn:aws:sts::123456789012:assumed-role/Dev/alice');
    const bob = aws('arn:aws:sts::123456789012:assumed-role/Dev/bob');
    const other = aws('arn:aws:sts::123456789012:assumed-role/Ops/alice');
    expect(allows(role, req({ principal: alice }))).toBe(true);
    expect(allows(role, req({ principal: bob }))).toBe(true);
    expect(allows(role, req({ principal: other }))).toBe(false);
    expect(allows(session, req({ principal: alice }))).toBe(true);
    expect(allows(session, req({ principal: bob }))).toBe(false);
    // a role with a path: its ARN keeps the path, its sessions' ARNs drop it
    const pathRole = { Principal: { AWS: 'arn:aws:iam::123456789012:role/teams/Dev' } };
    const pathSession = { ...alice, path: '/teams/' };
    expect(allows(pathRole, req({ principal: pathSession }))).toBe(true);
    expect(allows(pathRole, req({ principal: alice }))).toBe(false);
    expect(allows(session, req({ principal: pathSession }))).toBe(true);
  });

  it('Service, Federated and CanonicalUser are separate namespaces', () => {
    const svc = { Principal: { Service: 'lambda.amazonaws.com' } };
    expect(allows(svc, req({ principal: { type: 'Service', id: 'lambda.amazonaws.com' } }))).toBe(true);
    expect(allows(svc, req({ principal: { type: 'Federated', id: 'lambda.amazonaws.com' } }))).toBe(false);
    // an AWS principal must be an account id or a caller's ARN: a service name there is no caller
    expect(() => allows(svc, req({ principal: aws('lambda.amazonaws.com') }))).toThrow(/not a caller/);
    const fed = { Principal: { Federated: 'cognito-identity.amazonaws.com' } };
    expect(allows(fed, req({ principal: { type: 'Federated', id: 'cognito-identity.amazonaws.com' } }))).toBe(
      true,
    );
    expect(allows(fed, req({ principal: { type: 'Service', id: 'cognito-identity.amazonaws.com' } }))).toBe(
      false,
    );
    const cu = { Principal: { CanonicalUser: 'abc123' } };
    expect(allows(cu, req({ principal: { type: 'CanonicalUser', id: 'abc123' } }))).toBe(true);
    expect(allows(cu, req({ principal: { type: 'CanonicalUser', id: 'abc124' } }))).toBe(false);
  });

  it('a bare account id or ARN as Principal is read as {"AWS": ...} with a warning', () => {
    const text = policyText({ Effect: 'Allow', Principal: '123456789012', Action: '*', Resource: '*' });
    const parsed = parsePolicy(text);
    expect(parsed.ok).toBe(true);
    expect(parsed.findings.some((f) => f.issueCode === 'PRINCIPAL_SHORTHAND')).toBe(true);
    expect(evaluate(text, req({ principal: acctRole })).decision).toBe('Allowed');
    expect(evaluate(text, req({ principal: otherRole })).decision).toBe('ImplicitlyDenied');
  });

  it('NotPrincipal applies to every caller not listed: other accounts, anonymous, services', () => {
    const st = { NotPrincipal: { AWS: '123456789012' } };
    expect(allows(st, req({ principal: otherRole }))).toBe(true);
    expect(allows(st, req({ principal: anonymous }))).toBe(true);
    expect(allows(st, req({ principal: { type: 'Service', id: 's3.amazonaws.com' } }))).toBe(true);
    expect(allows(st, req({ principal: aws('123456789012') }))).toBe(false);
    expect(allows({ NotPrincipal: '*' }, req({ principal: anonymous }))).toBe(false);
  });

  // IAM "NotPrincipal": AWS checks the account, then the role, then the session (or the account, then
  // the user); a caller is exempt only when each of them is listed.
  it('NotPrincipal with an account exempts the account only, not its other principals', () => {
    const st = { NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } };
    expect(allows(st, req({ principal: acctRole }))).toBe(true);
    expect(allows(st, req({ principal: aws('arn:aws:iam::123456789012:user/Bob') }))).toBe(true);
    expect(allows(st, req({ principal: aws('arn:aws:iam::123456789012:root') }))).toBe(false);
  });

  it('Deny with NotPrincipal [user/Bob, account root] denies every principal but Bob (the page example)', () => {
    const deny = {
      Effect: 'Deny',
      NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/Bob', 'arn:aws:iam::444455556666:root'] },
      Action: 's3:*',
      Resource: '*',
    };
    const allow = { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 's3:*', Resource: '*' };
    const text = policyText([allow, deny]);
    const bob = aws('arn:aws:iam::444455556666:user/Bob');
    expect(evaluate(text, req({ principal: bob })).decision).toBe('Allowed');
    expect(evaluate(text, req({ principal: aws('arn:aws:iam::444455556666:user/Alice') })).decision).toBe(
      'ExplicitlyDenied',
    );
    expect(evaluate(text, req({ principal: aws('arn:aws:iam::444455556666:role/R') })).decision).toBe(
      'ExplicitlyDenied',
    );
    // without the account, Bob is denied too: AWS checks the account first
    const bobOnly = policyText([
      allow,
      { ...deny, NotPrincipal: { AWS: 'arn:aws:iam::444455556666:user/Bob' } },
    ]);
    expect(evaluate(bobOnly, req({ principal: bob })).decision).toBe('ExplicitlyDenied');
  });

  it('NotPrincipal exempts a role session only when the account, the role and the session are listed', () => {
    const alice = aws('arn:aws:sts::444455556666:assumed-role/Dev/alice');
    const all = [
      'arn:aws:iam::444455556666:root',
      'arn:aws:iam::444455556666:role/Dev',
      'arn:aws:sts::444455556666:assumed-role/Dev/alice',
    ];
    expect(allows({ NotPrincipal: { AWS: all } }, req({ principal: alice }))).toBe(false);
    for (let i = 0; i < all.length; i++) {
      const some = all.filter((_, j) => j !== i);
      expect(allows({ NotPrincipal: { AWS: some } }, req({ principal: alice }))).toBe(true);
    }
    const bob = aws('arn:aws:sts::444455556666:assumed-role/Dev/bob');
    expect(allows({ NotPrincipal: { AWS: all } }, req({ principal: bob }))).toBe(true);
  });

  it('a request without a principal matches only Principal "*" (project choice)', () => {
    expect(allows({ Principal: '*' }, req())).toBe(true);
    expect(allows({ Principal: { AWS: '123456789012' } }, req())).toBe(false);
    expect(allows({ NotPrincipal: { AWS: '123456789012' } }, req())).toBe(true);
  });

  it('no Principal element (identity policy) matches, with or without a caller', () => {
    expect(allows({}, req())).toBe(true);
    expect(allows({}, req({ principal: otherRole }))).toBe(true);
    expect(allows({ Action: 's3:PutObject' }, req())).toBe(false);
  });

  it('Principal "*" plus ArnLike aws:PrincipalArn grants no more than naming the role', () => {
    const viaKey = {
      Principal: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/R' } },
    };
    const named = { Principal: { AWS: 'arn:aws:iam::111122223333:role/R' } };
    const callers: Principal[] = [
      aws('arn:aws:iam::111122223333:role/R'),
      aws('arn:aws:iam::111122223333:role/X'),
      anonymous,
    ];
    for (const caller of callers) {
      const r = req({ principal: caller });
      expect(allows(viaKey, r)).toBe(allows(named, r));
      // the context cannot pretend to be someone else: a request whose key contradicts its caller is refused
      const forged = req({
        principal: caller,
        context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/forged' },
      });
      expect(() => allows(viaKey, forged)).toThrow(/cannot occur together/);
    }
    expect(allows(viaKey, req({ principal: callers[0] }))).toBe(true);
    expect(allows(viaKey, req({ principal: callers[1] }))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Requests: aws:PrincipalArn / aws:PrincipalAccount derivation (decisions doc)

describe('principal-derived condition keys', () => {
  it('are derived from an AWS principal ARN (account = 5th field)', () => {
    const p = aws('arn:aws:iam::111122223333:user/alice');
    expect(cond('StringEquals', 'aws:PrincipalAccount', '111122223333', {}, { principal: p })).toBe(true);
    expect(cond('StringEquals', 'aws:PrincipalAccount', '444455556666', {}, { principal: p })).toBe(false);
    expect(
      cond('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/alice', {}, { principal: p }),
    ).toBe(true);
  });

  it('a bare 12-digit id means that account root', () => {
    const p = aws('111122223333');
    expect(
      cond('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:root', {}, { principal: p }),
    ).toBe(true);
    expect(cond('StringEquals', 'aws:PrincipalAccount', '111122223333', {}, { principal: p })).toBe(true);
    expect(cond('StringEquals', 'aws:PrincipalArn', '111122223333', {}, { principal: p })).toBe(false);
  });

  it('are absent for anonymous, service, federated and canonical-user callers (and refused in the context)', () => {
    const ctx = {};
    const forged = {
      'aws:PrincipalAccount': '111122223333',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:root',
    };
    const callers: Principal[] = [
      anonymous,
      { type: 'Service', id: 's3.amazonaws.com' },
      { type: 'Federated', id: 'accounts.google.com' },
      { type: 'CanonicalUser', id: 'abc' },
    ];
    for (const principal of callers) {
      expect(cond('Null', 'aws:PrincipalAccount', 'true', ctx, { principal })).toBe(true);
      expect(cond('StringEquals', 'aws:PrincipalAccount', '111122223333', ctx, { principal })).toBe(false);
      expect(cond('Null', 'aws:PrincipalArn', 'false', ctx, { principal })).toBe(false);
      expect(() => cond('Null', 'aws:PrincipalArn', 'false', forged, { principal })).toThrow(
        /cannot occur together/,
      );
    }
  });

  it('with no principal at all, the context values are used', () => {
    expect(
      cond('StringEquals', 'aws:PrincipalAccount', '111122223333', {
        'aws:PrincipalAccount': '111122223333',
      }),
    ).toBe(true);
    expect(cond('StringEquals', 'aws:PrincipalAccount', '111122223333', {})).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Condition block

describe('condition block', () => {
  it('AND across operators and across keys', () => {
    const st = {
      Condition: {
        StringEquals: { 'aws:username': 'bob', 'aws:RequestedRegion': 'us-east-1' },
        Bool: { 'aws:SecureTransport': 'true' },
      },
    };
    const ok = { 'aws:username': 'bob', 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': 'true' };
    expect(allows(st, req({ context: ok }))).toBe(true);
    expect(allows(st, req({ context: { ...ok, 'aws:RequestedRegion': 'eu-west-1' } }))).toBe(false);
    expect(allows(st, req({ context: { ...ok, 'aws:SecureTransport': 'false' } }))).toBe(false);
  });

  it('OR across the values listed for one key', () => {
    expect(cond('StringEquals', 'aws:username', ['alice', 'bob'], { 'aws:username': 'bob' })).toBe(true);
    expect(cond('StringEquals', 'aws:username', ['alice', 'bob'], { 'aws:username': 'carol' })).toBe(false);
  });

  it('condition key names are case-insensitive, values case-sensitive', () => {
    expect(cond('StringEquals', 'AWS:UserName', 'bob', { 'aws:username': 'bob' })).toBe(true);
    expect(cond('StringEquals', 'aws:username', 'bob', { 'AWS:USERNAME': 'bob' })).toBe(true);
    expect(cond('StringEquals', 'aws:username', 'bob', { 'aws:username': 'Bob' })).toBe(false);
  });

  it('an empty array counts as absent', () => {
    expect(cond('Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': [] })).toBe(true);
    expect(cond('ForAnyValue:StringEquals', 'aws:TagKeys', 'a', { 'aws:TagKeys': [] })).toBe(false);
    expect(cond('Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': ['a'] })).toBe(false);
  });

  it('a missing key makes a positive operator false', () => {
    const positive: [string, string][] = [
      ['StringEquals', 'x'],
      ['StringEqualsIgnoreCase', 'x'],
      ['StringLike', '*'],
      ['NumericEquals', '1'],
      ['NumericLessThan', '1'],
      ['NumericLessThanEquals', '1'],
      ['NumericGreaterThan', '1'],
      ['NumericGreaterThanEquals', '1'],
      ['DateEquals', '2024-01-01'],
      ['DateLessThan', '2024-01-01'],
      ['DateLessThanEquals', '2024-01-01'],
      ['DateGreaterThan', '2024-01-01'],
      ['DateGreaterThanEquals', '2024-01-01'],
      ['Bool', 'true'],
      ['BinaryEquals', 'QmluYXJ5'],
      ['IpAddress', '0.0.0.0/0'],
      ['ArnEquals', '*'],
      ['ArnLike', '*'],
    ];
    for (const [op, v] of positive) {
      expect(cond(op, 'x:missing', v, {}), op).toBe(false);
    }
    const e = evaluate(
      policyText({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceIp': 'x' } },
      }),
      req(),
    );
    expect(e.statements[0]?.conditions[0]?.detail).toBe('key aws:SourceIp is absent: StringEquals is false');
    expect(e.statements[0]?.conditions[0]?.keyPresent).toBe(false);
  });

  it('a missing key makes a negated operator true', () => {
    const negated: [string, string][] = [
      ['StringNotEquals', 'x'],
      ['StringNotEqualsIgnoreCase', 'x'],
      ['StringNotLike', '*'],
      ['NumericNotEquals', '1'],
      ['DateNotEquals', '2024-01-01'],
      ['NotIpAddress', '0.0.0.0/0'],
      ['ArnNotEquals', '*'],
      ['ArnNotLike', '*'],
    ];
    for (const [op, v] of negated) {
      expect(cond(op, 'x:missing', v, {}), op).toBe(true);
      // and with the key present and matching, the negated operator is false
      const present =
        op === 'NotIpAddress' ? '10.0.0.1' : op.startsWith('Arn') ? 'arn:aws:s3:::b' : v === '*' ? 'any' : v;
      expect(cond(op, 'x:k', v, { 'x:k': present }), op).toBe(false);
    }
  });

  it('a negated operator with several values holds when the value matches none of them', () => {
    expect(cond('StringNotEquals', 'aws:username', ['alice', 'bob'], { 'aws:username': 'carol' })).toBe(true);
    expect(cond('StringNotEquals', 'aws:username', ['alice', 'bob'], { 'aws:username': 'bob' })).toBe(false);
  });

  it('...IfExists: a missing key makes the test true, otherwise the test applies', () => {
    expect(cond('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro', {})).toBe(true);
    expect(
      cond('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro', { 'ec2:InstanceType': 't3.micro' }),
    ).toBe(true);
    expect(
      cond('StringEqualsIfExists', 'ec2:InstanceType', 't3.micro', { 'ec2:InstanceType': 'm5.large' }),
    ).toBe(false);
    expect(cond('NumericLessThanIfExists', 'x:n', '5', {})).toBe(true);
    expect(cond('NumericLessThanIfExists', 'x:n', '5', { 'x:n': '6' })).toBe(false);
  });

  it('Null "true" = key missing; Null "false" = key present', () => {
    expect(cond('Null', 'aws:TokenIssueTime', 'true', {})).toBe(true);
    expect(cond('Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' })).toBe(
      false,
    );
    expect(
      cond('Null', 'aws:TokenIssueTime', 'false', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }),
    ).toBe(true);
    expect(cond('Null', 'aws:TokenIssueTime', 'false', {})).toBe(false);
  });

  it('String*: StringEquals is exact and case-sensitive; IgnoreCase ignores case', () => {
    expect(cond('StringEquals', 'x:k', 'Value', { 'x:k': 'Value' })).toBe(true);
    expect(cond('StringEquals', 'x:k', 'Value', { 'x:k': 'value' })).toBe(false);
    expect(cond('StringEquals', 'x:k', 'Val*', { 'x:k': 'Value' })).toBe(false);
    expect(cond('StringEqualsIgnoreCase', 'x:k', 'Value', { 'x:k': 'VALUE' })).toBe(true);
    expect(cond('StringEqualsIgnoreCase', 'x:k', 'Value', { 'x:k': 'Values' })).toBe(false);
    expect(cond('StringNotEqualsIgnoreCase', 'x:k', 'Value', { 'x:k': 'VALUE' })).toBe(false);
    expect(cond('StringNotEqualsIgnoreCase', 'x:k', 'Value', { 'x:k': 'other' })).toBe(true);
  });

  it('StringLike / StringNotLike: case-sensitive glob', () => {
    expect(cond('StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/bob/x' })).toBe(true);
    expect(cond('StringLike', 's3:prefix', 'home/?', { 's3:prefix': 'home/b' })).toBe(true);
    expect(cond('StringLike', 's3:prefix', 'home/?', { 's3:prefix': 'home/bo' })).toBe(false);
    expect(cond('StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'HOME/bob' })).toBe(false);
    expect(cond('StringLike', 's3:prefix', 'a.b', { 's3:prefix': 'aXb' })).toBe(false);
    expect(cond('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'tmp/x' })).toBe(true);
    expect(cond('StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/x' })).toBe(false);
  });

  it('Arn*: glob compared part by part, like Resource patterns', () => {
    const src = 'arn:aws:sns:us-east-1:111122223333:topic';
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:111122223333:*', { 'aws:SourceArn': src })).toBe(
      true,
    );
    expect(cond('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:*:111122223333:*', { 'aws:SourceArn': src })).toBe(
      true,
    );
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:444455556666:*', { 'aws:SourceArn': src })).toBe(
      false,
    );
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:topic', { 'aws:SourceArn': src })).toBe(true); // malformed: plain glob
    // the region `*` ends its segment and may span the account, but "::topic" must still follow it
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*::topic', { 'aws:SourceArn': src })).toBe(false);
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:topic:*', { 'aws:SourceArn': `${src}:x` })).toBe(
      true,
    );
    // an inner `*` in the region segment cannot span into the account segment
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:aws:sns:u*3::topic', { 'aws:SourceArn': src })).toBe(false);
    expect(
      cond('ArnNotLike', 'aws:SourceArn', 'arn:aws:sns:*:444455556666:*', { 'aws:SourceArn': src }),
    ).toBe(true);
    expect(cond('ArnNotEquals', 'aws:SourceArn', src, { 'aws:SourceArn': src })).toBe(false);
    // a request value with fewer than six segments matches only "*"
    expect(cond('ArnLike', 'aws:SourceArn', 'arn:*', { 'aws:SourceArn': 'arn:aws' })).toBe(false);
    expect(cond('ArnLike', 'aws:SourceArn', '*', { 'aws:SourceArn': 'arn:aws' })).toBe(true);
  });

  it('Numeric*: decimal numbers', () => {
    expect(cond('NumericEquals', 'x:n', '10', { 'x:n': '10.0' })).toBe(true);
    expect(cond('NumericEquals', 'x:n', '10', { 'x:n': '10.5' })).toBe(false);
    expect(cond('NumericNotEquals', 'x:n', '10', { 'x:n': '11' })).toBe(true);
    expect(cond('NumericNotEquals', 'x:n', '10', { 'x:n': '10' })).toBe(false);
    expect(cond('NumericLessThan', 'x:n', '10', { 'x:n': '9.99' })).toBe(true);
    expect(cond('NumericLessThan', 'x:n', '10', { 'x:n': '10' })).toBe(false);
    expect(cond('NumericLessThanEquals', 'x:n', '10', { 'x:n': '10' })).toBe(true);
    expect(cond('NumericLessThanEquals', 'x:n', '10', { 'x:n': '10.01' })).toBe(false);
    expect(cond('NumericGreaterThan', 'x:n', '-1', { 'x:n': '0' })).toBe(true);
    expect(cond('NumericGreaterThan', 'x:n', '-1', { 'x:n': '-1' })).toBe(false);
    expect(cond('NumericGreaterThanEquals', 'x:n', '3600', { 'x:n': '3600' })).toBe(true);
    expect(cond('NumericGreaterThanEquals', 'x:n', '3600', { 'x:n': '3599' })).toBe(false);
    // exact decimals, no floating-point rounding
    expect(cond('NumericGreaterThan', 'x:n', '9007199254740992', { 'x:n': '9007199254740993' })).toBe(true);
  });

  it('Numeric*: a request value that is not a number satisfies no positive comparison', () => {
    expect(cond('NumericLessThan', 'x:n', '10', { 'x:n': 'abc' })).toBe(false);
    expect(cond('NumericGreaterThanEquals', 'x:n', '10', { 'x:n': 'abc' })).toBe(false);
    expect(cond('NumericNotEquals', 'x:n', '10', { 'x:n': 'abc' })).toBe(true);
  });

  it('Numeric*: .5 is a number, a leading space is not (values.ts)', () => {
    expect(cond('NumericLessThan', 'x:n', '1', { 'x:n': '.5' })).toBe(true);
    expect(cond('NumericLessThan', 'x:n', '1', { 'x:n': ' 0.5' })).toBe(false);
    expect(cond('NumericEquals', 'x:n', '.5', { 'x:n': '0.50' })).toBe(true);
  });

  it('Date*: ISO 8601 dates/times or epoch seconds, compared as instants', () => {
    const t = 'aws:CurrentTime';
    expect(cond('DateLessThan', t, '2024-06-01T00:00:00Z', { [t]: '2024-05-31T23:59:59Z' })).toBe(true);
    expect(cond('DateLessThan', t, '2024-06-01T00:00:00Z', { [t]: '2024-06-01T00:00:00Z' })).toBe(false);
    expect(cond('DateLessThanEquals', t, '2024-06-01', { [t]: '2024-06-01T00:00:00Z' })).toBe(true);
    expect(cond('DateGreaterThan', t, '2024-06-01', { [t]: '2024-06-01T00:00:01Z' })).toBe(true);
    expect(cond('DateGreaterThan', t, '2024-06-01', { [t]: '2024-05-01' })).toBe(false);
    expect(cond('DateGreaterThanEquals', t, '1717200000', { [t]: '2024-06-01T00:00:00Z' })).toBe(true);
    expect(cond('DateEquals', t, '1704067200', { [t]: '2024-01-01T01:00:00+01:00' })).toBe(true);
    expect(cond('DateEquals', t, '1704067200', { [t]: '2024-01-01T01:00:00Z' })).toBe(false);
    expect(cond('DateNotEquals', t, '2024-01-01', { [t]: '2024-01-02' })).toBe(true);
    expect(cond('DateNotEquals', t, '2024-01-01', { [t]: '1704067200' })).toBe(false);
    expect(cond('DateLessThan', t, '2024-06-01', { [t]: 'yesterday' })).toBe(false);
  });

  it('Date*: no zone means UTC, fractions are exact, impossible dates are no dates (values.ts)', () => {
    const t = 'aws:CurrentTime';
    expect(cond('DateLessThan', t, '2030-01-01T00:00:00', { [t]: '2029-12-31T23:59:59Z' })).toBe(true);
    expect(cond('DateLessThan', t, '2030-01-01T00:00:00', { [t]: '2030-01-01T00:00:00Z' })).toBe(false);
    expect(cond('DateEquals', t, '2030-01-01T09:00:00+09:00', { [t]: '2030-01-01T00:00:00' })).toBe(true);
    const window = {
      DateGreaterThan: { [t]: '2030-01-01T00:00:00.0001Z' },
      DateLessThan: { [t]: '2030-01-01T00:00:00.0002Z' },
    };
    expect(allows({ Condition: window }, req({ context: { [t]: '2030-01-01T00:00:00.00015Z' } }))).toBe(true);
    expect(allows({ Condition: window }, req({ context: { [t]: '2030-01-01T00:00:00.0002Z' } }))).toBe(false);
    // Feb 30 is not a date: a request value satisfies no positive comparison, a policy value is an error
    expect(cond('DateGreaterThan', t, '2030-03-01', { [t]: '2030-02-30T00:00:00Z' })).toBe(false);
    expect(() => cond('DateLessThan', t, '2030-02-30', { [t]: '2030-01-01' })).toThrow(
      /not an ISO 8601 date/,
    );
    expect(cond('DateGreaterThan', t, '99999999999998', { [t]: '99999999999999' })).toBe(true);
  });

  it('Bool: "true"/"false", case-insensitive', () => {
    expect(cond('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'TRUE' })).toBe(true);
    expect(cond('Bool', 'aws:SecureTransport', 'False', { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(cond('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'false' })).toBe(false);
    // JSON booleans are accepted as their text
    expect(
      allows(
        { Condition: { Bool: { 'aws:SecureTransport': true } } },
        req({ context: { 'aws:SecureTransport': 'true' } }),
      ),
    ).toBe(true);
  });

  it('BinaryEquals: exact base64 text', () => {
    expect(cond('BinaryEquals', 'x:b', 'QmluYXJ5VmFsdWU=', { 'x:b': 'QmluYXJ5VmFsdWU=' })).toBe(true);
    expect(cond('BinaryEquals', 'x:b', 'QmluYXJ5VmFsdWU=', { 'x:b': 'qmluyxj5vmfsdwu=' })).toBe(false);
  });

  it('IpAddress / NotIpAddress: IPv4 CIDR ranges', () => {
    const k = 'aws:SourceIp';
    expect(cond('IpAddress', k, '203.0.113.0/24', { [k]: '203.0.113.77' })).toBe(true);
    expect(cond('IpAddress', k, '203.0.113.0/24', { [k]: '203.0.114.1' })).toBe(false);
    expect(cond('IpAddress', k, '203.0.113.5', { [k]: '203.0.113.5' })).toBe(true); // plain address = /32
    expect(cond('IpAddress', k, '203.0.113.5', { [k]: '203.0.113.6' })).toBe(false);
    expect(cond('NotIpAddress', k, '203.0.113.0/24', { [k]: '198.51.100.1' })).toBe(true);
    expect(cond('NotIpAddress', k, '203.0.113.0/24', { [k]: '203.0.113.1' })).toBe(false);
    expect(cond('IpAddress', k, '203.0.113.0/24', { [k]: 'not-an-ip' })).toBe(false);
  });

  it('IpAddress: IPv6 ranges, `::` compression; IPv4 never falls in IPv6 ranges', () => {
    const k = 'aws:SourceIp';
    expect(cond('IpAddress', k, '2001:db8::/32', { [k]: '2001:db8:1234::1' })).toBe(true);
    expect(cond('IpAddress', k, '2001:DB8::/32', { [k]: '2001:0db8:0:0:0:0:0:1' })).toBe(true);
    expect(cond('IpAddress', k, '2001:db8::/32', { [k]: '2001:db9::1' })).toBe(false);
    expect(cond('IpAddress', k, '::/0', { [k]: '10.0.0.1' })).toBe(false);
    expect(cond('IpAddress', k, '0.0.0.0/0', { [k]: '::1' })).toBe(false);
    expect(cond('IpAddress', k, '::/0', { [k]: '::1' })).toBe(true);
  });

  it('ForAnyValue: some value satisfies the operator; false when absent', () => {
    const op = 'ForAnyValue:StringEquals';
    expect(cond(op, 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['owner', 'env'] })).toBe(true);
    expect(cond(op, 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['owner', 'cost'] })).toBe(false);
    expect(cond(op, 'aws:TagKeys', ['env'], {})).toBe(false);
  });

  it('ForAllValues: every value satisfies the operator; true when absent or empty', () => {
    const op = 'ForAllValues:StringEquals';
    expect(cond(op, 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['env', 'team'] })).toBe(true);
    expect(cond(op, 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['env', 'owner'] })).toBe(false);
    expect(cond(op, 'aws:TagKeys', ['env'], {})).toBe(true);
    expect(cond(op, 'aws:TagKeys', ['env'], { 'aws:TagKeys': [] })).toBe(true);
  });

  it('with a negated operator the per-value test is the negated one', () => {
    const all = 'ForAllValues:StringNotEquals';
    expect(cond(all, 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['env', 'team'] })).toBe(true);
    expect(cond(all, 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['env', 'secret'] })).toBe(false);
    const any = 'ForAnyValue:StringNotLike';
    expect(cond(any, 'aws:TagKeys', ['env*'], { 'aws:TagKeys': ['env1', 'team'] })).toBe(true);
    expect(cond(any, 'aws:TagKeys', ['env*'], { 'aws:TagKeys': ['env1', 'env2'] })).toBe(false);
    expect(cond(any, 'aws:TagKeys', ['env*'], {})).toBe(false);
  });

  it('a single-valued operator on a key with several values holds when any value satisfies it', () => {
    expect(
      cond('StringEquals', 'aws:CalledVia', 'athena.amazonaws.com', {
        'aws:CalledVia': ['x', 'athena.amazonaws.com'],
      }),
    ).toBe(true);
    expect(
      cond('StringEquals', 'aws:CalledVia', 'athena.amazonaws.com', { 'aws:CalledVia': ['x', 'y'] }),
    ).toBe(false);
  });

  it('a set operator on a single-valued key is allowed (a teaching note with the catalog)', () => {
    const catalog = new Catalog({
      source: 'test',
      version: '1',
      services: {},
      globalConditionKeys: [
        ['aws:SourceIp', 'IPAddress', ''],
        ['aws:TagKeys', 'ArrayOfString', ''],
      ],
    });
    const text = policyText({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: {
        'ForAllValues:IpAddress': { 'aws:SourceIp': '10.0.0.0/8' },
        'ForAnyValue:StringLike': { 'aws:TagKeys': 'a*' },
      },
    });
    const e = evaluate(
      text,
      req({ context: { 'aws:SourceIp': '10.1.1.1', 'aws:TagKeys': ['ab'] } }),
      catalog,
    );
    expect(e.decision).toBe('Allowed');
    expect(e.statements[0]?.conditions[0]?.detail).toMatch(/single-valued/);
    expect(e.statements[0]?.conditions[1]?.detail).not.toMatch(/single-valued/);
    expect(
      evaluate(text, req({ context: { 'aws:SourceIp': '11.1.1.1', 'aws:TagKeys': ['ab'] } }), catalog)
        .decision,
    ).toBe('ImplicitlyDenied');
  });

  it('an unknown operator is an error naming the statement and the operator', () => {
    const text = policyText([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'bob' } } },
    ]);
    const parsed = parsePolicy(text);
    if (!parsed.ok) throw new Error('parse');
    let err: unknown;
    try {
      evaluatePolicy(parsed.policy, req());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EvaluationError);
    expect((err as EvaluationError).code).toBe('INVALID_OPERATOR');
    expect((err as EvaluationError).statementIndex).toBe(1);
    expect((err as EvaluationError).message).toMatch(/Statement 1.*StringEqualz/);
    const r = evaluateText(text, req());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/StringEqualz/);
    // a bogus qualifier is unknown too; a known operator is fine
    expect(
      evaluateText(
        policyText({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { 'ForSome:StringEquals': { k: 'v' } },
        }),
        req(),
      ).ok,
    ).toBe(false);
    expect(
      evaluateText(
        policyText({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: 'v' } } }),
        req(),
      ).ok,
    ).toBe(true);
  });

  it.each([
    ['NumericLessThan', 'ten'],
    ['DateLessThan', 'tomorrow'],
    ['Bool', 'yes'],
    ['IpAddress', '10.0.0.0/33'],
    ['IpAddress', '300.0.0.1'],
    ['Null', 'maybe'],
  ])('a malformed value is an error naming the statement and the operator (%s %s)', (op, value) => {
    const r = evaluateText(
      policyText({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'x:k': value } } }),
      req(),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_VALUE');
      expect(r.error.message).toContain('Statement 0');
      expect(r.error.message).toContain(op);
    }
  });

  it('IfExists wins over a set qualifier when the key is absent (project choice)', () => {
    expect(cond('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', {})).toBe(true);
    expect(cond('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', { 'aws:TagKeys': ['b'] })).toBe(
      false,
    );
  });

  it.each(['NullIfExists', 'ForAnyValue:Null', 'ForAllValues:Null'])(
    '%s is rejected as an unknown operator',
    (op) => {
      const r = evaluateText(
        policyText({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [op]: { 'x:k': 'true' } } }),
        req(),
      );
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_OPERATOR');
    },
  );

  it('the trace records operator, key, presence and request value', () => {
    const e = evaluate(
      policyText({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
      req({ context: { 'aws:sourceip': '10.2.3.4' } }),
    );
    const c = e.statements[0]?.conditions[0];
    expect(c).toMatchObject({
      operator: 'IpAddress',
      key: 'aws:SourceIp',
      keyPresent: true,
      requestValue: '10.2.3.4',
      matched: true,
    });
    expect(c?.path).toEqual(['Statement', 'Condition', 'IpAddress', 'aws:SourceIp']);
    expect(c?.detail).toContain('"10.2.3.4" is in "10.0.0.0/8"');
  });
});

// ---------------------------------------------------------------------------------------------------
// Seed examples

describe('seed examples', () => {
  const cases = (
    seedChecks as {
      cases: {
        name: string;
        policyDocument?: unknown;
        newPolicyDocument?: unknown;
        existingPolicyDocument?: unknown;
      }[];
    }
  ).cases;
  const doc = (
    name: string,
    field: 'policyDocument' | 'newPolicyDocument' | 'existingPolicyDocument' = 'policyDocument',
  ): string => {
    const c = cases.find((x) => x.name === name);
    if (!c || c[field] === undefined) throw new Error(`no seed case ${name}`);
    return JSON.stringify(c[field]);
  };
  const bucket = 'arn:aws:s3:::DOC-EXAMPLE-BUCKET';

  it('public-bucket-put allows anonymous s3:PutObject on the bucket, nothing else', () => {
    const text = doc('public-bucket-put');
    const r = req({ principal: anonymous, action: 's3:PutObject', resource: bucket });
    expect(evaluate(text, r).decision).toBe('Allowed');
    expect(evaluate(text, { ...r, action: 's3:DeleteBucket' }).decision).toBe('ImplicitlyDenied');
    expect(evaluate(text, { ...r, resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/key' }).decision).toBe(
      'ImplicitlyDenied',
    );
  });

  it('deny-notprincipal-closes-public-access denies outsiders, allows the account', () => {
    const text = doc('deny-notprincipal-closes-public-access');
    const r = req({ action: 's3:PutObject', resource: bucket });
    const outsider = evaluate(text, { ...r, principal: aws('arn:aws:iam::999999999999:root') });
    expect(outsider.decision).toBe('ExplicitlyDenied');
    expect(outsider.deniedBy).toEqual([1]);
    expect(evaluate(text, { ...r, principal: anonymous }).decision).toBe('ExplicitlyDenied');
    // NotPrincipal names the account: only its root is exempt (IAM "NotPrincipal")
    const root = evaluate(text, { ...r, principal: aws('123456789012') });
    expect(root.decision).toBe('Allowed');
    expect(root.allowedBy).toEqual([0]);
    const insider = evaluate(text, { ...r, principal: aws('arn:aws:iam::123456789012:role/R') });
    expect(insider.decision).toBe('ExplicitlyDenied');
  });

  it('cross-account-open allows an account other than 123456789012', () => {
    const text = doc('cross-account-open');
    const r = req({
      action: 's3:PutObject',
      resource: bucket,
      principal: aws('arn:aws:iam::444455556666:user/u'),
    });
    expect(evaluate(text, r).decision).toBe('Allowed');
    expect(evaluate(text, { ...r, action: 's3:GetObject' }).decision).toBe('ImplicitlyDenied');
  });

  it('no-new-access-added-delete-bucket: the new policy allows s3:DeleteBucket to the account, the old does not', () => {
    const r = req({
      action: 's3:DeleteBucket',
      resource: bucket,
      principal: aws('arn:aws:iam::123456789012:role/R'),
    });
    const newer = evaluate(doc('no-new-access-added-delete-bucket', 'newPolicyDocument'), r);
    expect(newer.decision).toBe('Allowed');
    expect(newer.allowedBy).toEqual([0]);
    const older = doc('no-new-access-added-delete-bucket', 'existingPolicyDocument');
    expect(evaluate(older, r).decision).toBe('ImplicitlyDenied');
    expect(
      evaluate(doc('no-new-access-added-delete-bucket', 'newPolicyDocument'), { ...r, principal: anonymous })
        .decision,
    ).toBe('ImplicitlyDenied');
  });

  it('access-not-granted-identity-statement-1 grants s3:DeleteBucket through statement 1 only', () => {
    const text = doc('access-not-granted-identity-statement-1');
    const e = evaluate(
      text,
      req({ action: 's3:DeleteBucket', resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/x' }),
    );
    expect(e.decision).toBe('Allowed');
    expect(e.allowedBy).toEqual([1]);
    expect(evaluate(text, req({ action: 's3:DeleteBucket', resource: bucket })).decision).toBe(
      'ImplicitlyDenied',
    );
    expect(
      evaluate(
        doc('access-not-granted-passes'),
        req({ action: 's3:DeleteBucket', resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/x' }),
      ).decision,
    ).toBe('ImplicitlyDenied');
  });
});

// ---------------------------------------------------------------------------------------------------
// glob.ts helpers

describe('glob helpers', () => {
  it('globToRegExp escapes regex metacharacters', () => {
    expect(globToRegExp('a.b+c(d)[e]{f}|g^h$i\\j').test('a.b+c(d)[e]{f}|g^h$i\\j')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('A*', { caseInsensitive: true }).test('abc')).toBe(true);
    expect(globMatches('A*', 'abc')).toBe(false);
  });

  it('literal parts never act as wildcards', () => {
    const parts = [
      { kind: 'pattern' as const, text: 'x/' },
      { kind: 'literal' as const, text: '*?' },
    ];
    expect(globMatches(parts, 'x/*?')).toBe(true);
    expect(globMatches(parts, 'x/ab')).toBe(false);
  });

  it('substituteVariables reports missing keys and keeps unterminated text literal', () => {
    const lookup = (k: string): string | undefined => (k === 'aws:username' ? 'bob' : undefined);
    expect(substituteVariables('a/${aws:username}/b', lookup, true)).toMatchObject({
      ok: true,
      text: 'a/bob/b',
    });
    expect(substituteVariables('a/${aws:userid}', lookup, true)).toMatchObject({
      ok: false,
      missing: ['aws:userid'],
    });
    expect(substituteVariables('a/${aws:username', lookup, true)).toMatchObject({
      ok: true,
      text: 'a/${aws:username',
    });
    expect(substituteVariables('a/${aws:username}', lookup, false)).toMatchObject({
      ok: true,
      text: 'a/${aws:username}',
    });
    expect(substituteVariables("${x:y, 'd-1'}", lookup, true)).toMatchObject({ ok: true, text: 'd-1' });
  });

  it('arnMatches handles "*" and segment rules', () => {
    expect(arnMatches('*', 'anything')).toBe(true);
    expect(arnMatches('arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/a/b')).toBe(true);
    // the account `*` ends its segment: it may match beyond the colon (IAM "Resource")
    expect(arnMatches('arn:aws:iam::*:role/*', 'arn:aws:iam::1:2:role/a')).toBe(true);
    expect(arnMatches('arn:aws:iam::1*2:role/*', 'arn:aws:iam::1:2:role/a')).toBe(false);
  });
});
