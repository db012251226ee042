/**
 * The worker's early answers, kept apart from its message switch so they can be tested: before Z3
 * has started, each queued check is tried once without the solver; a FAIL found that way is sent,
 * and then the full check sends no preliminary of its own (the page already shows one). A check
 * tried without success keeps its own preliminary (the solver's first counterexample).
 *
 * The early stage never fails a check, nor the worker: an answer (or a send) that throws counts as no
 * early answer (the full check then runs and reports bad input with its code, as always), and the
 * error goes to `onError` (the worker logs it).
 */
import type { CheckRequest, CheckResponse } from '../checks/types.ts';

export class EarlyAnswers {
  private answer?: (request: CheckRequest) => CheckResponse | undefined;
  private readonly tried = new Set<number>();
  private readonly sent = new Set<number>();

  constructor(
    private readonly send: (id: number, response: CheckResponse) => void,
    private readonly onError: (id: number, error: unknown) => void = () => undefined,
  ) {}

  /** The solver-free answer is available (the catalog has loaded). */
  ready(answer: (request: CheckRequest) => CheckResponse | undefined): void {
    this.answer = answer;
  }

  /** Tries every queued check not tried yet (only while the solver is not up). */
  tryQueued(queue: readonly { id: number; request: CheckRequest }[]): void {
    if (!this.answer) return;
    for (const m of queue) {
      if (this.tried.has(m.id)) continue;
      this.tried.add(m.id);
      try {
        const response = this.answer(m.request);
        if (!response) continue;
        this.send(m.id, response);
        this.sent.add(m.id);
      } catch (e) {
        this.onError(m.id, e);
      }
    }
  }

  /** May the full check send its own preliminary answer? */
  mayAnnounce(id: number): boolean {
    return !this.sent.has(id);
  }

  /** The check is over (answered or cancelled). */
  forget(id: number): void {
    this.tried.delete(id);
    this.sent.delete(id);
  }
}
