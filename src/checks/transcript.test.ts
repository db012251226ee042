/**
 * `record: true`: the response carries every SMT-LIB command the engine sent to Z3 with its answers,
 * and replaying those commands in Z3 gives the same answers again.
 */
import { describe, expect, it } from 'vitest';
import seed from '../fixtures/examples/seed-checks.json';
import { nodeRunner } from '../smt/runner-node.ts';
import { createNodeEngine } from './node.ts';
import type { CheckRequest, CheckResponse } from './types.ts';

const doc = (d: unknown) => JSON.stringify(d);
const c = seed.cases.find((x) => x.name === 'no-new-access-added-delete-bucket')!;
const REQUEST: CheckRequest = {
  check: 'CheckNoNewAccess',
  existingPolicyDocument: doc(c.existingPolicyDocument),
  newPolicyDocument: doc(c.newPolicyDocument),
  policyType: 'RESOURCE_POLICY',
};

/** Commands and recorded answers, in order. */
function parse(transcript: string): { commands: string[]; answers: string[] } {
  const commands: string[] = [];
  const answers: string[] = [];
  let current: string[] = [];
  for (const line of transcript.split('\n')) {
    if (line.startsWith('; => ')) {
      answers.push(line.slice(5));
      continue;
    }
    if (line.startsWith(';') || !line.trim()) continue;
    current.push(line);
    if (/\((check-sat|get-value)/.test(line)) {
      commands.push(current.join('\n'));
      current = [];
    }
  }
  return { commands, answers };
}

describe('solver transcript', () => {
  it('is absent unless asked for, and the verdict does not change when it is recorded', async () => {
    const engine = await createNodeEngine();
    const plain = await engine.run(REQUEST);
    const recorded = await engine.run(REQUEST, { record: true });
    if (!plain.ok || !recorded.ok) throw new Error('the check failed');
    expect((plain.response as CheckResponse).transcript).toBeUndefined();
    expect(recorded.response.result).toBe(plain.response.result);
    expect(recorded.response.result).toBe('FAIL');
    expect((recorded.response as CheckResponse).transcript).toMatch(/^\(reset\)$/m);
  });

  it('replays in Z3 to the same answers', async () => {
    const engine = await createNodeEngine();
    const out = await engine.run(REQUEST, { record: true });
    if (!out.ok) throw new Error('the check failed');
    const transcript = (out.response as CheckResponse).transcript!;
    const { answers } = parse(transcript);
    const satAnswers = answers.filter((a) => /^(sat|unsat|unknown)$/.test(a));
    expect(satAnswers.length).toBeGreaterThanOrEqual(2);
    expect(satAnswers).toContain('sat');
    // Replay the whole text (comments included: Z3 ignores them) in the same process's Z3.
    const runner = await nodeRunner();
    const replayed = (await runner.run(transcript.replace(/\(set-option :timeout \d+\)/g, '')))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^(sat|unsat|unknown)$/.test(l));
    expect(replayed).toEqual(satAnswers);
    await runner.run('(reset)');
  });
});
