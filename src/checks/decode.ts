/**
 * A solver model, decoded into the concrete request the evaluator re-checks and the user sees:
 * each dimension's witness string becomes the request's resource, principal or a context value.
 */
import type { Principal, Request } from '../evaluate/request.ts';
import { PRINCIPAL_ACCOUNT, PRINCIPAL_ARN, type Encoder } from '../smt/encode.ts';
import { presenceValue, type Model } from '../smt/solve.ts';
import { formatDate, formatIp } from '../smt/values.ts';

/** Model -> concrete request for `action` (the search picks the action: a class's or the model's). */
export function decodeRequest(enc: Encoder, m: Model, action: string): Request {
  const principalText = m.strings.get('principal');
  const context: Record<string, string | string[]> = {};
  for (const [key, info] of enc.keys) {
    if (key === PRINCIPAL_ARN || key === PRINCIPAL_ACCOUNT) continue;
    if (!presenceValue(info.presence, m)) continue;
    const valueOf = (slot: (typeof info.slots)[number]): string => {
      const s = slot.strDim ? m.strings.get(slot.strDim.name) : undefined;
      if (s !== undefined) return s;
      const ip = slot.ipDim ? m.strings.get(slot.ipDim.name) : undefined;
      if (ip !== undefined)
        return ip.startsWith('x:') ? 'not-an-ip' : formatIp(ip.startsWith('4:') ? 4 : 6, ip.slice(2));
      if (slot.num) {
        if (m.bools.get(slot.nan!)) return 'not-a-number';
        const v = m.reals.get(slot.num) ?? '0';
        return info.date ? formatDate(v) : v;
      }
      return 'example';
    };
    if (info.multi) {
      const vals = info.slots
        .filter((s) => m.bools.get(s.used.k === 'var' ? s.used.name : '') ?? false)
        .map(valueOf);
      if (vals.length) context[info.display] = [...new Set(vals)];
    } else context[info.display] = valueOf(info.slots[0]!);
  }
  const request: Request = {
    action,
    resource: m.strings.get('resource') ?? 'arn:aws:s3:::example-bucket',
    context,
  };
  const principal = decodePrincipal(principalText);
  if (principal) request.principal = principal;
  return request;
}

/** The principal dimension's witness (`AWS:arn:…`, `Anonymous:`) as a request principal. */
function decodePrincipal(text: string | undefined): Principal | undefined {
  if (!text) return undefined;
  const c = text.indexOf(':');
  const type = text.slice(0, c);
  const id = text.slice(c + 1);
  if (type === 'Anonymous') return { type: 'Anonymous' };
  if (type === 'AWS' || type === 'Service' || type === 'Federated' || type === 'CanonicalUser')
    return { type, id };
  return undefined;
}
