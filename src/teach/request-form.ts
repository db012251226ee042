/**
 * The request a student types (or picks) for step-by-step evaluation: four text fields, read into a
 * Request with readable errors, and written back from a Request (a counterexample).
 *
 * - principal: empty (the implicit caller of an identity policy), `anonymous`, an account id, an ARN,
 *   or `Service:ec2.amazonaws.com` (also `Federated:…`, `CanonicalUser:…`)
 * - context: one key per line, `aws:SourceIp = 10.0.0.1`; several values as a JSON list,
 *   `aws:TagKeys = ["team", "env"]`; a key that is not listed is absent
 */
import { principalToString, type Principal, type Request } from '../evaluate/request.ts';

export interface RequestForm {
  principal: string;
  action: string;
  resource: string;
  context: string;
}

const EMPTY_FORM: RequestForm = { principal: '', action: '', resource: '', context: '' };

export type FormResult = { ok: true; request: Request } | { ok: false; errors: string[] };

function readPrincipal(text: string): Principal | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === '*' || t.toLowerCase() === 'anonymous') return { type: 'Anonymous' };
  const typed = /^(AWS|Service|Federated|CanonicalUser):(.+)$/.exec(t);
  if (typed && !t.startsWith('arn:')) return { type: typed[1] as 'AWS', id: typed[2]!.trim() };
  if (/^\d{12}$/.test(t) || t.startsWith('arn:')) return { type: 'AWS', id: t };
  return `principal: "${t}" is not an account id, an ARN, "anonymous" or Service:<name>`;
}

function readValue(raw: string, key: string, line: number): string | string[] | { error: string } {
  const t = raw.trim();
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return { error: `context line ${line}: ${key}: a list must be JSON, like ["a", "b"]` };
    }
    if (!Array.isArray(v) || !v.every((x) => ['string', 'number', 'boolean'].includes(typeof x)))
      return { error: `context line ${line}: ${key}: a list holds strings, like ["a", "b"]` };
    return v.map(String);
  }
  if (t.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch {
      // fall through to the error below
    }
    return { error: `context line ${line}: ${key}: unterminated "quoted" value` };
  }
  return t;
}

/** Reads the form; every problem is reported, not just the first. */
export function readRequestForm(form: RequestForm): FormResult {
  const errors: string[] = [];
  const action = form.action.trim();
  if (!/^[^:\s]+:[^:\s]+$/.test(action)) errors.push('action: write it as service:Name, e.g. s3:GetObject');
  const resource = form.resource.trim();
  if (resource === '') errors.push('resource: give an ARN (or * for a service without resources)');
  const principal = readPrincipal(form.principal);
  if (typeof principal === 'string') errors.push(principal);
  const context: Record<string, string | string[]> = {};
  form.context.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push(`context line ${i + 1}: write key = value`);
      return;
    }
    const key = line.slice(0, eq).trim();
    if (/\s/.test(key)) {
      errors.push(`context line ${i + 1}: "${key}" is not a condition key`);
      return;
    }
    if (Object.keys(context).some((k) => k.toLowerCase() === key.toLowerCase())) {
      errors.push(`context line ${i + 1}: ${key} is given twice`);
      return;
    }
    const v = readValue(line.slice(eq + 1), key, i + 1);
    if (typeof v === 'object' && !Array.isArray(v)) errors.push(v.error);
    else context[key] = v;
  });
  if (errors.length) return { ok: false, errors };
  const request: Request = { action, resource, context };
  if (principal && typeof principal !== 'string') request.principal = principal;
  return { ok: true, request };
}

/** The form that reads back as this request. */
export function formFromRequest(r: Request): RequestForm {
  const principal = !r.principal
    ? ''
    : r.principal.type === 'Anonymous'
      ? 'anonymous'
      : principalToString(r.principal);
  const context = Object.entries(r.context)
    .map(
      ([k, v]) =>
        `${k} = ${Array.isArray(v) ? JSON.stringify(v) : /^\s|\s$|^[["]/.test(v) ? JSON.stringify(v) : v}`,
    )
    .join('\n');
  return { principal, action: r.action, resource: r.resource, context };
}

/** The form as stored in the snapshot (`learnRequest`), and back; bad stored text gives the empty form. */
export function formToJson(f: RequestForm): string {
  return JSON.stringify(f);
}

export function formFromJson(text: string): RequestForm {
  if (!text) return EMPTY_FORM;
  try {
    const v = JSON.parse(text) as Partial<Record<keyof RequestForm, unknown>>;
    const s = (x: unknown) => (typeof x === 'string' ? x.slice(0, 5_000) : '');
    return { principal: s(v.principal), action: s(v.action), resource: s(v.resource), context: s(v.context) };
  } catch {
    return EMPTY_FORM;
  }
}
