/**
 * A concrete request: what the concrete evaluator decides and what every counterexample is.
 * Context values: a string for a single-valued key, an array for a multi-valued key; a key that is
 * not in `context` is absent from the request.
 */
export type Principal =
  | { type: 'AWS'; id: string } // an ARN: arn:aws:iam::123456789012:role/R (the aws:PrincipalArn form)
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

/** 12-digit account of an AWS principal ARN (the value of aws:PrincipalAccount), if any. */
export function principalAccount(p: Principal | undefined): string | undefined {
  if (!p || p.type !== 'AWS') return undefined;
  if (/^\d{12}$/.test(p.id)) return p.id;
  const parts = p.id.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

/** aws:PrincipalArn of a principal, if any. A bare account id stands for its root user. */
export function principalArn(p: Principal | undefined): string | undefined {
  if (!p || p.type !== 'AWS') return undefined;
  if (/^\d{12}$/.test(p.id)) return `arn:aws:iam::${p.id}:root`;
  return p.id;
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
      if (typeof o.id === 'string' && ['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(o.type))
        return { type: o.type as 'AWS', id: o.id };
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
