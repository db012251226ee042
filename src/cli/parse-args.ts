/**
 * Parsing the command line (argv) and `batch` lines (JSON) into a command and its typed flags, with
 * errors a user can act on. Pure: no file system, no process, no engine, so every rule is unit-tested.
 */
import { MAX_JSON_DEPTH, tooDeepAt } from '../policy/parse.ts';
import {
  COMMAND_NAMES,
  camelCase,
  findCommand,
  flagsOf,
  formsOf,
  kebabCase,
  type CommandForm,
  type CommandSpec,
  type FlagSpec,
} from './commands.ts';
import type { CliErrorCode } from './errors.ts';
import { suggest } from './suggest.ts';

type FlagValue = string | boolean | number | string[];
/** Parsed flags keyed by camelCase name (the `batch` spelling). */
export type Flags = Record<string, FlagValue>;

interface ArgError {
  code: CliErrorCode;
  message: string;
}

export type ParsedArgs = { kind: 'help'; command?: string } | { kind: 'run'; command: string; flags: Flags };

export type ArgsResult<T = ParsedArgs> = { ok: true; value: T } | { ok: false; error: ArgError };

const fail = (code: CliErrorCode, message: string): { ok: false; error: ArgError } => ({
  ok: false,
  error: { code, message },
});

function unknownCommand(name: string): { ok: false; error: ArgError } {
  const s = suggest(name, COMMAND_NAMES);
  return fail(
    'UNKNOWN_COMMAND',
    `Unknown command '${name}'.${s ? ` Did you mean '${s}'?` : ''} Commands: ${COMMAND_NAMES.join(', ')}. Run --help for usage.`,
  );
}

function unknownFlag(
  cmd: CommandSpec,
  flag: string,
  spelling: (f: string) => string,
): { ok: false; error: ArgError } {
  const names = flagsOf(cmd).map((f) => f.name);
  const s = suggest(kebabCase(flag.replace(/^no-/, '')), names);
  return fail(
    'UNKNOWN_FLAG',
    `Unknown ${spelling === camelCase ? 'argument' : 'flag'} '${spelling === camelCase ? flag : `--${flag}`}' for ${cmd.name}.` +
      (s ? ` Did you mean '${spelling === camelCase ? camelCase(s) : `--${s}`}'?` : '') +
      ` Run '${cmd.name} --help' for its flags.`,
  );
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return undefined;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Converts one raw value (argv text or a batch JSON value) to the flag's type. */
function coerceFlag(spec: FlagSpec, raw: unknown, shown: string): ArgsResult<FlagValue> {
  const bad = (what: string) => fail('INVALID_FLAG_VALUE', `${shown}: ${what}.`);
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const b = typeof raw === 'string' ? parseBoolean(raw) : undefined;
      return b === undefined
        ? bad(`expected true or false, got ${JSON.stringify(raw)}`)
        : { ok: true, value: b };
    }
    case 'number': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)
            ? Number(raw)
            : NaN;
      return Number.isInteger(n) && n >= 0
        ? { ok: true, value: n }
        : bad(`expected a non-negative integer, got ${JSON.stringify(raw)}`);
    }
    case 'list': {
      if (typeof raw === 'string') return { ok: true, value: splitList(raw) };
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string'))
        return { ok: true, value: raw.flatMap((v: string) => splitList(v)) };
      return bad('expected a comma-separated string or a list of strings');
    }
    case 'enum': {
      if (typeof raw !== 'string') return bad(`expected one of ${(spec.values ?? []).join(', ')}`);
      const hit = (spec.values ?? []).find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      if (hit) return { ok: true, value: hit };
      const s = suggest(raw.trim().toUpperCase(), spec.values ?? []);
      return bad(
        `'${raw}' is not one of ${(spec.values ?? []).join(', ')}${s ? `. Did you mean '${s}'?` : ''}`,
      );
    }
    case 'document':
    case 'scenario':
    case 'json': {
      if (typeof raw === 'string') {
        return raw.trim() === '' ? bad('empty value') : { ok: true, value: raw };
      }
      // batch: an inline JSON value
      if (raw !== null && typeof raw === 'object') return { ok: true, value: JSON.stringify(raw, null, 2) };
      if (spec.kind === 'json' && raw !== undefined) return { ok: true, value: JSON.stringify(raw) };
      return bad(
        `expected ${spec.kind === 'document' ? 'a policy document' : spec.kind === 'scenario' ? 'a scenario (a JSON object or its text)' : 'a JSON value'}`,
      );
    }
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : bad('expected a string');
  }
}

