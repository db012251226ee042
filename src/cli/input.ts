/**
 * Reading flag values that name documents: `file://path`, a plain path to an existing file, or inline
 * JSON; and turning the evaluate `--request` JSON into a Request.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { principalFromJson, type Request } from '../evaluate/request.ts';

/** A bad-input error: exit status 2, `{error: {code, message, ...extra}}` on stdout. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

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

/** Reads the evaluate request `{principal?, action, resource, context?}`. */
export function requestFromJson(v: unknown, shown = '--request'): Request {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new CliError(
      'INVALID_REQUEST',
      `${shown}: expected an object {"principal"?, "action", "resource", "context"?}.`,
    );
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['principal', 'action', 'resource', 'context'].includes(k))
      throw new CliError(
        'INVALID_REQUEST',
        `${shown}: unknown field '${k}' (expected principal, action, resource, context).`,
      );
  }
  if (typeof o.action !== 'string' || !/^[^:\s]+:[^:\s]+$/.test(o.action))
    throw new CliError('INVALID_REQUEST', `${shown}: "action" must be a string like "s3:GetObject".`);
  if (typeof o.resource !== 'string' || o.resource === '')
    throw new CliError(
      'INVALID_REQUEST',
      `${shown}: "resource" must be a non-empty string (an ARN, or "*").`,
    );
  let principal: Request['principal'];
  try {
    principal = principalFromJson(o.principal);
  } catch (e) {
    throw new CliError('INVALID_REQUEST', `${shown}: ${(e as Error).message}`);
  }
  const context: Record<string, string | string[]> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object' || Array.isArray(o.context))
      throw new CliError(
        'INVALID_REQUEST',
        `${shown}: "context" must be an object of key -> value or list of values.`,
      );
    for (const [key, val] of Object.entries(o.context as Record<string, unknown>)) {
      const scalar = (x: unknown): string => {
        if (typeof x === 'string') return x;
        if (typeof x === 'number' || typeof x === 'boolean') return String(x);
        throw new CliError(
          'INVALID_REQUEST',
          `${shown}: context key '${key}' must be a string, number, boolean or a list of them.`,
        );
      };
      context[key] = Array.isArray(val) ? val.map(scalar) : scalar(val);
    }
  }
  return { ...(principal ? { principal } : {}), action: o.action, resource: o.resource, context };
}
