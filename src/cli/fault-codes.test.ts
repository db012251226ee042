/**
 * One fault, one code: a condition value its operator cannot read is INVALID_VALUE wherever it is met
 * — refused by a check (the validator finds it first), thrown by the evaluator, and answered by the
 * CLI's check and `evaluate` commands. The validator's finding keeps Access Analyzer's issue code.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from '../checks/node.ts';
import { evaluateText } from '../evaluate/evaluate.ts';
import { once, runCommand, type RunContext } from './run.ts';

const doc = (condition?: Record<string, Record<string, string>>): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });

/** [operator, key, a value it cannot read, the validator's issue code, a context value of the key] */
const UNREADABLE: [string, string, string, string, string][] = [
  ['NumericLessThan', 's3:max-keys', 'abc', 'TYPE_MISMATCH_NUMBER', '5'],
  ['DateGreaterThan', 'aws:CurrentTime', 'yesterday', 'TYPE_MISMATCH_DATE', '2024-01-01T00:00:00Z'],
  ['Bool', 'aws:SecureTransport', 'yes', 'TYPE_MISMATCH_BOOLEAN', 'true'],
  ['Null', 'aws:SourceVpc', 'maybe', 'TYPE_MISMATCH_BOOLEAN', 'vpc-1'],
  ['IpAddress', 'aws:SourceIp', '10.0.0.256', 'TYPE_MISMATCH_IP_RANGE', '10.0.0.1'],
];

const context = (): RunContext => ({
  cwd: process.cwd(),
  engine: createNodeEngine,
  catalog: once(loadDefaultCatalog),
});

describe('an unreadable condition value has one code on every path', () => {
  it.each(UNREADABLE)('%s on %s: "%s"', async (operator, key, value, issueCode, contextValue) => {
    const bad = doc({ [operator]: { [key]: value } });
    const request = {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket/key',
      context: { [key]: contextValue },
    };
    const codes: Record<string, unknown> = {};

    const engine = await createNodeEngine();
    const checked = await engine.run(
      {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: doc(),
        newPolicyDocument: bad,
        policyType: 'IDENTITY_POLICY',
      },
      { timeoutMs: 20_000 },
    );
    if (checked.ok) throw new Error('the check answered a policy it cannot read');
    codes.check = checked.error.code;
    // The validator's finding still says what Access Analyzer says.
    expect(checked.error.findings?.[0]?.issueCode).toBe(issueCode);

    const evaluated = evaluateText(bad, request, { catalog: await loadDefaultCatalog() });
    if (evaluated.ok) throw new Error('the evaluator decided a policy it cannot read');
    codes.evaluate = evaluated.error.code;

    const cliCheck = await runCommand(
      'check-no-new-access',
      { existingPolicyDocument: doc(), newPolicyDocument: bad, policyType: 'IDENTITY_POLICY' },
      context(),
    );
    expect(cliCheck.exitCode).toBe(2);
    codes.cliCheck = (cliCheck.json as { error?: { code?: unknown } }).error?.code;

    const cliEvaluate = await runCommand(
      'evaluate',
      { policyDocument: bad, request: JSON.stringify(request) },
      context(),
    );
    expect(cliEvaluate.exitCode).toBe(2);
    codes.cliEvaluate = (cliEvaluate.json as { error?: { code?: unknown } }).error?.code;

    expect(codes).toEqual({
      check: 'INVALID_VALUE',
      evaluate: 'INVALID_VALUE',
      cliCheck: 'INVALID_VALUE',
      cliEvaluate: 'INVALID_VALUE',
    });
  });
});
