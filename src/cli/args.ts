/**
 * Command-line grammar of the offline Access Analyzer replacement: the commands, their flags (named
 * as in `aws accessanalyzer ...`), argv parsing, `batch` argument normalisation, suggestions and help
 * text. Pure: no file system, no process, no engine, so every rule here is unit-tested directly.
 */
import { MAX_JSON_DEPTH, tooDeepAt } from '../policy/parse.ts';

export type FlagKind =
  /** free text */
  | 'string'
  /** a policy document: `file://path`, a path to an existing file, or inline JSON (resolved later) */
  | 'document'
  /** a JSON value given the same three ways as a document (parsed later) */
  | 'json'
  /** comma-separated values; the flag may also be repeated */
  | 'list'
  /** `--flag`, `--flag=true|false`, `--no-flag` */
  | 'boolean'
  /** a non-negative integer */
  | 'number'
  /** one of `values` (case-insensitive, normalised to the spelling in `values`) */
  | 'enum';

export interface FlagSpec {
  /** kebab-case, without the leading `--` */
  name: string;
  kind: FlagKind;
  required?: boolean;
  values?: readonly string[];
  default?: string | boolean | number;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  flags: FlagSpec[];
  examples: string[];
}

export type FlagValue = string | boolean | number | string[];
/** Parsed flags keyed by camelCase name (the `batch` spelling). */
export type Flags = Record<string, FlagValue>;

export interface ArgError {
  code: string;
  message: string;
}

export type ParsedArgs = { kind: 'help'; command?: string } | { kind: 'run'; command: string; flags: Flags };

export type ArgsResult<T = ParsedArgs> = { ok: true; value: T } | { ok: false; error: ArgError };

export const POLICY_TYPES = ['IDENTITY_POLICY', 'RESOURCE_POLICY'] as const;
export const VALIDATE_POLICY_TYPES = [
  'IDENTITY_POLICY',
  'RESOURCE_POLICY',
  'SERVICE_CONTROL_POLICY',
] as const;
export const FORMULA_FORMATS = ['math', 'smtlib'] as const;
/** The checks `formula --check` knows, with the command whose flags each takes. */
export const FORMULA_CHECK_COMMANDS = {
  CheckNoNewAccess: 'check-no-new-access',
  CheckAccessNotGranted: 'check-access-not-granted',
  CheckNoPublicAccess: 'check-no-public-access',
  NoAccessOutsideAccounts: 'check-no-access-outside',
  ComparePolicies: 'compare-policies',
} as const;
export const FORMULA_CHECKS = Object.keys(FORMULA_CHECK_COMMANDS) as (keyof typeof FORMULA_CHECK_COMMANDS)[];
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Flags every command accepts. */
export const COMMON_FLAGS: FlagSpec[] = [
  {
    name: 'timeout-ms',
    kind: 'number',
    default: DEFAULT_TIMEOUT_MS,
    description: 'Solver budget for the whole check, in milliseconds.',
  },
];

const policyTypeFlag = (required: boolean, values: readonly string[] = POLICY_TYPES): FlagSpec => ({
  name: 'policy-type',
  kind: 'enum',
  values,
  required,
  ...(required ? {} : { default: 'IDENTITY_POLICY' }),
  description: `Type of the policy: ${values.join(' | ')}.`,
});

