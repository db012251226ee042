/**
 * Policy text -> typed model with source spans. Structural problems that leave the meaning of a
 * policy undefined (invalid JSON, Action with NotAction, a bad Effect, ...) are ERROR findings and
 * make the result `ok: false`; the checks refuse such a policy instead of guessing.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type {
  ConditionClause,
  ConditionOperator,
  Finding,
  FindingType,
  JsonPath,
  Located,
  PatternPart,
  Policy,
  PrincipalPart,
  PrincipalType,
  SetQualifier,
  Span,
  Statement,
} from './model.ts';
import { locate } from './locate.ts';

export type ParseResult =
  { ok: true; policy: Policy; findings: Finding[] } | { ok: false; findings: Finding[] };

const POLICY_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const PRINCIPAL_TYPES: PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The deepest nesting of arrays and objects a policy may have. A real policy needs 6
 * (policy > Statement > statement > Condition > operator > values); past this the text is refused
 * before the (recursive) JSON parser sees it, so a 20,000-deep array is an input error, not a stack
 * overflow.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The offset of the first `[` or `{` nested deeper than `limit` (outside strings), or -1. One pass,
 * no recursion.
 */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (ch === 93 /* ] */ || ch === 125 /* } */) depth--;
  }
  return -1;
}

class Collector {
  findings: Finding[] = [];
  constructor(private text: string) {}
  add(
    findingType: FindingType,
    issueCode: string,
    details: string,
    span: Span,
    path: JsonPath,
    also?: { span: Span; path: JsonPath },
  ): void {
    const locations = [locate(this.text, span, path)];
    if (also) locations.push(locate(this.text, also.span, also.path));
    this.findings.push({ findingType, issueCode, findingDetails: details, locations });
  }
  get hasErrors(): boolean {
    return this.findings.some((f) => f.findingType === 'ERROR');
  }
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function propertyEntries(node: Node): { key: string; keyNode: Node; value: Node; prop: Node }[] {
  const out: { key: string; keyNode: Node; value: Node; prop: Node }[] = [];
  for (const prop of node.children ?? []) {
    const [keyNode, value] = prop.children ?? [];
    if (keyNode && value) out.push({ key: String(keyNode.value), keyNode, value, prop });
  }
  return out;
}

function typeName(node: Node): string {
  return node.type === 'null' ? 'null' : node.type;
}

/** A string or an array of strings, as IAM accepts for most elements. */
function stringList(
  node: Node,
  path: JsonPath,
  c: Collector,
  element: string,
): Located<string>[] | undefined {
  if (node.type === 'string') return [{ value: node.value as string, span: spanOf(node), path }];
  if (node.type === 'array') {
    const out: Located<string>[] = [];
    (node.children ?? []).forEach((child, i) => {
      if (child.type === 'string')
        out.push({ value: child.value as string, span: spanOf(child), path: [...path, i] });
      else
        c.add(
          'ERROR',
          'DATA_TYPE_MISMATCH',
          `${element} values must be strings, found ${typeName(child)}.`,
          spanOf(child),
          [...path, i],
        );
    });
    return out;
  }
  c.add(
    'ERROR',
    'DATA_TYPE_MISMATCH',
    `${element} must be a string or an array of strings, found ${typeName(node)}.`,
    spanOf(node),
    path,
  );
  return undefined;
}

function parseOperator(text: string): ConditionOperator {
  let rest = text;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q === 'ForAnyValue' || q === 'ForAllValues') qualifier = q;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  return qualifier ? { text, base, qualifier, ifExists } : { text, base, ifExists };
}

function conditionValues(node: Node, path: JsonPath, c: Collector): Located<string>[] | undefined {
  const one = (n: Node, p: JsonPath): Located<string> | undefined => {
    // IAM accepts booleans and numbers for condition values and compares them as text.
    if (n.type === 'string' || n.type === 'number' || n.type === 'boolean')
      return { value: String(n.value), span: spanOf(n), path: p };
    c.add(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `Condition values must be strings, found ${typeName(n)}.`,
      spanOf(n),
      p,
    );
    return undefined;
  };
  if (node.type === 'array') {
    const out: Located<string>[] = [];
    (node.children ?? []).forEach((child, i) => {
      const v = one(child, [...path, i]);
      if (v) out.push(v);
    });
    return out;
  }
  const v = one(node, path);
  return v ? [v] : undefined;
}

