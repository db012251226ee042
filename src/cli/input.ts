/**
 * Reading flag values that name documents: `file://path`, a plain path to an existing file, or inline
 * JSON (a policy refused here as the engine would refuse it); and reading the evaluate `--request`
 * JSON into a Request (one zod schema, RequestInput).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Principal, type Request } from '../checks/types.ts';
import type { Finding } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { CliError } from './errors.ts';

function readFile(path: string, shown: string, cwd: string): string {
  const full = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(full)) throw new CliError('FILE_NOT_FOUND', `${shown}: file not found: ${full}`);
  if (!statSync(full).isFile()) throw new CliError('FILE_NOT_FOUND', `${shown}: not a file: ${full}`);
  return readFileSync(full, 'utf8');
}

/** The text a document-valued flag stands for. */
export function resolveText(value: string, shown: string, cwd: string): string {
  if (value.startsWith('file://')) {
    const rest = value.slice('file://'.length);
    // file:///abs/path is a proper URL; file://relative/path is the AWS CLI's relative form
    const path = rest.startsWith('/') ? fileURLToPath(`file://${rest}`) : rest;
    if (path === '') throw new CliError('FILE_NOT_FOUND', `${shown}: file:// needs a path.`);
    return readFile(path, shown, cwd);
  }
  const trimmed = value.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return value;
  const full = isAbsolute(value) ? value : resolve(cwd, value);
  if (existsSync(full) && statSync(full).isFile()) return readFileSync(full, 'utf8');
  throw new CliError(
    'INVALID_DOCUMENT',
    `${shown}: '${value.length > 60 ? `${value.slice(0, 60)}...` : value}' is neither an existing file nor inline JSON (use file://path, a path, or '{...}').`,
  );
}

/** A finding in one line: its code, its details and where it is. */
export function describeFinding(f: Finding): string {
  const loc = f.locations[0];
  const at = loc ? ` (line ${loc.start.line + 1}, column ${loc.start.column + 1})` : '';
  return `${f.issueCode}: ${f.findingDetails}${at}`;
}

/** The text of a policy flag; a policy the engine would refuse (bad JSON, ERROR findings) is refused here. */
export function readPolicyText(value: string, shown: string, cwd: string): string {
  const text = resolveText(value, shown, cwd);
  const parsed = parsePolicy(text);
  if (!parsed.ok) {
    const errors = parsed.findings.filter((f) => f.findingType === 'ERROR');
    const first = errors[0];
    throw new CliError(
      first?.issueCode === 'JSON_SYNTAX_ERROR' ? 'MALFORMED_POLICY_DOCUMENT' : 'INVALID_POLICY',
      `${shown}: the policy is not valid: ${first ? describeFinding(first) : 'unknown error'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      { document: shown, findings: errors },
    );
  }
  return text;
}

/** Parses a JSON-valued flag (after resolving file:// or a path). */
export function resolveJson(value: string, shown: string, cwd: string): unknown {
  const trimmed = value.trimStart();
  const looksInline = /^[[{"]|^-?\d|^(true|false|null)\b/.test(trimmed);
  const text = !value.startsWith('file://') && looksInline ? value : resolveText(value, shown, cwd);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError('INVALID_JSON', `${shown}: not valid JSON: ${(e as Error).message}`);
  }
}

const PRINCIPAL_FORMS = 'an ARN, an account id, "anonymous", or {"Service": "..."}';

/** `{"AWS": "..."}`, `{"Service": "..."}`, ...: the Principal element's own spelling of one principal. */
const shorthand = (type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser') =>
  z
    .object({ [type]: z.string() })
    .transform((o): Principal => ({ type, id: String((o as Record<string, unknown>)[type]) }));

/** The principal as a user writes it, or as the engine does ({"type": "AWS", "id": ...}). */
const PrincipalInput = z.union(
  [
    z
      .string()
      .transform((v): Principal =>
        v === '*' || v.toLowerCase() === 'anonymous' ? { type: 'Anonymous' } : { type: 'AWS', id: v },
      ),
    Principal,
    shorthand('AWS'),
    shorthand('Service'),
    shorthand('Federated'),
    shorthand('CanonicalUser'),
  ],
  { error: (iss) => `unrecognised principal ${JSON.stringify(iss.input)}: use ${PRINCIPAL_FORMS}` },
);

const ContextValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * The evaluate request as the user writes it, `{principal?, action, resource, context?}` (context
 * values may be numbers or booleans), read into the engine's Request (checks/types.ts).
 */
const RequestInput = z
  .strictObject(
    {
      principal: PrincipalInput.nullish(),
      action: z
        .string({ error: '"action" must be a string like "s3:GetObject"' })
        .regex(/^[^:\s]+:[^:\s]+$/, '"action" must be a string like "s3:GetObject"'),
      resource: z
        .string({ error: '"resource" must be a non-empty string (an ARN, or "*")' })
        .min(1, '"resource" must be a non-empty string (an ARN, or "*")'),
      context: z
        .record(
          z.string(),
          z.union([ContextValue, z.array(ContextValue)], {
            error: 'must be a string, number, boolean or a list of them',
          }),
          { error: '"context" must be an object of key -> value or list of values' },
        )
        .nullish(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown field ${iss.keys.map((k) => `'${k}'`).join(', ')} (expected principal, action, resource, context)`
          : 'expected an object {"principal"?, "action", "resource", "context"?}',
    },
  )
  .transform((o): Request => ({
    ...(o.principal ? { principal: o.principal } : {}),
    action: o.action,
    resource: o.resource,
    context: o.context ?? {},
  }));

/** Reads the evaluate request; a bad one is INVALID_REQUEST with what is wrong and where. */
export function requestFromJson(v: unknown, shown = '--request'): Request {
  const r = RequestInput.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path ?? [];
  const where = path[0] === 'context' && path.length > 1 ? `context key '${String(path[1])}' ` : '';
  throw new CliError('INVALID_REQUEST', `${shown}: ${where}${issue?.message ?? 'not a request'}.`);
}
