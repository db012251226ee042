/**
 * One schema for the check request: the worker checks its shape (types.ts CheckRequest), the engine
 * and the CLI its rules too (ValidCheckRequest), and a bad value gets the same code everywhere.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { InputProblem, parseCheck, requestError, requestIssue, ValidCheckRequest } from './request.ts';
import { CheckRequest, type InputError } from './types.ts';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
});

function refusal(req: unknown): InputError {
  const r = ValidCheckRequest.safeParse(req);
  if (r.success) throw new Error('expected the request to be refused');
  return requestError(r.error);
}

const outside = (trustedAccounts: unknown, trustedOrgIds?: unknown) => ({
  check: 'NoAccessOutsideAccounts',
  policyDocument: POLICY,
  trustedAccounts,
  ...(trustedOrgIds !== undefined ? { trustedOrgIds } : {}),
});
const notGranted = (access: unknown) => ({
  check: 'CheckAccessNotGranted',
  policyDocument: POLICY,
  access,
  policyType: 'IDENTITY_POLICY',
});

describe('ValidCheckRequest', () => {
  it('accepts the requests the engine runs', () => {
    expect(ValidCheckRequest.safeParse(outside(['123456789012'], ['o-a1b2c3d4e5'])).success).toBe(true);
    expect(ValidCheckRequest.safeParse(outside([], ['o-a1b2c3d4e5'])).success).toBe(true);
    expect(ValidCheckRequest.safeParse(notGranted([{ resources: ['arn:aws:s3:::b'] }])).success).toBe(true);
  });

  it('gives each rule its code, with the field and the place in it', () => {
    expect(refusal(outside(['1234']))).toEqual({
      code: 'INVALID_ACCOUNT',
      message: 'trustedAccounts[0]: "1234" is not a 12-digit account id.',
    });
    expect(refusal(outside(['123456789012'], ['o-x'])).code).toBe('INVALID_ORGANIZATION');
    expect(refusal(outside([])).code).toBe('MISSING_TRUSTED');
    expect(refusal(notGranted([])).code).toBe('INVALID_ACCESS');
    expect(refusal(notGranted([{}]))).toEqual({
      code: 'INVALID_ACCESS',
      message: 'access[0]: needs "actions" or "resources".',
    });
    expect(refusal(notGranted([{ actions: [''] }])).message).toBe(
      'access[0].actions[0]: an empty name matches nothing.',
    );
    const rt = refusal({ check: 'CheckNoPublicAccess', policyDocument: POLICY, resourceType: 's3 bucket' });
    expect(rt.code).toBe('INVALID_RESOURCE_TYPE');
  });

  it('codes a shape error by its field, and a request that is no check request as INVALID_REQUEST', () => {
    expect(refusal(notGranted([{ action: ['s3:GetObject'] }]))).toEqual({
      code: 'INVALID_ACCESS',
      message: 'access[0]: Unrecognized key: "action".',
    });
    expect(refusal(outside('123456789012')).code).toBe('INVALID_ACCOUNT');
    expect(refusal({ check: 'CheckEverything' }).code).toBe('INVALID_REQUEST');
    expect(refusal({ ...notGranted([{ actions: ['s3:x'] }]), policyType: 'SCP' })).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/^policyType: /),
    });
    const r = ValidCheckRequest.safeParse(outside(['1']));
    if (r.success) throw new Error('expected a refusal');
    expect(requestIssue(r.error)).toEqual({
      code: 'INVALID_ACCOUNT',
      field: 'trustedAccounts',
      at: '[0]',
      detail: '"1" is not a 12-digit account id',
    });
  });

  it('the worker’s shape check lets a bad value through; the engine refuses it with the code', async () => {
    const req = outside(['1234']);
    expect(CheckRequest.safeParse(req).success).toBe(true);
    const catalog = await loadDefaultCatalog();
    let thrown: unknown;
    try {
      parseCheck(req as CheckRequest, catalog);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputProblem);
    expect((thrown as InputProblem).error.code).toBe('INVALID_ACCOUNT');
  });
});
