/**
 * Stands in for monaco-editor's `internal/common/workers.js` (vite.config.ts's `slimMonacoWorkers`).
 *
 * The JSON language's lazily loaded mode (`languages/features/json/jsonMode.js`) imports
 * `createWebWorker` from that module, and that module also imports every editor contribution (code
 * lens, drop-into-editor, sticky scroll, inline completions, the GPU renderer, ...): ~500 kB that
 * arrived only after the first editor was made. Their services were registered after the standalone
 * services had started, so each editor made after that threw "depends on UNKNOWN service
 * ICodeLensCache / treeViewsDndService". This module is the same `createWebWorker` without those
 * imports, so the editors get exactly the features src/ui/editor/monaco.ts picks.
 */
import { editor } from 'monaco-editor/editor';

interface WorkerEnvironment {
  getWorker?(workerId: string, label: string): Worker | Promise<Worker>;
  getWorkerUrl?(workerId: string, label: string): string;
}

interface CreateWebWorkerOptions {
  label?: string;
  moduleId?: string;
  createWorker?: () => Worker;
  createData?: unknown;
  host?: Record<string, (...args: unknown[]) => unknown>;
  keepIdleModels?: boolean;
}

function getWorker(label: string, createWorker: (() => Worker) | undefined): Worker | Promise<Worker> {
  const env = (globalThis as { MonacoEnvironment?: WorkerEnvironment }).MonacoEnvironment;
  if (env?.getWorker) return env.getWorker('workerMain.js', label);
  if (env?.getWorkerUrl)
    return new Worker(env.getWorkerUrl('workerMain.js', label), { name: label, type: 'module' });
  if (createWorker) return createWorker();
  throw new Error('You must define a function MonacoEnvironment.getWorkerUrl or MonacoEnvironment.getWorker');
}

export function createWebWorker<T extends object>(opts: CreateWebWorkerOptions): editor.MonacoWebWorker<T> {
  const worker = Promise.resolve(getWorker(opts.label ?? 'monaco-editor-worker', opts.createWorker)).then(
    (w) => {
      w.postMessage('ignore');
      w.postMessage(opts.createData);
      return w;
    },
  );
  return editor.createWebWorker<T>({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
}