function parseCondition(node: Node, path: JsonPath, c: Collector): ConditionClause[] {
  if (node.type !== 'object') {
    c.add('ERROR', 'DATA_TYPE_MISMATCH', 'Condition must be an object of operators.', spanOf(node), path);
    return [];
  }
  const out: ConditionClause[] = [];
  for (const op of propertyEntries(node)) {
    const opPath = [...path, op.key];
    if (op.value.type !== 'object') {
      c.add(
        'ERROR',
        'DATA_TYPE_MISMATCH',
        `Condition operator ${op.key} must map keys to values.`,
        spanOf(op.value),
        opPath,
      );
      continue;
    }
    const operator = parseOperator(op.key);
    for (const k of propertyEntries(op.value)) {
      const values = conditionValues(k.value, [...opPath, k.key], c);
      if (!values) continue;
      out.push({
        operator,
        operatorSpan: spanOf(op.keyNode),
        key: k.key,
        keySpan: spanOf(k.keyNode),
        values,
        path: [...opPath, k.key],
        span: spanOf(k.prop),
      });
    }
  }
  return out;
}

function parsePrincipal(
  node: Node,
  path: JsonPath,
  negated: boolean,
  c: Collector,
  element: string,
): PrincipalPart | undefined {
  const span = spanOf(node);
  if (node.type === 'string') {
    if (node.value === '*') return { negated, spec: { kind: 'any' }, span, path };
    const v = node.value as string;
    if (ACCOUNT_ID.test(v) || v.startsWith('arn:')) {
      c.add(
        'WARNING',
        'PRINCIPAL_SHORTHAND',
        `${element} "${v}" is read as {"AWS": "${v}"}; write the AWS key explicitly.`,
        span,
        path,
      );
      return {
        negated,
        spec: { kind: 'map', entries: [{ type: 'AWS', values: [{ value: v, span, path }] }] },
        span,
        path,
      };
    }
    c.add(
      'ERROR',
      'INVALID_PRINCIPAL',
      `${element} must be "*" or an object such as {"AWS": ...}.`,
      span,
      path,
    );
    return undefined;
  }
  if (node.type !== 'object') {
    c.add('ERROR', 'DATA_TYPE_MISMATCH', `${element} must be "*" or an object.`, span, path);
    return undefined;
  }
  const entries: { type: PrincipalType; values: Located<string>[] }[] = [];
  for (const e of propertyEntries(node)) {
    if (!PRINCIPAL_TYPES.includes(e.key as PrincipalType)) {
      c.add(
        'ERROR',
        'INVALID_PRINCIPAL_KEY',
        `Unknown principal type "${e.key}"; use one of ${PRINCIPAL_TYPES.join(', ')}.`,
        spanOf(e.keyNode),
        [...path, e.key],
      );
      continue;
    }
    const values = stringList(e.value, [...path, e.key], c, `${element}.${e.key}`);
    if (values) entries.push({ type: e.key as PrincipalType, values });
  }
  const none = negated
    ? 'NotPrincipal naming no one would match every caller, anonymous ones included'
    : 'the statement would apply to no one and silently do nothing';
  if ((node.children ?? []).length === 0)
    c.add(
      'ERROR',
      'EMPTY_OBJECT_PRINCIPAL',
      `${element} is an empty object: it names no principal, so ${none}. Name the principals, e.g. {"AWS": "arn:aws:iam::111122223333:root"}.`,
      span,
      path,
    );
  else if (entries.length > 0 && entries.length === (node.children ?? []).length) {
    const empty = entries.filter((e) => e.values.length === 0);
    if (empty.length === entries.length)
      c.add(
        'ERROR',
        'EMPTY_ARRAY_PRINCIPAL',
        `${element} lists no principal (${empty.map((e) => `"${e.type}": []`).join(', ')}), so ${none}. Name the principals.`,
        span,
        path,
      );
    else
      for (const e of empty) {
        const at = [...path, e.type];
        const valueNode = propertyEntries(node).find((x) => x.key === e.type)?.value;
        c.add(
          'SUGGESTION',
          'EMPTY_ARRAY_PRINCIPAL',
          `${element}.${e.type} is an empty list and names no principal; remove it.`,
          valueNode ? spanOf(valueNode) : span,
          at,
        );
      }
  }
  const everyone = entries.some((e) => e.type === 'AWS' && e.values.some((v) => v.value === '*'));
  if (everyone) return { negated, spec: { kind: 'any' }, span, path };
  return { negated, spec: { kind: 'map', entries }, span, path };
}

