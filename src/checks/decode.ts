/**
 * A solver model, decoded into the concrete request the evaluator re-checks and the user sees:
 * each dimension's witness string becomes the request's resource, principal or a context value.
 */
import type { Request } from '../evaluate/request.ts';
import { callerAccount, callerOf, isCallerKey } from '../evaluate/caller.ts';
import { decodeCaller } from '../smt/caller.ts';
import type { Encoder } from '../smt/encode.ts';
import { presenceValue, type Model } from '../smt/context.ts';
import { formatDate, formatIp } from '../smt/values.ts';

/** Model -> concrete request for `action` (the search picks the action: a class's or the model's). */
export function decodeRequest(enc: Encoder, m: Model, action: string): Request {
  const principalText = m.strings.get('principal');
  const principal = principalText === undefined ? undefined : decodeCaller(principalText);
  const context: Record<string, string | string[]> = {};
  for (const [key, info] of enc.keys) {
    // The caller brings these keys itself (evaluate/caller.ts): they are not the context's to set.
    if (isCallerKey(key)) continue;
    if (!presenceValue(info.presence, m)) continue;
    if (key === 'kms:calleraccount') {
      const account = principal ? callerAccount(callerOf(principal)) : undefined;
      if (account !== undefined) context[info.display] = account;
      continue;
    }
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
  if (principal) request.principal = principal;
  return request;
}
