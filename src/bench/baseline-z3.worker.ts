/**
 * The solver baseline's worker: Z3 started exactly as src/worker/analysis.worker.ts starts it
 * (z3-built.js fetched and evaluated in global scope, `init` with the absolute script and WASM URLs),
 * then one trivial check (x > 1 ∧ x < 3 over the integers: sat). Nothing else: no catalog, no engine.
 */
import z3ScriptUrl from 'z3-solver/build/z3-built.js?url';
import z3WasmUrl from 'z3-solver/build/z3-built.wasm?url';

const started = performance.now();

async function main(): Promise<void> {
  if (!self.crossOriginIsolated) throw new Error('not cross-origin isolated');
  const g = globalThis as unknown as Record<string, unknown>;
  g.global = globalThis;
  const absScript = new URL(z3ScriptUrl, self.location.href).href;
  const absWasm = new URL(z3WasmUrl, self.location.href).href;
  const scriptText = await (await fetch(absScript)).text();
  (0, eval)(scriptText);
  const { init } = await import('z3-solver');
  const z3 = await init({
    mainScriptUrlOrBlob: absScript,
    locateFile: (path: string) => (path.endsWith('.wasm') ? absWasm : new URL(path, absScript).href),
  } as never);
  self.postMessage({ kind: 'ready', bootMs: Math.round(performance.now() - started) });
  const { Int, Solver } = z3.Context('main');
  const x = Int.const('x');
  const solver = new Solver();
  solver.add(x.gt(1), x.lt(3));
  self.postMessage({ kind: 'checked', answer: await solver.check() });
}

main().catch((e: unknown) =>
  self.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
);