/**
 * The form a command runs in, from the flags given: a command with scenario flags runs on scenarios
 * when one is given, on policies otherwise; flags of both forms together are refused.
 */
function formOf(
  cmd: CommandSpec,
  flags: Flags,
  spelling: (f: string) => string,
): ArgsResult<CommandForm | undefined> {
  if (formsOf(cmd).length === 0) return { ok: true, value: undefined };
  const given = (form: CommandForm) =>
    cmd.flags.filter((f) => f.form === form && camelCase(f.name) in flags).map((f) => spelling(f.name));
  const policy = given('policy');
  const scenario = given('scenario');
  if (policy.length > 0 && scenario.length > 0)
    return fail(
      'UNEXPECTED_FLAG',
      `${cmd.name} runs on policies or on scenarios, not both: ${scenario.join(', ')} cannot go with ${policy.join(', ')}. Run '${cmd.name} --help' for usage.`,
    );
  return { ok: true, value: scenario.length > 0 ? 'scenario' : 'policy' };
}

function finish(cmd: CommandSpec, flags: Flags, spelling: (f: string) => string): ArgsResult<Flags> {
  const form = formOf(cmd, flags, spelling);
  if (!form.ok) return form;
  const inForm = (f: FlagSpec) => f.form === undefined || f.form === form.value;
  const missing = cmd.flags.filter((f) => f.required && inForm(f) && !(camelCase(f.name) in flags));
  if (missing.length > 0) {
    const list = missing.map((f) => (spelling === camelCase ? camelCase(f.name) : `--${f.name}`)).join(', ');
    // nothing of either form given: name the scenario form too
    const scenarioFlags = cmd.flags.filter((f) => f.form === 'scenario' && f.required);
    const orScenario =
      form.value === 'policy' && !cmd.flags.some((f) => f.form === 'policy' && camelCase(f.name) in flags)
        ? ` (or, on scenarios: ${scenarioFlags.map((f) => spelling(f.name)).join(', ')})`
        : '';
    return fail(
      'MISSING_FLAG',
      `${cmd.name}: missing required ${missing.length > 1 ? 'flags' : 'flag'} ${list}${orScenario}. Run '${cmd.name} --help' for usage.`,
    );
  }
  for (const f of flagsOf(cmd)) {
    const key = camelCase(f.name);
    if (!(key in flags) && f.default !== undefined && inForm(f)) flags[key] = f.default;
  }
  return { ok: true, value: flags };
}

/** Parses `process.argv.slice(2)`. */
export function parseArgv(argv: readonly string[]): ArgsResult {
  const wantsHelp = argv.some((a) => a === '--help' || a === '-h');
  const first = argv[0];
  if (first === undefined || first === 'help') {
    const target = argv[1];
    if (target !== undefined && !target.startsWith('-') && !findCommand(target))
      return unknownCommand(target);
    return {
      ok: true,
      value: { kind: 'help', ...(target && !target.startsWith('-') ? { command: target } : {}) },
    };
  }
  if (first.startsWith('-')) {
    if (wantsHelp) return { ok: true, value: { kind: 'help' } };
    return fail(
      'MISSING_COMMAND',
      `Expected a command before '${first}'. Commands: ${COMMAND_NAMES.join(', ')}.`,
    );
  }
  const cmd = findCommand(first);
  if (!cmd) return unknownCommand(first);
  if (wantsHelp) return { ok: true, value: { kind: 'help', command: cmd.name } };

  const specs = flagsOf(cmd);
  const flags: Flags = {};
  for (let i = 1; i < argv.length; i++) {
    const tok = argv[i] ?? '';
    if (!tok.startsWith('--') || tok === '--') {
      return fail(
        'UNEXPECTED_ARGUMENT',
        `${cmd.name}: unexpected argument '${tok}'. Values follow their flag, e.g. --policy-document file://policy.json.`,
      );
    }
    const eq = tok.indexOf('=');
    let name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
    let inline: string | undefined = eq >= 0 ? tok.slice(eq + 1) : undefined;
    let spec = specs.find((f) => f.name === name);
    if (!spec && name.startsWith('no-')) {
      const positive = specs.find((f) => f.name === name.slice(3) && f.kind === 'boolean');
      if (positive) {
        if (inline !== undefined) return fail('INVALID_FLAG_VALUE', `--${name} takes no value.`);
        spec = positive;
        name = positive.name;
        inline = 'false';
      }
    }
    if (!spec) return unknownFlag(cmd, name, (f) => `--${f}`);
    let raw: string;
    if (inline !== undefined) raw = inline;
    else if (spec.kind === 'boolean') {
      const next = argv[i + 1];
      if (next !== undefined && parseBoolean(next) !== undefined) {
        raw = next;
        i++;
      } else raw = 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        return fail('MISSING_FLAG_VALUE', `--${name} needs a value.`);
      raw = next;
      i++;
    }
    const key = camelCase(spec.name);
    const v = coerceFlag(spec, raw, `--${spec.name}`);
    if (!v.ok) return v;
    const prev = flags[key];
    if (prev !== undefined) {
      if (spec.kind !== 'list' || !Array.isArray(prev) || !Array.isArray(v.value))
        return fail('DUPLICATE_FLAG', `--${spec.name} is given more than once.`);
      flags[key] = [...prev, ...v.value];
    } else flags[key] = v.value;
  }
  const done = finish(cmd, flags, (f) => `--${f}`);
  return done.ok ? { ok: true, value: { kind: 'run', command: cmd.name, flags: done.value } } : done;
}