function parsePatternPart(
  obj: Map<string, { keyNode: Node; value: Node }>,
  positive: string,
  negative: string,
  path: JsonPath,
  c: Collector,
): PatternPart | undefined | 'missing' {
  const pos = obj.get(positive);
  const neg = obj.get(negative);
  if (pos && neg) {
    c.add(
      'ERROR',
      'MUTUALLY_EXCLUSIVE_ELEMENTS',
      `A statement cannot have both ${positive} and ${negative}.`,
      spanOf(neg.keyNode),
      [...path, negative],
    );
    return undefined;
  }
  const chosen = pos ?? neg;
  if (!chosen) return 'missing';
  const name = pos ? positive : negative;
  const patterns = stringList(chosen.value, [...path, name], c, name);
  if (!patterns) return undefined;
  if (patterns.length === 0) {
    c.add('ERROR', 'EMPTY_ARRAY', `${name} must not be an empty list.`, spanOf(chosen.value), [
      ...path,
      name,
    ]);
  }
  return { negated: !pos, patterns, span: spanOf(chosen.value), path: [...path, name] };
}

/** Where a JSON path points, in words: "in statement 1", "under StringEquals in the Condition block of statement 0". */
function describePath(path: JsonPath): string {
  if (path.length === 0) return 'at the top level of the policy';
  if (path[0] !== 'Statement' || (path.length === 1 && path[0] === 'Statement'))
    return `in ${path.map(String).join('.')}`;
  const index = typeof path[1] === 'number' ? path[1] : 0;
  const rest = path.slice(typeof path[1] === 'number' ? 2 : 1);
  const statement = `statement ${index}`;
  if (rest.length === 0) return `in ${statement}`;
  if (rest[0] === 'Condition' && rest.length === 1) return `in the Condition block of ${statement}`;
  if (rest[0] === 'Condition' && rest.length === 2)
    return `under ${String(rest[1])} in the Condition block of ${statement}`;
  if (rest[0] === 'Principal' || rest[0] === 'NotPrincipal') return `in the ${rest[0]} of ${statement}`;
  return `at ${rest.map(String).join('.')} in ${statement}`;
}

/** A condition operator's object: `Statement[i].Condition.<operator>` (or `Statement.Condition.<operator>`). */
function isOperatorObject(path: JsonPath): boolean {
  if (path[0] !== 'Statement' || path[path.length - 2] !== 'Condition') return false;
  return path.length === 3 || (path.length === 4 && typeof path[1] === 'number');
}

/**
 * Duplicate keys anywhere in the document. JSON parsers (IAM's among them, and this one when it
 * builds the model) keep only the last of two equal keys, so the earlier value (a whole condition
 * operator, a key's values, an Effect) would be silently ignored: an ERROR. Condition keys are
 * case-insensitive, so under one operator `aws:SourceIp` and `aws:sourceip` are duplicates too
 * (Access Analyzer's DUPLICATE_KEYS_WITH_DIFFERENT_CASE). The depth limit bounds the recursion.
 */