const DOC_HELP = 'file://path, a path to an existing file, or inline JSON';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check-no-new-access',
    summary: 'Does the new policy grant any access the existing policy does not?',
    description:
      'PASS when every request the new policy allows is also allowed by the existing policy. FAIL comes with concrete counterexample requests and, with --exact-new-access (the default), the exact list of newly allowed actions.',
    flags: [
      {
        name: 'existing-policy-document',
        kind: 'document',
        required: true,
        description: `Existing policy (${DOC_HELP}).`,
      },
      {
        name: 'new-policy-document',
        kind: 'document',
        required: true,
        description: `New policy (${DOC_HELP}).`,
      },
      policyTypeFlag(true),
      {
        name: 'exact-new-access',
        kind: 'boolean',
        default: true,
        description:
          'Also compute the exact list of newly granted actions (--no-exact-new-access: stop at the first counterexample).',
      },
    ],
    examples: [
      'check-no-new-access --existing-policy-document file://old.json --new-policy-document file://new.json --policy-type IDENTITY_POLICY',
    ],
  },
  {
    name: 'check-access-not-granted',
    summary: 'Does the policy grant none of the listed actions / resources?',
    description:
      'PASS when no request for the listed access is allowed. --access is a JSON list of {"actions": [...], "resources": [...]} (either part may be left out).',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      {
        name: 'access',
        kind: 'json',
        required: true,
        description: `JSON list such as '[{"actions":["s3:DeleteBucket"]}]' (${DOC_HELP}).`,
      },
      policyTypeFlag(true),
    ],
    examples: [
      `check-access-not-granted --policy-document file://policy.json --access '[{"actions":["s3:DeleteBucket"]}]' --policy-type IDENTITY_POLICY`,
    ],
  },
  {
    name: 'check-no-public-access',
    summary: 'Does the resource policy keep the resource from being public?',
    description: 'PASS when no anonymous or arbitrary-account caller is allowed by the resource policy.',
    flags: [
      {
        name: 'policy-document',
        kind: 'document',
        required: true,
        description: `The resource policy (${DOC_HELP}).`,
      },
      {
        name: 'resource-type',
        kind: 'string',
        required: true,
        description: 'Resource type, e.g. AWS::S3::Bucket.',
      },
    ],
    examples: [
      'check-no-public-access --policy-document file://bucket-policy.json --resource-type AWS::S3::Bucket',
    ],
  },
  {
    name: 'check-no-access-outside',
    summary: 'Is access limited to the trusted accounts (and organizations)?',
    description:
      'PASS when every allowed caller belongs to one of the trusted accounts or trusted organizations. Lists are comma-separated; the flags may be repeated.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      {
        name: 'trusted-accounts',
        kind: 'list',
        required: true,
        description: '12-digit account ids, comma-separated.',
      },
      {
        name: 'trusted-org',
        kind: 'list',
        description: 'Trusted organization ids (o-...), comma-separated.',
      },
      { ...policyTypeFlag(false), default: 'RESOURCE_POLICY' },
    ],
    examples: [
      'check-no-access-outside --policy-document file://bucket-policy.json --trusted-accounts 123456789012 --trusted-org o-a1b2c3d4e5',
    ],
  },
  {
    name: 'compare-policies',
    summary: 'Is policy A equivalent to, more or less permissive than policy B?',
    description:
      'EQUIVALENT (exit 0), MORE_PERMISSIVE / LESS_PERMISSIVE / INCOMPARABLE (exit 1, A relative to B) or UNKNOWN (exit 3), with the requests allowed by one policy and not the other.',
    flags: [
      { name: 'policy-a', kind: 'document', required: true, description: `Policy A (${DOC_HELP}).` },
      { name: 'policy-b', kind: 'document', required: true, description: `Policy B (${DOC_HELP}).` },
      policyTypeFlag(false),
    ],
    examples: ['compare-policies --policy-a file://a.json --policy-b file://b.json'],
  },
  {
    name: 'validate-policy',
    summary: 'Grammar and best-practice findings (Access Analyzer ValidatePolicy shape).',
    description: 'Prints {"findings": [...]}. Exit 1 when any finding is an ERROR, 0 otherwise.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      policyTypeFlag(false, VALIDATE_POLICY_TYPES),
    ],
    examples: ['validate-policy --policy-document file://policy.json --policy-type RESOURCE_POLICY'],
  },
  {
    name: 'evaluate',
    summary: 'Decide one concrete request against the policy (Allow / explicit Deny / implicit Deny).',
    description:
      'The request is JSON: {"principal": ARN | account id | "anonymous" | {"Service": "..."}, "action": "s3:GetObject", "resource": "arn:...", "context": {"aws:SourceIp": "10.0.0.1", "aws:TagKeys": ["a", "b"]}}. Exit 0 whatever the decision.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      { name: 'request', kind: 'json', required: true, description: `The request (${DOC_HELP}).` },
    ],
    examples: [
      `evaluate --policy-document file://policy.json --request '{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{}}'`,
    ],
  },
  {
    name: 'recommend',
    summary: 'Suggest a tightened policy from unused-permission findings.',
    description:
      'Reads unused-permission findings ([{"serviceNamespace": "s3", "actions": ["GetObject"]}] or an Access Analyzer finding with findingDetails[].unusedPermissionDetails) and prints the recommended step (CREATE_POLICY with the recommended policy, or DETACH_POLICY) with the refinements it made.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      {
        name: 'unused-permissions',
        kind: 'json',
        required: true,
        description: `Unused-permission findings (${DOC_HELP}).`,
      },
      {
        name: 'verify',
        kind: 'boolean',
        default: false,
        description:
          'Prove the recommendation with the solver (grants no unused action, no new access, keeps every used catalog action); exit 1 if a proof fails, 3 if UNKNOWN.',
      },
    ],
    examples: ['recommend --policy-document file://policy.json --unused-permissions file://unused.json'],
  },
  {
    name: 'formula',
    summary: 'Show a policy as a formula, or the question a check asks (teaching view).',
    description: [
      'Without --check: the policy (--policy-document) as readable math, statement by statement:',
      'S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET"), then',
      'Allowed := (S0 ∨ …) ∧ ¬(D1 ∨ …).',
      "With --check and that check's flags: the policies' formulas and the question the check asks",
      '(CheckNoNewAccess: Pnew ∧ ¬Pold), with what sat and unsat mean.',
      '--format smtlib (needs --check) prints a standalone SMT-LIB2 script of the question for any Z3:',
      'sat = FAIL, unsat = PASS. The output is text; in batch it is the "text" field.',
    ].join('\n'),
    flags: [
      {
        name: 'policy-document',
        kind: 'document',
        description: `The policy (${DOC_HELP}); for CheckNoNewAccess use the two flags below.`,
      },
      {
        name: 'check',
        kind: 'enum',
        values: FORMULA_CHECKS,
        description: `The check whose question to show: ${FORMULA_CHECKS.join(' | ')}.`,
      },
      {
        name: 'existing-policy-document',
        kind: 'document',
        description: `CheckNoNewAccess: the existing policy (${DOC_HELP}).`,
      },
      {
        name: 'new-policy-document',
        kind: 'document',
        description: `CheckNoNewAccess: the new policy (${DOC_HELP}).`,
      },
      { name: 'policy-a', kind: 'document', description: 'ComparePolicies: policy A.' },
      { name: 'policy-b', kind: 'document', description: 'ComparePolicies: policy B.' },
      {
        name: 'access',
        kind: 'json',
        description: `CheckAccessNotGranted: JSON list such as '[{"actions":["s3:DeleteBucket"]}]'.`,
      },
      {
        name: 'resource-type',
        kind: 'string',
        description: 'CheckNoPublicAccess: resource type, e.g. AWS::S3::Bucket.',
      },
      {
        name: 'trusted-accounts',
        kind: 'list',
        description: 'NoAccessOutsideAccounts: 12-digit account ids, comma-separated.',
      },
      {
        name: 'trusted-org',
        kind: 'list',
        description: 'NoAccessOutsideAccounts: trusted organization ids (o-...).',
      },
      {
        name: 'policy-type',
        kind: 'enum',
        values: POLICY_TYPES,
        description: `Type of the policy: ${POLICY_TYPES.join(' | ')} (as the check's own command).`,
      },
      {
        name: 'format',
        kind: 'enum',
        values: FORMULA_FORMATS,
        default: 'math',
        description: 'math (readable formula) | smtlib (SMT-LIB2 script of the question).',
      },
    ],
    examples: [
      'formula --policy-document file://policy.json',
      `formula --check CheckAccessNotGranted --policy-document file://policy.json --access '[{"actions":["s3:DeleteBucket"]}]' --policy-type IDENTITY_POLICY`,
      'formula --check CheckNoNewAccess --existing-policy-document file://old.json --new-policy-document file://new.json --format smtlib > question.smt2',
    ],
  },
  {
    name: 'batch',
    summary: 'Run many commands from JSON lines on stdin, one JSON line out per line in.',
    description: [
      'Each input line is {"command": "<command>", "args": {<flags in camelCase>}, "id"?: any}.',
      'Document and JSON arguments may be given as JSON values directly. Each output line is the',
      'command\'s JSON output plus "line", "command", "exitCode", "elapsedMs" (and "id" when given).',
      'A bad line yields an error line (exitCode 2). The engine is created once for the whole batch.',
      'Blank lines are skipped. Each line may set its own "timeoutMs" in args (default 10000).',
      "Exit status: 0 when every line was processed (see each line's exitCode).",
    ].join('\n'),
    flags: [],
    examples: [
      `printf '%s\\n' '{"command":"validate-policy","args":{"policyDocument":{"Version":"2012-10-17","Statement":[]}}}' | cli batch`,
    ],
  },
];

