/** Help text: the command list, and one command's usage, flags and examples. */
import { COMMANDS, COMMON_FLAGS, findCommand, flagsOf, formsOf, type FlagSpec } from './commands.ts';

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
      'Scenarios (--scenario, --existing-scenario, --new-scenario, --scenario-a, --scenario-b): the whole',
      '  authorization stack as one JSON document (identity policies, boundary, session policies, resource',
      '  policy, SCP and RCP levels; see README); given as a document, or - for stdin. The checks,',
      '  evaluate and test take either their policy flags or their scenario flags.',
      'Output: JSON on stdout ({result, message, reasons[], counterexamples[], newAccess, ...});',
      '  test prints a line per test (--format text), JSON or JUnit XML.',
      'Exit status: 0 PASS / EQUIVALENT, 1 FAIL / not equivalent / ERROR findings, 2 bad input,',
      '             3 UNKNOWN (timeout or unsupported construct), 4 internal error (INTERNAL_ERROR:',
      '             a bug or a solver that broke, not the input). test: 0 every test passes, 1 one',
      '             fails, 3 none fails but one is UNKNOWN, 2 a test cannot run as written.',
      `Common flags: ${COMMON_FLAGS.map((f) => `${flagUsage(f)} (${f.description} Default ${String(f.default)}.)`).join(' ')}`,
    ];
    return lines.join('\n') + '\n';
  }
  const flags = flagsOf(cmd);
  const forms = formsOf(cmd);
  const usage = (forms.length ? forms : [undefined]).map(
    (form, i) =>
      `${i === 0 ? 'Usage:' : '      '} ${prog} ${cmd.name} ${cmd.flags
        .filter((f) => form === undefined || f.form === undefined || f.form === form)
        .map((f) => (f.required ? flagUsage(f) : `[${flagUsage(f)}]`))
        .join(' ')}`,
  );
  const lines = [`${cmd.name}: ${cmd.summary}`, '', ...usage, '', ...cmd.description.split('\n'), ''];
  if (flags.length > 0) {
    lines.push('Flags:');
    for (const f of flags) {
      const extra = f.required
        ? f.form
          ? ` (required with ${f.form === 'policy' ? 'policies' : 'scenarios'})`
          : ' (required)'
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
