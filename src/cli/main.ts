/**
 * `npm run --silent cli -- <command> [flags]`: the offline drop-in for `aws accessanalyzer check-*`.
 * See `--help`; commands.ts holds the command table, parse-args.ts the grammar, exit.ts the exit statuses.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from '../checks/node.ts';
import { EXIT, exitCodeForError } from './exit.ts';
import { helpText } from './help.ts';
import { parseArgv, parseBatchLine } from './parse-args.ts';
import type { ErrorBody } from './errors.ts';
import { errorText, once, runCommand, type RunContext } from './run.ts';

function makeContext(): RunContext {
  return { cwd: process.cwd(), engine: once(createNodeEngine), catalog: once(loadDefaultCatalog) };
}

/** Writes and exits once the output is flushed (the solver's threads would keep the process alive). */
function finish(stdout: string, stderr: string, code: number): void {
  if (stderr) process.stderr.write(stderr);
  process.stdout.write(stdout, () => process.exit(code));
}

function errorExit(error: ErrorBody, hint = ''): void {
  finish(JSON.stringify({ error }, null, 2) + '\n', errorText(error) + hint, exitCodeForError(error.code));
}

async function runBatch(ctx: RunContext): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    if (raw.trim() === '') continue;
    const started = performance.now();
    const item = parseBatchLine(raw);
    let out: { exitCode: number; json: unknown };
    let head: Record<string, unknown>;
    if (!item.ok) {
      out = { exitCode: EXIT.BAD_INPUT, json: { error: item.error } };
      head = {
        line: lineNo,
        ...(item.id !== undefined ? { id: item.id } : {}),
        ...(item.command ? { command: item.command } : {}),
      };
    } else {
      out = await runCommand(item.value.command, item.value.flags, ctx);
      head = {
        line: lineNo,
        ...(item.value.id !== undefined ? { id: item.value.id } : {}),
        command: item.value.command,
      };
    }
    const body =
      out.json !== null && typeof out.json === 'object' && !Array.isArray(out.json)
        ? out.json
        : { output: out.json };
    const line = {
      ...head,
      exitCode: out.exitCode,
      ...body,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  finish('', '', 0);
}

async function main(): Promise<void> {
  const parsed = parseArgv(process.argv.slice(2));
  if (!parsed.ok) {
    errorExit({ ...parsed.error }, parsed.error.code === 'MISSING_COMMAND' ? 'Run --help for usage.\n' : '');
    return;
  }
  const args = parsed.value;
  if (args.kind === 'help') {
    finish(helpText(args.command), '', 0);
    return;
  }
  const ctx = makeContext();
  if (args.command === 'batch') {
    await runBatch(ctx);
    return;
  }
  // a scenario given as `-` reads stdin (batch reads its lines from there instead)
  let stdin: string | undefined;
  const out = await runCommand(args.command, args.flags, {
    ...ctx,
    stdin: () => (stdin ??= readFileSync(0, 'utf8')),
  });
  const json = out.text ?? JSON.stringify(out.json, null, 2) + '\n';
  const error = (out.json as { error?: ErrorBody } | null)?.error;
  finish(json, error ? errorText(error) : '', out.exitCode);
}

main().catch((e: unknown) => {
  const err = e as Error;
  errorExit({ code: 'INTERNAL_ERROR', message: `${err.name}: ${err.message}` });
});
