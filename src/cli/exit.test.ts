import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { EXIT, exitCodeForError } from './exit.ts';
import { helpText } from './help.ts';
import { once, runCommand, type EngineLike, type RunContext } from './run.ts';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});

function context(engine: EngineLike): RunContext {
  return { cwd: process.cwd(), engine: () => Promise.resolve(engine), catalog: once(loadDefaultCatalog) };
}

const broken: EngineLike = {
  run: () => Promise.reject(new TypeError('solver went away')),
  runScenario: () => Promise.reject(new TypeError('solver went away')),
  runTests: () => Promise.reject(new TypeError('solver went away')),
};

describe('exit statuses', () => {
  it('keeps an internal error (4) apart from bad input (2)', () => {
    expect(EXIT.INTERNAL).toBe(4);
    expect(exitCodeForError('INTERNAL_ERROR')).toBe(EXIT.INTERNAL);
    for (const code of ['INVALID_JSON', 'UNKNOWN_FLAG', 'MALFORMED_POLICY_DOCUMENT', 'INVALID_VALUE'])
      expect(exitCodeForError(code)).toBe(EXIT.BAD_INPUT);
  });

  it('answers a failing engine with INTERNAL_ERROR and exit 4, not 2', async () => {
    const flags = {
      existingPolicyDocument: POLICY,
      newPolicyDocument: POLICY,
      policyType: 'IDENTITY_POLICY',
    };
    const out = await runCommand('check-no-new-access', flags, context(broken));
    expect(out.exitCode).toBe(4);
    expect(out.json).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'TypeError: solver went away' } });
  });

  it('still answers bad input with exit 2 before the engine is asked', async () => {
    const flags = { existingPolicyDocument: '{', newPolicyDocument: POLICY, policyType: 'IDENTITY_POLICY' };
    const out = await runCommand('check-no-new-access', flags, context(broken));
    expect(out.exitCode).toBe(2);
    expect(out.json).toMatchObject({ error: { code: 'MALFORMED_POLICY_DOCUMENT' } });
  });

  it('documents every exit status in the help', () => {
    const help = helpText();
    for (const status of ['0 PASS', '1 FAIL', '2 bad input', '3 UNKNOWN', '4 internal error'])
      expect(help).toContain(status);
  });
});
