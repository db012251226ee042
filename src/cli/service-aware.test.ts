/**
 * `--service-aware` on the single-policy checks: the verdict as AWS authorizes requests, Access
 * Analyzer's kept under `accessAnalyzer`; without the flag the output is Access Analyzer's alone.
 * The policy is the seed example's: s3:DeleteBucket granted on `arn:aws:s3:::BUCKET/*` (objects).
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from '../checks/node.ts';
import type { CheckResponse } from '../checks/types.ts';
import { parseArgv } from './parse-args.ts';
import { once, runCommand, type RunContext } from './run.ts';

const ctx: RunContext = {
  cwd: process.cwd(),
  engine: once(createNodeEngine),
  catalog: once(loadDefaultCatalog),
};
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:DeleteBucket'],
      Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*',
    },
  ],
});

async function run(argv: string[]) {
  const parsed = parseArgv(argv);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  if (parsed.value.kind !== 'run') throw new Error('not a command');
  return runCommand(parsed.value.command, parsed.value.flags, ctx);
}

const ARGS = [
  'check-access-not-granted',
  '--policy-document',
  POLICY,
  '--access',
  '[{"actions":["s3:DeleteBucket"]}]',
  '--policy-type',
  'IDENTITY_POLICY',
];

describe('--service-aware', () => {
  it('makes the service-aware reading the verdict and keeps Access Analyzer’s', async () => {
    const out = await run([...ARGS, '--service-aware']);
    const json = out.json as CheckResponse & { accessAnalyzer: Partial<CheckResponse> };
    expect(json.result).toBe('PASS');
    expect(out.exitCode).toBe(0);
    expect(json.message).toMatch(/complete and current \(catalog \d{4}-\d{2}-\d{2}\)/);
    expect(json.accessAnalyzer.result).toBe('FAIL');
    expect(json.accessAnalyzer.counterexamples?.[0]?.impossible).toMatch(/s3:DeleteBucket acts on bucket/);
  });
  it('without it, the verdict is Access Analyzer’s, as before', async () => {
    const out = await run(ARGS);
    const json = out.json as CheckResponse;
    expect(json.result).toBe('FAIL');
    expect(out.exitCode).toBe(1);
    expect(json.serviceAware).toBeUndefined();
  });
  it('is a flag of the single-policy form only', async () => {
    const parsed = parseArgv([
      'check-access-not-granted',
      '--scenario',
      '{}',
      '--access',
      '[]',
      '--service-aware',
    ]);
    expect(parsed.ok).toBe(false);
  });
});