interface BatchItem {
  command: string;
  flags: Flags;
  id?: unknown;
}

/** Reads one `batch` input line: `{"command": "...", "args": {...camelCase flags...}, "id"?: ...}`. */
export type BatchLineResult =
  { ok: true; value: BatchItem } | { ok: false; error: ArgError; id?: unknown; command?: string };

export function parseBatchLine(line: string): BatchLineResult {
  // The line holds a document two levels down ({"args": {"policyDocument": ...}}); a deeper one would
  // overflow the stack when written back out as text for the command.
  if (tooDeepAt(line, MAX_JSON_DEPTH + 2) >= 0)
    return fail(
      'JSON_NESTING_TOO_DEEP',
      `Batch line nests arrays and objects more than ${MAX_JSON_DEPTH + 2} levels deep (a policy needs at most 6); refused without being read.`,
    );
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    return fail('INVALID_JSON', `Batch line is not JSON: ${(e as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    return fail('INVALID_BATCH_LINE', 'Batch line must be an object {"command": "...", "args": {...}}.');
  const o = obj as Record<string, unknown>;
  const id = o.id;
  const withId = (r: { ok: false; error: ArgError }, command?: string): BatchLineResult => ({
    ...r,
    ...(id !== undefined ? { id } : {}),
    ...(command !== undefined ? { command } : {}),
  });
  for (const k of Object.keys(o)) {
    if (!['command', 'args', 'id'].includes(k)) {
      return withId(
        fail('INVALID_BATCH_LINE', `Unknown field '${k}' in batch line (expected command, args, id).`),
      );
    }
  }
  if (typeof o.command !== 'string')
    return withId(fail('INVALID_BATCH_LINE', 'Batch line needs "command": "<command name>".'));
  const command = o.command;
  const cmd = findCommand(command);
  if (!cmd || cmd.name === 'batch') {
    const r = cmd ? fail('INVALID_BATCH_LINE', 'batch cannot be nested.') : unknownCommand(command);
    return withId(r, command);
  }
  const args = o.args ?? {};
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    return withId(fail('INVALID_BATCH_LINE', '"args" must be an object of camelCase flags.'), command);
  const specs = flagsOf(cmd);
  const flags: Flags = {};
  for (const [key, raw] of Object.entries(args as Record<string, unknown>)) {
    const spec = specs.find((f) => camelCase(f.name) === key);
    if (!spec) return withId(unknownFlag(cmd, key, camelCase), command);
    if (raw === undefined || raw === null) continue;
    const v = coerceFlag(spec, raw, key);
    if (!v.ok) return withId(v, command);
    flags[key] = v.value;
  }
  const done = finish(cmd, flags, camelCase);
  if (!done.ok) return withId(done, command);
  return { ok: true, value: { command, flags: done.value, ...(id !== undefined ? { id } : {}) } };
}