function reportDuplicateKeys(node: Node, path: JsonPath, c: Collector): void {
  if (node.type === 'array') {
    (node.children ?? []).forEach((child, i) => reportDuplicateKeys(child, [...path, i], c));
    return;
  }
  if (node.type !== 'object') return;
  const seen = new Map<string, Node>();
  const folded = isOperatorObject(path) ? new Map<string, Node>() : undefined;
  const inCondition = path[path.length - 1] === 'Condition';
  for (const e of propertyEntries(node)) {
    const at = [...path, e.key];
    const first = seen.get(e.key);
    if (first) {
      const fix = inCondition
        ? `put all of its condition keys under one "${e.key}"`
        : folded
          ? 'list all of its values once'
          : 'keep only one';
      c.add(
        'ERROR',
        'DUPLICATE_KEY',
        `Duplicate key "${e.key}" ${describePath(path)}: JSON parsers keep only the last one, so the earlier "${e.key}" would be silently ignored. Merge them: ${fix}.`,
        spanOf(e.keyNode),
        at,
        { span: spanOf(first), path: at },
      );
    } else {
      seen.set(e.key, e.keyNode);
      const lower = e.key.toLowerCase();
      const other = folded?.get(lower);
      if (other)
        c.add(
          'ERROR',
          'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
          `The condition key "${e.key}" appears more than once with different capitalization ("${String(other.value)}") ${describePath(path)}; condition key names are case-insensitive. Remove the duplicate condition keys.`,
          spanOf(e.keyNode),
          at,
          { span: spanOf(other), path: [...path, String(other.value)] },
        );
      else folded?.set(lower, e.keyNode);
    }
    reportDuplicateKeys(e.value, at, c);
  }
}

function parseStatement(node: Node, index: number, path: JsonPath, c: Collector): Statement | undefined {
  const span = spanOf(node);
  if (node.type !== 'object') {
    c.add('ERROR', 'DATA_TYPE_MISMATCH', `Statement ${index} must be an object.`, span, path);
    return undefined;
  }
  const obj = new Map<string, { keyNode: Node; value: Node }>();
  for (const e of propertyEntries(node)) {
    // A duplicate key is reported by reportDuplicateKeys; like JSON parsers, the last one is read.
    obj.set(e.key, { keyNode: e.keyNode, value: e.value });
    if (!STATEMENT_KEYS.includes(e.key))
      c.add(
        'ERROR',
        'UNKNOWN_ELEMENT',
        `Unknown element "${e.key}" in statement ${index}.`,
        spanOf(e.keyNode),
        [...path, e.key],
      );
  }
  const errorsBefore = c.findings.filter((f) => f.findingType === 'ERROR').length;

  let sid: string | undefined;
  const sidNode = obj.get('Sid');
  if (sidNode) {
    if (sidNode.value.type === 'string') sid = sidNode.value.value as string;
    else
      c.add('ERROR', 'DATA_TYPE_MISMATCH', 'Sid must be a string.', spanOf(sidNode.value), [...path, 'Sid']);
  }

  const effectNode = obj.get('Effect');
  let effect: 'Allow' | 'Deny' | undefined;
  if (!effectNode) c.add('ERROR', 'MISSING_EFFECT', `Statement ${index} has no Effect.`, span, path);
  else if (effectNode.value.value === 'Allow' || effectNode.value.value === 'Deny')
    effect = effectNode.value.value;
  else
    c.add(
      'ERROR',
      'INVALID_EFFECT',
      `Effect must be "Allow" or "Deny", found ${JSON.stringify(effectNode.value.value ?? null)}.`,
      spanOf(effectNode.value),
      [...path, 'Effect'],
    );

  let principal: PrincipalPart | undefined;
  const p = obj.get('Principal');
  const np = obj.get('NotPrincipal');
  if (p && np)
    c.add(
      'ERROR',
      'MUTUALLY_EXCLUSIVE_ELEMENTS',
      'A statement cannot have both Principal and NotPrincipal.',
      spanOf(np.keyNode),
      [...path, 'NotPrincipal'],
    );
  else if (p) principal = parsePrincipal(p.value, [...path, 'Principal'], false, c, 'Principal');
  else if (np) principal = parsePrincipal(np.value, [...path, 'NotPrincipal'], true, c, 'NotPrincipal');

  const action = parsePatternPart(obj, 'Action', 'NotAction', path, c);
  if (action === 'missing')
    c.add('ERROR', 'MISSING_ACTION', `Statement ${index} has neither Action nor NotAction.`, span, path);
  const resource = parsePatternPart(obj, 'Resource', 'NotResource', path, c);

  let conditions: ConditionClause[] = [];
  const cond = obj.get('Condition');
  if (cond) conditions = parseCondition(cond.value, [...path, 'Condition'], c);

  const errorsAfter = c.findings.filter((f) => f.findingType === 'ERROR').length;
  if (errorsAfter > errorsBefore || !effect || !action || action === 'missing' || resource === undefined)
    return undefined;
  const st: Statement = {
    index,
    effect,
    action,
    conditions,
    span,
    path,
  };
  if (sid !== undefined) st.sid = sid;
  if (principal) st.principal = principal;
  if (resource !== 'missing') st.resource = resource;
  return st;
}

