/**
 * The shapes that cross boundaries: the closed set of input-error codes covers every code the core
 * raises (and lists none it does not), real engine answers satisfy their schemas, and a reason names
 * the document its statement is in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from './node.ts';
import { answer, NO_NEW_ACCESS_WORDING } from './wording.ts';
import {
  CheckOutcome,
  ENGINE_ERROR_CODES,
  FINDING_FAULTS,
  InputErrorCode,
  POLICY_ERROR_CODES,
  type CheckRequest,
  type CheckResponse,
  type CompareResponse,
} from './types.ts';

const SRC = fileURLToPath(new URL('../', import.meta.url));

/** Codes raised in the core's source: ERROR findings, encoder and evaluator errors, `code:` fields. */
function codesInSource(): Map<string, string> {
  const patterns = [
    /\badd\(\s*'ERROR',\s*'([A-Z][A-Z_]+)'/g,
    /\breportOp\(\s*'([A-Z][A-Z_]+)'/g,
    /\bcode: '([A-Z][A-Z_]+)'/g,
    /(?:Encoding|Evaluation)Error\(\s*'([A-Z][A-Z_]+)'/g,
    /\bfail\(\s*'([A-Z][A-Z_]+)'/g,
    // evaluate/caller.ts: new CallerError(`message`, 'CODE')
    /\bCallerError\(\s*`[^`]*`,\s*'([A-Z][A-Z_]+)'/g,
  ];
  const found = new Map<string, string>();
  for (const dir of ['policy', 'evaluate', 'smt', 'checks'])
    // policy/validate/ and any other subfolder too
    for (const file of readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(join(SRC, dir, file), 'utf8');
      for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, `${dir}/${file}`);
    }
  return found;
}

describe('InputErrorCode: one closed set of codes', () => {
  const found = codesInSource();

  it('holds every code the parser, the validator, the encoder, the evaluator and the checks raise', () => {
    // A finding for a fault the engine meets too is refused with the engine's code.
    const missing = [...found].filter(
      ([code]) => !InputErrorCode.safeParse(FINDING_FAULTS[code] ?? code).success,
    );
    expect(missing.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('lists no policy or engine code that nothing raises', () => {
    const stale = [...POLICY_ERROR_CODES, ...ENGINE_ERROR_CODES, ...Object.keys(FINDING_FAULTS)].filter(
      (code) => !found.has(code),
    );
    expect(stale).toEqual([]);
  });

  it('has one code per fault: no finding code the engine has its own code for', () => {
    expect(Object.keys(FINDING_FAULTS).filter((code) => InputErrorCode.safeParse(code).success)).toEqual([]);
  });
});

const doc = (...statements: unknown[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const READ = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const WRITE = { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' };

async function run(req: CheckRequest) {
  const engine = await createNodeEngine();
  const out = await engine.run(req, { timeoutMs: 20_000 });
  // What the worker sends the page is validated with the same schema.
  expect(CheckOutcome.safeParse(out).success).toBe(true);
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  return out.response;
}

describe('responses carry their kind, reasons their document', () => {
  it('a reason built from a statement names that statement’s document', () => {
    const r = answer(
      {
        result: 'FAIL',
        counterexamples: [
          {
            request: { action: 's3:PutObject', resource: '*', context: {} },
            grantedBy: [{ document: 'a', statementIndex: 1, statementId: 'W' }],
          },
        ],
        stats: { elapsedMs: 1, solverCalls: 1 },
      },
      NO_NEW_ACCESS_WORDING,
      [{ document: 'a', statementIndex: 1 }],
    );
    expect(r.kind).toBe('check');
    expect(r.reasons).toEqual([
      {
        description: 'New access in the statement with index: 1.',
        document: 'a',
        statementIndex: 1,
        statementId: 'W',
      },
    ]);
  });

  it('ComparePolicies: the reasons of A-not-B point into policy A, those of B-not-A into policy B', async () => {
    // A grants write at index 1, B grants a different write at index 0: each direction has a reason.
    const a = doc(READ, WRITE);
    const b = doc({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' }, READ);
    const r = (await run({
      check: 'ComparePolicies',
      policyA: a,
      policyB: b,
      policyType: 'IDENTITY_POLICY',
    })) as CompareResponse;
    expect(r.kind).toBe('compare');
    expect(r.result).toBe('INCOMPARABLE');
    expect(r.aNotB.reasons).toEqual([expect.objectContaining({ document: 'a', statementIndex: 1 })]);
    expect(r.bNotA.reasons).toEqual([expect.objectContaining({ document: 'b', statementIndex: 0 })]);
  });

  it('CheckNoNewAccess: the reasons point into the new policy', async () => {
    const r = (await run({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: doc(READ),
      newPolicyDocument: doc(READ, WRITE),
      policyType: 'IDENTITY_POLICY',
      exactNewAccess: false,
    })) as CheckResponse;
    expect(r.kind).toBe('check');
    expect(r.reasons).toEqual([expect.objectContaining({ document: 'new', statementIndex: 1 })]);
  });
});
