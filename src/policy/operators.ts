/**
 * The condition operators of the IAM policy language (base names, without a ForAnyValue/ForAllValues
 * qualifier or the IfExists suffix): each one's value family, how it compares and whether it is the
 * negation of another. One table for the evaluator, the encoder, the validator, the teaching notation
 * and the editor's completion; what each does with it stays in its own module.
 */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn';
/** eq: equal; eqi: equal ignoring case; like: glob (Arn: part by part); lt/le/gt/ge: order */
export type OperatorComparison = 'eq' | 'eqi' | 'like' | 'lt' | 'le' | 'gt' | 'ge';

export interface OperatorSpec {
  family: OperatorFamily;
  cmp: OperatorComparison;
  /** true for StringNotEquals, NotIpAddress, ...: the negation of `positive` */
  negated: boolean;
}

export const CONDITION_OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { family: 'String', cmp: 'eq', negated: false },
  StringNotEquals: { family: 'String', cmp: 'eq', negated: true },
  StringEqualsIgnoreCase: { family: 'String', cmp: 'eqi', negated: false },
  StringNotEqualsIgnoreCase: { family: 'String', cmp: 'eqi', negated: true },
  StringLike: { family: 'String', cmp: 'like', negated: false },
  StringNotLike: { family: 'String', cmp: 'like', negated: true },
  NumericEquals: { family: 'Numeric', cmp: 'eq', negated: false },
  NumericNotEquals: { family: 'Numeric', cmp: 'eq', negated: true },
  NumericLessThan: { family: 'Numeric', cmp: 'lt', negated: false },
  NumericLessThanEquals: { family: 'Numeric', cmp: 'le', negated: false },
  NumericGreaterThan: { family: 'Numeric', cmp: 'gt', negated: false },
  NumericGreaterThanEquals: { family: 'Numeric', cmp: 'ge', negated: false },
  DateEquals: { family: 'Date', cmp: 'eq', negated: false },
  DateNotEquals: { family: 'Date', cmp: 'eq', negated: true },
  DateLessThan: { family: 'Date', cmp: 'lt', negated: false },
  DateLessThanEquals: { family: 'Date', cmp: 'le', negated: false },
  DateGreaterThan: { family: 'Date', cmp: 'gt', negated: false },
  DateGreaterThanEquals: { family: 'Date', cmp: 'ge', negated: false },
  Bool: { family: 'Bool', cmp: 'eq', negated: false },
  BinaryEquals: { family: 'Binary', cmp: 'eq', negated: false },
  IpAddress: { family: 'Ip', cmp: 'eq', negated: false },
  NotIpAddress: { family: 'Ip', cmp: 'eq', negated: true },
  ArnEquals: { family: 'Arn', cmp: 'like', negated: false },
  ArnLike: { family: 'Arn', cmp: 'like', negated: false },
  ArnNotEquals: { family: 'Arn', cmp: 'like', negated: true },
  ArnNotLike: { family: 'Arn', cmp: 'like', negated: true },
};

/** Every base operator, `Null` included (it has no family: it tests presence). */
export const BASE_OPERATORS: readonly string[] = [...Object.keys(CONDITION_OPERATORS), 'Null'];

/** The operator a negated one negates: StringNotEquals → StringEquals, NotIpAddress → IpAddress. */
export function positiveOperator(base: string): string | undefined {
  if (!CONDITION_OPERATORS[base]?.negated) return undefined;
  const positive = base.replace('Not', '');
  return CONDITION_OPERATORS[positive] ? positive : undefined;
}