/** Parses policy text. Never throws: every problem becomes a finding. */
export function parsePolicy(text: string): ParseResult {
  const c = new Collector(text);
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    c.add(
      'ERROR',
      'JSON_NESTING_TOO_DEEP',
      `The JSON nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; an IAM policy needs at most 6. The document is refused without being read further.`,
      { start: deep, end: deep + 1 },
      [],
    );
    return { ok: false, findings: c.findings };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !root) {
    for (const e of errors.slice(0, 20))
      c.add(
        'ERROR',
        'JSON_SYNTAX_ERROR',
        `Invalid JSON: ${printParseErrorCode(e.error)}.`,
        { start: e.offset, end: e.offset + Math.max(1, e.length) },
        [],
      );
    if (!root && errors.length === 0)
      c.add('ERROR', 'JSON_SYNTAX_ERROR', 'The document is empty.', { start: 0, end: 0 }, []);
    return { ok: false, findings: c.findings };
  }
  if (root.type !== 'object') {
    c.add('ERROR', 'DATA_TYPE_MISMATCH', 'A policy must be a JSON object.', spanOf(root), []);
    return { ok: false, findings: c.findings };
  }
  const top = new Map<string, { keyNode: Node; value: Node }>();
  reportDuplicateKeys(root, [], c);
  for (const e of propertyEntries(root)) {
    top.set(e.key, { keyNode: e.keyNode, value: e.value });
    if (!POLICY_KEYS.includes(e.key))
      c.add('ERROR', 'UNKNOWN_ELEMENT', `Unknown top-level element "${e.key}".`, spanOf(e.keyNode), [e.key]);
  }
  let version: string | undefined;
  const v = top.get('Version');
  if (!v)
    c.add(
      'WARNING',
      'MISSING_VERSION',
      'No Version: IAM uses 2008-10-17, where policy variables are plain text. Add "Version": "2012-10-17".',
      spanOf(root),
      [],
    );
  else if (v.value.value === '2012-10-17' || v.value.value === '2008-10-17') {
    version = v.value.value as string;
    if (version === '2008-10-17')
      c.add(
        'WARNING',
        'OLD_VERSION',
        'Version 2008-10-17 treats policy variables as plain text.',
        spanOf(v.value),
        ['Version'],
      );
  } else
    c.add(
      'ERROR',
      'INVALID_VERSION',
      `Version must be "2012-10-17" or "2008-10-17", found ${JSON.stringify(v.value.value ?? null)}.`,
      spanOf(v.value),
      ['Version'],
    );
  let id: string | undefined;
  const idNode = top.get('Id');
  if (idNode && idNode.value.type === 'string') id = idNode.value.value as string;

  const statements: Statement[] = [];
  const sNode = top.get('Statement');
  if (!sNode) c.add('ERROR', 'MISSING_STATEMENT', 'The policy has no Statement.', spanOf(root), []);
  else if (sNode.value.type === 'object') {
    const st = parseStatement(sNode.value, 0, ['Statement'], c);
    if (st) statements.push(st);
  } else if (sNode.value.type === 'array') {
    const children = sNode.value.children ?? [];
    if (children.length === 0)
      c.add(
        'ERROR',
        'EMPTY_STATEMENT_LIST',
        'The Statement list is empty: the policy grants nothing.',
        spanOf(sNode.value),
        ['Statement'],
      );
    children.forEach((child, i) => {
      const st = parseStatement(child, i, ['Statement', i], c);
      if (st) statements.push(st);
    });
  } else
    c.add(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      'Statement must be an object or an array of objects.',
      spanOf(sNode.value),
      ['Statement'],
    );

  if (c.hasErrors) return { ok: false, findings: c.findings };
  const policy: Policy = { statements, variablesActive: version === '2012-10-17' };
  if (version !== undefined) policy.version = version;
  if (id !== undefined) policy.id = id;
  return { ok: true, policy, findings: c.findings };
}
