/**
 * A concrete request: what the concrete evaluator decides and what every counterexample is.
 * Context values: a string for a single-valued key, an array for a multi-valued key; a key that is
 * not in `context` is absent from the request.
 */
import { callerAccount, callerOf, type Caller } from './caller.ts';

export type Principal =
  | {
      type: 'AWS';
      /** an account id, or the ARN of a root user, IAM user, IAM role, role session or federated user */
      id: string;
      /** a role session's role path (`/a/b/`; session ARNs drop it), `/` when absent */
      path?: string;
      /** the IAM user's or role's unique id (AIDA…, AROA…); derived from the ARN when absent */
      uniqueId?: string;
    }
  | { type: 'Service' | 'Federated' | 'CanonicalUser'; id: string }
  | { type: 'Anonymous' };

export interface Request {
  /** the caller; for identity policies the implicit caller (may be omitted) */
  principal?: Principal;
  /** `service:Name`, compared case-insensitively */
  action: string;
  /** an ARN, compared case-sensitively */
  resource: string;
  context: Record<string, string | string[]>;
}

export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY';

/** aws:PrincipalAccount of a principal, if any (caller.ts decides; an unreadable ARN has none). */
export function principalAccount(p: Principal | undefined): string | undefined {
  const c = tryCaller(p);
  return c ? callerAccount(c) : undefined;
}

function tryCaller(p: Principal | undefined): Caller | undefined {
  if (!p) return undefined;
  try {
    return callerOf(p);
  } catch {
    return undefined;
  }
}

/** Reads the user-facing principal forms: an ARN or account id, "*"/"anonymous", or {"Service": "..."}. */
export function principalFromJson(v: unknown): Principal | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    if (v === '*' || v.toLowerCase() === 'anonymous') return { type: 'Anonymous' };
    return { type: 'AWS', id: v };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.type === 'string') {
      if (o.type === 'Anonymous') return { type: 'Anonymous' };
      if (typeof o.id === 'string' && ['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(o.type)) {
        const p: Principal = { type: o.type as 'AWS', id: o.id };
        if (o.type === 'AWS' && typeof o.path === 'string') p.path = o.path;
        if (o.type === 'AWS' && typeof o.uniqueId === 'string') p.uniqueId = o.uniqueId;
        return p;
      }
    }
    for (const t of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const)
      if (typeof o[t] === 'string') return { type: t, id: o[t] };
  }
  throw new Error(
    `Unrecognised principal ${JSON.stringify(v)}: use an ARN, an account id, "anonymous", or {"Service": "..."}.`,
  );
}

export function principalToString(p: Principal | undefined): string {
  if (!p) return '(implicit caller)';
  return p.type === 'Anonymous' ? 'anonymous' : p.type === 'AWS' ? p.id : `${p.type}:${p.id}`;
}
