/**
 * The typed policy model. Every element keeps where it came from in the text (offsets into the
 * original document and a JSON path), so findings, counterexamples and the formula view can point
 * back into the editor.
 */

export interface Span {
  /** character offset of the first character */
  start: number;
  /** character offset one past the last character */
  end: number;
}

export type JsonPath = (string | number)[];

export interface Located<T> {
  value: T;
  span: Span;
  path: JsonPath;
}

type Effect = 'Allow' | 'Deny';

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** `"*"` means everyone, anonymous callers included; otherwise a map of principal type to values. */
export type PrincipalSpec =
  { kind: 'any' } | { kind: 'map'; entries: { type: PrincipalType; values: Located<string>[] }[] };

export interface PrincipalPart {
  negated: boolean; // NotPrincipal
  spec: PrincipalSpec;
  span: Span;
  path: JsonPath;
}

export interface PatternPart {
  negated: boolean; // NotAction / NotResource
  patterns: Located<string>[];
  span: Span;
  path: JsonPath;
}

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ConditionOperator {
  /** as written, e.g. `ForAnyValue:StringLikeIfExists` */
  text: string;
  /** the base operator without qualifier or IfExists, e.g. `StringLike` */
  base: string;
  qualifier?: SetQualifier;
  ifExists: boolean;
}

export interface ConditionClause {
  operator: ConditionOperator;
  operatorSpan: Span;
  /** key as written */
  key: string;
  keySpan: Span;
  values: Located<string>[];
  path: JsonPath;
  span: Span;
}

export interface Statement {
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalPart;
  action: PatternPart;
  /** absent in trust policies: then every resource matches */
  resource?: PatternPart;
  conditions: ConditionClause[];
  span: Span;
  path: JsonPath;
}

export interface Policy {
  version?: string;
  id?: string;
  statements: Statement[];
  /** policy variables (`${aws:username}`) are active only with Version 2012-10-17 */
  variablesActive: boolean;
}

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface FindingLocation {
  path: JsonPath;
  span: Span;
  /** 0-based line/column, filled in by `locate` */
  start: { line: number; column: number; offset: number };
  end: { line: number; column: number; offset: number };
}

/** Shaped like Access Analyzer's ValidatePolicy findings. */
export interface Finding {
  findingType: FindingType;
  issueCode: string;
  findingDetails: string;
  locations: FindingLocation[];
}
