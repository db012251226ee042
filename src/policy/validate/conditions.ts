/**
 * Condition clauses: the operator (known, qualifier, IfExists), its values (numbers, dates,
 * booleans, IP ranges; policy variables only with String and Arn operators) and the key (known to
 * the catalog; set operators and multi-valued keys).
 */
import type { Catalog } from '../../catalog/catalog.ts';
import { keyNamePattern } from '../../catalog/key-names.ts';
import type { ConditionClause, JsonPath } from '../model.ts';
import { CONDITION_OPERATORS, type OperatorFamily } from '../operators.ts';
import type { ValidationContext } from './context.ts';
import { checkLiteralVariable, hasVariable } from './statement.ts';
import { isBool, isDate, isIpOrCidr, isNumber } from '../validate-values.ts';

/** Templated keys (`kms:EncryptionContext:${EncryptionContextKey}`, `aws:PrincipalTag/tag-key`) with their type, per catalog. */
const templatesByCatalog = new WeakMap<Catalog, { re: RegExp; type: string }[]>();

function templates(catalog: Catalog): { re: RegExp; type: string }[] {
  let t = templatesByCatalog.get(catalog);
  if (!t) {
    t = catalog.conditionKeys().flatMap((k) => {
      const re = keyNamePattern(k.name);
      return re ? [{ re, type: k.type }] : [];
    });
    templatesByCatalog.set(catalog, t);
  }
  return t;
}

/**
 * The catalog type of a condition key, `undefined` when unknown. Templated keys (tag keys, KMS
 * encryption context) match their template. Keys of identity providers
 * (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`) are accepted with an unknown type.
 */
export function keyType(catalog: Catalog, key: string): { type: string | undefined } | undefined {
  const entry = catalog.conditionKey(key);
  if (entry) return { type: entry.type };
  const t = templates(catalog).find((x) => x.re.test(key));
  if (t) return { type: t.type };
  const colon = key.indexOf(':');
  if (colon > 0 && key.slice(0, colon).includes('.')) return { type: undefined };
  return undefined;
}

type Family = OperatorFamily | 'Null';

const FAMILY = new Map<string, Family>([
  ...Object.entries(CONDITION_OPERATORS).map(([name, spec]) => [name, spec.family] as const),
  ['Null', 'Null'],
]);

const VALUE_CHECKS: Partial<Record<Family, { ok: (v: string) => boolean; code: string; expected: string }>> =
  {
    Numeric: { ok: isNumber, code: 'TYPE_MISMATCH_NUMBER', expected: 'a number such as 10 or 2.5' },
    Date: {
      ok: isDate,
      code: 'TYPE_MISMATCH_DATE',
      expected: 'an ISO 8601 date or date-time (2024-01-31, 2024-01-31T12:00:00Z) or epoch seconds',
    },
    Bool: { ok: isBool, code: 'TYPE_MISMATCH_BOOLEAN', expected: '"true" or "false"' },
    Null: {
      ok: isBool,
      code: 'TYPE_MISMATCH_BOOLEAN',
      expected: '"true" (key absent) or "false" (key present)',
    },
    Ip: {
      ok: isIpOrCidr,
      code: 'TYPE_MISMATCH_IP_RANGE',
      expected: 'an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:db8::/32)',
    },
  };

function operatorPath(c: ConditionClause): JsonPath {
  return c.path.slice(0, -1);
}

/**
 * One clause. `reported` holds the operators already reported (an operator with several keys is
 * one finding).
 */
export function checkCondition(ctx: ValidationContext, c: ConditionClause, reported: Set<number>): void {
  const { out, policy } = ctx;
  const op = c.operator;
  const opPath = operatorPath(c);
  const family = FAMILY.get(op.base);
  const reportOp = (code: string, details: string): void => {
    if (reported.has(c.operatorSpan.start)) return;
    reported.add(c.operatorSpan.start);
    out.add('ERROR', code, details, c.operatorSpan, opPath);
  };
  let opOk = true;
  const colon = op.text.indexOf(':');
  if (colon >= 0 && !op.qualifier) {
    reportOp(
      'INVALID_OPERATOR',
      `Unknown qualifier "${op.text.slice(0, colon)}" in condition operator ${JSON.stringify(op.text)}: use ForAnyValue: or ForAllValues:.`,
    );
    opOk = false;
  } else if (!family) {
    reportOp(
      'INVALID_OPERATOR',
      `Unknown condition operator ${JSON.stringify(op.text)}. Operator names are case-sensitive, e.g. StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress, Null.`,
    );
    opOk = false;
  } else if (family === 'Null' && op.ifExists) {
    reportOp(
      'NULL_WITH_IF_EXISTS',
      `The Null operator cannot be combined with IfExists: ${JSON.stringify(op.text)}.`,
    );
    opOk = false;
  } else if (family === 'Null' && op.qualifier) {
    reportOp(
      'INVALID_OPERATOR',
      `The Null operator takes no set qualifier: ${JSON.stringify(op.text)}. Null already tests whether the key is present.`,
    );
    opOk = false;
  }

  if (opOk && family) {
    const check = VALUE_CHECKS[family];
    for (const v of c.values) {
      if (hasVariable(v.value) && policy.variablesActive && family !== 'String' && family !== 'Arn') {
        out.add(
          'ERROR',
          'INVALID_VARIABLE_FOR_OPERATOR',
          `Policy variables can be used only with String and Arn operators, not with ${op.base}: ${JSON.stringify(v.value)}.`,
          v.span,
          v.path,
        );
        continue;
      }
      if (check && !check.ok(v.value)) {
        out.add(
          'ERROR',
          check.code,
          `${op.text} needs ${check.expected}; ${JSON.stringify(v.value)} is not one.`,
          v.span,
          v.path,
        );
        continue;
      }
      checkLiteralVariable(ctx, v, `The value of ${c.key}`);
    }
  }

  // The key: warnings only.
  if (ctx.errorsOnly) return;
  const known = keyType(ctx.catalog, c.key);
  if (!known) {
    out.add(
      'WARNING',
      'UNKNOWN_CONDITION_KEY',
      `The condition key ${JSON.stringify(c.key)} is neither a global aws: key nor a key of a service in the catalog. Check the spelling: a key that never appears in requests is evaluated as missing.`,
      c.keySpan,
      c.path,
    );
    return;
  }
  if (known.type === undefined || !opOk) return;
  const multi = known.type.startsWith('ArrayOf');
  if (op.qualifier === 'ForAllValues' && !multi)
    out.add(
      'SECURITY_WARNING',
      'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
      `Using ForAllValues with the single-valued condition key ${c.key} can be overly permissive: ForAllValues is also true when the key is missing from the request. Remove ForAllValues:.`,
      c.keySpan,
      c.path,
    );
  else if (op.qualifier === 'ForAnyValue' && !multi)
    out.add(
      'WARNING',
      'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
      `ForAnyValue is meant for multi-valued keys; ${c.key} is single-valued. Remove ForAnyValue:.`,
      c.keySpan,
      c.path,
    );
  else if (!op.qualifier && multi && family !== 'Null')
    out.add(
      'WARNING',
      'SINGLE_VALUED_OPERATOR_WITH_MULTI_VALUED_KEY',
      `${c.key} is multi-valued (${known.type}); ${op.text} without ForAnyValue: or ForAllValues: is ambiguous. Say whether any or all of its values must match.`,
      c.keySpan,
      c.path,
    );
}