export const COMMAND_NAMES = COMMANDS.map((c) => c.name);

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function flagsOf(cmd: CommandSpec): FlagSpec[] {
  // batch lines carry their own timeoutMs
  return cmd.name === 'batch' ? cmd.flags : [...cmd.flags, ...COMMON_FLAGS];
}

export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function kebabCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const left = prev[j - 1] ?? 0;
      prev[j] = Math.min(up + 1, left + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate, if it is close enough to be a plausible typo (or a prefix/substring). */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  if (best !== undefined && bestScore <= Math.max(2, Math.floor(best.length / 3))) return best;
  const contained = candidates.filter((c) => lower.length >= 3 && (c.includes(lower) || lower.includes(c)));
  return contained.length === 1 ? contained[0] : undefined;
}

const fail = (code: string, message: string): { ok: false; error: ArgError } => ({
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
export function coerceFlag(spec: FlagSpec, raw: unknown, shown: string): ArgsResult<FlagValue> {
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
    case 'json': {
      if (typeof raw === 'string') {
        return raw.trim() === '' ? bad('empty value') : { ok: true, value: raw };
      }
      // batch: an inline JSON value
      if (raw !== null && typeof raw === 'object') return { ok: true, value: JSON.stringify(raw, null, 2) };
      if (spec.kind === 'json' && raw !== undefined) return { ok: true, value: JSON.stringify(raw) };
      return bad(`expected ${spec.kind === 'document' ? 'a policy document' : 'a JSON value'}`);
    }
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : bad('expected a string');
  }
}

function finish(cmd: CommandSpec, flags: Flags, spelling: (f: string) => string): ArgsResult<Flags> {
  const missing = cmd.flags.filter((f) => f.required && !(camelCase(f.name) in flags));
  if (missing.length > 0) {
    const list = missing.map((f) => (spelling === camelCase ? camelCase(f.name) : `--${f.name}`)).join(', ');
    return fail(
      'MISSING_FLAG',
      `${cmd.name}: missing required ${missing.length > 1 ? 'flags' : 'flag'} ${list}. Run '${cmd.name} --help' for usage.`,
    );
  }
  for (const f of flagsOf(cmd)) {
    const key = camelCase(f.name);
    if (!(key in flags) && f.default !== undefined) flags[key] = f.default;
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

export interface BatchItem {
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

/** Exit status for a check or compare result: 0 PASS/EQUIVALENT, 1 FAIL/not equivalent, 3 UNKNOWN. */
export function exitCodeForResult(result: string): number {
  switch (result) {
    case 'PASS':
    case 'EQUIVALENT':
      return 0;
    case 'FAIL':
    case 'MORE_PERMISSIVE':
    case 'LESS_PERMISSIVE':
    case 'INCOMPARABLE':
      return 1;
    default:
      return 3;
  }
}

export const EXIT = { PASS: 0, FAIL: 1, BAD_INPUT: 2, UNKNOWN: 3 } as const;

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
      '             3 UNKNOWN (timeout or unsupported construct).',
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
