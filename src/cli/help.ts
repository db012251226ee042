/** Help text: the command list, and one command's usage, flags and examples. */
import { COMMANDS, COMMON_FLAGS, findCommand, flagsOf, type FlagSpec } from './commands.ts';

function pad(s: string, n: number): string {
  return s.length >= n ? `${s}  ` : s + ' '.repeat(n - s.length);
}

function flagUsage(f: FlagSpec): string {
  const value =
    f.kind === 'boolean'
      ? ''
      : f.kind === 'enum'
        ? ` <${(f.values ?? []).join('|')}>`
        : f.kind === 'list'
          ? ' <a,b,...>'
          : f.kind === 'number'
            ? ' <n>'
            : ' <value>';
  return `--${f.name}${value}`;
}

export function helpText(command?: string): string {
  const prog = 'npm run --silent cli --';
  const cmd = command ? findCommand(command) : undefined;
  if (!cmd) {
    const lines = [
      'Offline IAM policy checks (AWS IAM Access Analyzer command and flag names, solved locally with Z3).',
      '',
      `Usage: ${prog} <command> [flags]`,
      `       ${prog} <command> --help`,
      '',
      'Commands:',
      ...COMMANDS.map((c) => `  ${pad(c.name, 26)}${c.summary}`),
      '',
      'Documents: file://path, a path to an existing file, or inline JSON.',
      'Output: JSON on stdout ({result, message, reasons[], counterexamples[], newAccess, ...}).',
      'Exit status: 0 PASS / EQUIVALENT, 1 FAIL / not equivalent / ERROR findings, 2 bad input,',
      '             3 UNKNOWN (timeout or unsupported construct), 4 internal error (INTERNAL_ERROR:',
      '             a bug or a solver that broke, not the input).',
      `Common flags: ${COMMON_FLAGS.map((f) => `${flagUsage(f)} (${f.description} Default ${String(f.default)}.)`).join(' ')}`,
    ];
    return lines.join('\n') + '\n';
  }
  const flags = flagsOf(cmd);
  const lines = [
    `${cmd.name}: ${cmd.summary}`,
    '',
    `Usage: ${prog} ${cmd.name} ${cmd.flags.map((f) => (f.required ? flagUsage(f) : `[${flagUsage(f)}]`)).join(' ')}`,
    '',
    ...cmd.description.split('\n'),
    '',
  ];
  if (flags.length > 0) {
    lines.push('Flags:');
    for (const f of flags) {
      const extra = f.required
        ? ' (required)'
        : f.default !== undefined
          ? ` (default ${String(f.default)})`
          : '';
      lines.push(`  ${pad(flagUsage(f), 40)}${f.description}${extra}`);
    }
    lines.push('');
  }
  lines.push('Examples:', ...cmd.examples.map((e) => `  ${prog} ${e}`));
  return lines.join('\n') + '\n';
}
