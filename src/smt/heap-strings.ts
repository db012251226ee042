/** Keeps SMT-LIB scripts alive in Z3's heap while the solver thread reads them (browser and Node). */
interface Emscripten {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  ccall(name: string, ret: string, types: string[], args: unknown[]): unknown;
  async_call(f: () => unknown): Promise<string>;
}
export interface Z3Init {
  Z3: Record<string, unknown> & { eval_smtlib2_string(ctx: unknown, s: string): Promise<string> };
  em?: Partial<Emscripten>;
}

/**
 * z3-solver's browser `eval_smtlib2_string` passes the script as a *stack* string to a call that
 * finishes on a pthread; the stack is reused as soon as the call returns its promise, so from the
 * second query on the solver can read a clobbered script ("invalid command, '(' expected",
 * "already declared"). Seen in Chromium, and in Node as "unexpected end of string" under load.
 * Here the script lives in malloc'd memory until the solver is done with it.
 */
export function withHeapStrings(init: Z3Init): Z3Init['Z3'] {
  const em = init.em;
  if (!em?._malloc || !em._free || !em.ccall || !em.async_call || !em.HEAPU8) return init.Z3;
  const { _malloc, _free, ccall, async_call } = em as Emscripten;
  const encoder = new TextEncoder();
  return {
    ...init.Z3,
    eval_smtlib2_string: async (ctx: unknown, script: string): Promise<string> => {
      const bytes = encoder.encode(script);
      const ptr = _malloc(bytes.length + 1);
      const heap = (em as Emscripten).HEAPU8;
      heap.set(bytes, ptr);
      heap[ptr + bytes.length] = 0;
      try {
        return await async_call(() =>
          ccall('async_Z3_eval_smtlib2_string', 'void', ['number', 'number'], [ctx, ptr]),
        );
      } finally {
        _free(ptr);
      }
    },
  };
}
