/**
 * Policy validation in the shape of IAM Access Analyzer's ValidatePolicy: the parser's structural
 * findings plus catalog-aware checks (unknown services, actions and condition keys), malformed
 * condition values, set-operator misuse, overly broad grants and policy-type rules. Issue codes follow
 * Access Analyzer's where one exists. Every finding points at the offending key or value.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { Catalog } from '../catalog/catalog.ts';
import type {
  ConditionClause,
  Finding,
  FindingLocation,
  FindingType,
  JsonPath,
  Located,
  PatternPart,
  Policy,
  Span,
  Statement,
} from './model.ts';
import { CONDITION_OPERATORS, type OperatorFamily } from './operators.ts';
import { parsePolicy } from './parse.ts';
import { globMatches } from './glob.ts';
import { globIncludes, hasWildcard } from './validate-glob.ts';
import { isBool, isDate, isIpOrCidr, isNumber } from './validate-values.ts';

export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'SERVICE_CONTROL_POLICY';

export interface ValidateOptions {
  catalog: Catalog;
  /** defaults to IDENTITY_POLICY, as in Access Analyzer */
  policyType?: PolicyType;
}

// ---------------------------------------------------------------------------------------------
// Locations: line starts are computed once per document (the parser's `locate` rescans the text).

type Locator = (span: Span, path: JsonPath) => FindingLocation;

function makeLocator(text: string): Locator {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const at = (offset: number): { line: number; column: number; offset: number } => {
    const o = Math.min(offset, text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - (starts[lo] ?? 0), offset };
  };
  return (span, path) => ({ path, span, start: at(span.start), end: at(span.end) });
}

class Out {
  readonly findings: Finding[] = [];
  /** findings that only say the catalog does not know a name (see admitPolicy) */
  readonly catalogOnly = new Set<Finding>();
  constructor(private readonly loc: Locator) {}
  add(
    type: FindingType,
    code: string,
    details: string,
    span: Span,
    path: JsonPath,
    also?: { span: Span; path: JsonPath },
  ): Finding {
    const locations = [this.loc(span, path)];
    if (also) locations.push(this.loc(also.span, also.path));
    const f: Finding = { findingType: type, issueCode: code, findingDetails: details, locations };
    this.findings.push(f);
    return f;
  }
}

// ---------------------------------------------------------------------------------------------
// Catalog index, built once per catalog.

interface CatalogIndex {
  /**
   * Templated keys (`kms:EncryptionContext:${EncryptionContextKey}`, `s3:ExistingObjectTag/<key>`,
   * `aws:PrincipalTag/tag-key`) as anchored case-insensitive patterns, with their type.
   */
  templates: { re: RegExp; type: string }[];
}

const indexes = new WeakMap<Catalog, CatalogIndex>();

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function indexOf(catalog: Catalog): CatalogIndex {
  let ix = indexes.get(catalog);
  if (!ix) {
    const templates: CatalogIndex['templates'] = [];
    for (const k of catalog.conditionKeys()) {
      let src: string;
      if (/\/tag-key$/i.test(k.name)) src = escapeRegex(k.name.slice(0, -'tag-key'.length)) + '.+';
      else if (/\$\{[^}]*\}|<[^>]*>/.test(k.name))
        src = k.name
          .split(/(\$\{[^}]*\}|<[^>]*>)/)
          .map((part, i) => (i % 2 === 1 ? '.+' : escapeRegex(part)))
          .join('');
      else continue;
      templates.push({ re: new RegExp(`^${src}$`, 'i'), type: k.type });
    }
    ix = { templates };
    indexes.set(catalog, ix);
  }
  return ix;
}

/**
 * The catalog type of a condition key, `undefined` when unknown. Templated keys (tag keys, KMS
 * encryption context) match their template. Keys of identity providers
 * (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`) are accepted with an unknown type.
 */
function keyType(catalog: Catalog, ix: CatalogIndex, key: string): { type: string | undefined } | undefined {
  const entry = catalog.conditionKey(key);
  if (entry) return { type: entry.type };
  const t = ix.templates.find((x) => x.re.test(key));
  if (t) return { type: t.type };
  const colon = key.indexOf(':');
  if (colon > 0 && key.slice(0, colon).includes('.')) return { type: undefined };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Condition operators.

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

// ---------------------------------------------------------------------------------------------

const SID = /^[A-Za-z0-9]*$/;
/** `service:Name`: one colon, neither side empty (either may hold wildcards). */
const ACTION_SHAPE = /^[^:]+:[^:]+$/;
const SERVICE = /^[a-z0-9-]+$/;

function hasVariable(s: string): boolean {
  return s.includes('${');
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function show(patterns: Located<string>[], max = 3): string {
  const shown = patterns.slice(0, max).map((p) => JSON.stringify(p.value));
  return shown.join(', ') + (patterns.length > max ? ', ...' : '');
}

/** Validates policy text. Never throws: every problem is a finding, sorted by position. */
export function validatePolicy(text: string, opts: ValidateOptions): Finding[] {
  const parsed = parsePolicy(text);
  const findings = [...parsed.findings];
  if (parsed.ok) {
    const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
    const out = new Out(makeLocator(text));
    if (root) new Validator(parsed.policy, root, opts, out).run();
    findings.push(...out.findings);
  }
  return sortByPosition(findings);
}

function sortByPosition(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const x = a.f.locations[0]?.span;
      const y = b.f.locations[0]?.span;
      return (x?.start ?? 0) - (y?.start ?? 0) || (x?.end ?? 0) - (y?.end ?? 0) || a.i - b.i;
    })
    .map((e) => e.f);
}

export type Admission =
  { ok: true; policy: Policy; catalogErrors: Finding[] } | { ok: false; errors: Finding[] };

/**
 * Whether a check may take this document: parse errors and the validator's ERROR findings refuse it
 * (`errors`, sorted by position), except those that only say the catalog does not know a well-formed
 * name (INVALID_ACTION for a service:Name the service lacks, INVALID_SERVICE for a prefix the catalog
 * lacks). AWS's own managed policies carry those (retired services such as deepcomposer, renamed
 * actions such as s3:ListObjects) and they do not change what the policy means: such an entry matches
 * its own name, and the engine's actions are every service:name string, so a verdict holds whatever
 * the catalog. They come back with the policy (`catalogErrors`) for the check to show next to its
 * verdict (docs/semantics-decisions.md, "Invalid input").
 *
 * Skips the costlier warnings (redundant actions, wildcard matching): ReadOnlyAccess (91 KB) takes
 * about 3.5 ms here, warm (parsing alone 1.4 ms, the full validation 50-120 ms).
 */
export function admitPolicy(text: string, opts: ValidateOptions): Admission {
  const parsed = parsePolicy(text);
  if (!parsed.ok) return { ok: false, errors: parsed.findings.filter((f) => f.findingType === 'ERROR') };
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  const out = new Out(makeLocator(text));
  if (root) new Validator(parsed.policy, root, opts, out, true).run();
  const errors = sortByPosition(out.findings.filter((f) => f.findingType === 'ERROR'));
  const blocking = errors.filter((f) => !out.catalogOnly.has(f));
  if (blocking.length > 0) return { ok: false, errors: blocking };
  return { ok: true, policy: parsed.policy, catalogErrors: errors };
}

class Validator {
  private readonly catalog: Catalog;
  private readonly ix: CatalogIndex;
  private readonly type: PolicyType;
  private readonly identityLike: boolean;
  private readonly reportedOperators = new Set<number>();

  constructor(
    private readonly policy: Policy,
    private readonly root: Node,
    opts: ValidateOptions,
    private readonly out: Out,
    /** only what can be an ERROR (what a check needs to know): skips the costlier warnings */
    private readonly errorsOnly = false,
  ) {
    this.catalog = opts.catalog;
    this.ix = indexOf(opts.catalog);
    this.type = opts.policyType ?? 'IDENTITY_POLICY';
    this.identityLike = this.type !== 'RESOURCE_POLICY';
  }

  run(): void {
    this.sids();
    for (const st of this.policy.statements) {
      this.principal(st);
      this.actions(st.action);
      if (!this.errorsOnly) {
        this.redundantActions(st.action);
        this.broadGrants(st);
      }
      this.resources(st);
      for (const c of st.conditions) this.condition(c);
    }
  }

  // --- Sid ------------------------------------------------------------------------------------

  private sids(): void {
    const seen = new Map<string, { span: Span; path: JsonPath }>();
    for (const st of this.policy.statements) {
      if (st.sid === undefined) continue;
      const path = [...st.path, 'Sid'];
      const node = findNodeAtLocation(this.root, path);
      const span = node ? spanOf(node) : st.span;
      if (!SID.test(st.sid)) {
        if (this.identityLike)
          this.out.add(
            'ERROR',
            'INVALID_SID',
            `The Sid ${JSON.stringify(st.sid)} is not valid: use only letters A-Z, a-z and digits 0-9.`,
            span,
            path,
          );
        else
          this.out.add(
            'WARNING',
            'INVALID_SID',
            `The Sid ${JSON.stringify(st.sid)} has characters other than letters and digits. Some services (SQS, SNS) accept them in resource policies, IAM does not.`,
            span,
            path,
          );
      }
      if (st.sid === '') continue; // an empty Sid is the same as none
      const first = seen.get(st.sid);
      if (first)
        this.out.add(
          'ERROR',
          'UNIQUE_SIDS_REQUIRED',
          `Duplicate Sid ${JSON.stringify(st.sid)}: statement IDs must be unique within a policy.`,
          span,
          path,
          first,
        );
      else seen.set(st.sid, { span, path });
    }
  }

  // --- Principal ------------------------------------------------------------------------------

  private principal(st: Statement): void {
    const p = st.principal;
    const element = p?.negated ? 'NotPrincipal' : 'Principal';
    if (!p) {
      if (this.type === 'RESOURCE_POLICY')
        this.out.add(
          'ERROR',
          'MISSING_PRINCIPAL',
          `Statement ${st.index} has no Principal: every statement of a resource policy must name who it applies to.`,
          st.span,
          st.path,
        );
      return;
    }
    if (this.identityLike) {
      const kind = this.type === 'SERVICE_CONTROL_POLICY' ? 'a service control policy' : 'an identity policy';
      this.out.add(
        'ERROR',
        'UNSUPPORTED_PRINCIPAL',
        `The ${element} element is not supported in ${kind}: the caller is the identity the policy is attached to. Remove ${element}.`,
        p.span,
        p.path,
      );
    } else if (p.negated && st.effect === 'Allow') {
      this.out.add(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_PRINCIPAL',
        'Allow with NotPrincipal grants access to every principal not listed, anonymous callers included. Use Principal with the callers that need access instead.',
        p.span,
        p.path,
      );
    }
    // Values, read from the JSON (the model folds {"AWS": "*"} into "everyone").
    const node = findNodeAtLocation(this.root, p.path);
    if (!node) return;
    const check = (n: Node, path: JsonPath): void => {
      if (n.type !== 'string') return;
      const v = n.value as string;
      if (hasVariable(v))
        this.out.add(
          'ERROR',
          'INVALID_VARIABLE_FOR_ELEMENT',
          `Policy variables are not allowed in ${element}: ${JSON.stringify(v)}.`,
          spanOf(n),
          path,
        );
      else if (v !== '*' && hasWildcard(v))
        this.out.add(
          'ERROR',
          'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
          `Wildcards are not allowed in ${element} values other than "*" alone: ${JSON.stringify(v)}. Use "*" with a condition such as ArnLike aws:PrincipalArn.`,
          spanOf(n),
          path,
        );
    };
    if (node.type === 'string') check(node, p.path);
    else if (node.type === 'object')
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        const path = [...p.path, String(k.value)];
        if (v.type === 'array') (v.children ?? []).forEach((c, i) => check(c, [...path, i]));
        else check(v, path);
      }
  }

  // --- Action / NotAction -----------------------------------------------------------------------

  private actions(part: PatternPart): void {
    const element = part.negated ? 'NotAction' : 'Action';
    for (const p of part.patterns) {
      const raw = p.value;
      if (hasVariable(raw)) {
        this.out.add(
          'ERROR',
          'INVALID_VARIABLE_FOR_ELEMENT',
          `Policy variables are not allowed in ${element}: ${JSON.stringify(raw)}.`,
          p.span,
          p.path,
        );
        continue;
      }
      if (raw === '*') continue;
      if (!ACTION_SHAPE.test(raw)) {
        const none = hasWildcard(raw)
          ? ''
          : ' As written it matches no request, so the statement silently does nothing for it.';
        this.out.add(
          'ERROR',
          'INVALID_ACTION',
          `${JSON.stringify(raw)} is not an action: an ${element} entry is "*" or service:ActionName with one colon (for example s3:GetObject or iam:*).${none}`,
          p.span,
          p.path,
        );
        continue;
      }
      const colon = raw.indexOf(':');
      const service = raw.slice(0, colon).toLowerCase();
      const name = raw.slice(colon + 1);
      if (hasWildcard(service)) {
        this.out.add(
          'WARNING',
          'WILDCARD_IN_SERVICE_NAME',
          `The service prefix of ${JSON.stringify(raw)} contains a wildcard, so it matches actions of several services (and of services added later). Name the services explicitly.`,
          p.span,
          p.path,
        );
        if (!this.errorsOnly && this.catalog.matchingActions(raw).length === 0)
          this.noMatch(p, element, `no action of any service in the catalog matches it`);
        continue;
      }
      if (!SERVICE.test(service) || !this.catalog.hasService(service)) {
        const f = this.out.add(
          'ERROR',
          'INVALID_SERVICE',
          `The service prefix "${raw.slice(0, colon)}" in ${JSON.stringify(raw)} is not a known AWS service.`,
          p.span,
          p.path,
        );
        if (SERVICE.test(service)) this.out.catalogOnly.add(f);
        continue;
      }
      if (hasWildcard(name)) {
        if (!this.errorsOnly && this.catalog.matchingActions(raw).length === 0)
          this.noMatch(p, element, `no ${service} action in the catalog matches it`);
        continue;
      }
      if (!this.catalog.action(raw)) {
        const f = this.out.add(
          'ERROR',
          'INVALID_ACTION',
          `The action ${JSON.stringify(raw)} does not exist in service ${service} (${this.catalog.serviceName(service) ?? service}).`,
          p.span,
          p.path,
        );
        this.out.catalogOnly.add(f);
      }
    }
  }

  private noMatch(p: Located<string>, element: string, why: string): void {
    this.out.add(
      'WARNING',
      'NO_MATCHING_ACTION',
      `The ${element} pattern ${JSON.stringify(p.value)} matches nothing: ${why} (catalog ${this.catalog.version}).`,
      p.span,
      p.path,
    );
  }

  /** An entry already covered by another entry of the same element (duplicate or narrower pattern). */
  private redundantActions(part: PatternPart): void {
    const element = part.negated ? 'NotAction' : 'Action';
    const usable = part.patterns.filter(
      (p) => !hasVariable(p.value) && (p.value === '*' || p.value.includes(':')),
    );
    const firstByText = new Map<string, Located<string>>();
    const unique: Located<string>[] = [];
    for (const p of usable) {
      const lower = p.value.toLowerCase();
      const first = firstByText.get(lower);
      if (first)
        this.out.add(
          'SUGGESTION',
          'REDUNDANT_ACTION',
          `${JSON.stringify(p.value)} is listed twice in ${element}; remove the duplicate.`,
          p.span,
          p.path,
          first,
        );
      else {
        firstByText.set(lower, p);
        unique.push(p);
      }
    }
    // Wildcard entries grouped by service; entries with a wildcard service part go to "global".
    const byService = new Map<string, Located<string>[]>();
    const global: Located<string>[] = [];
    const serviceOf = (v: string): string | undefined => {
      if (v === '*') return undefined;
      const s = v.slice(0, v.indexOf(':')).toLowerCase();
      return hasWildcard(s) ? undefined : s;
    };
    for (const p of unique) {
      if (!hasWildcard(p.value)) continue;
      const s = serviceOf(p.value);
      if (s === undefined) global.push(p);
      else {
        const list = byService.get(s) ?? [];
        list.push(p);
        byService.set(s, list);
      }
    }
    if (global.length === 0 && byService.size === 0) return;
    for (const a of unique) {
      const s = serviceOf(a.value);
      const candidates = s === undefined ? global : [...(byService.get(s) ?? []), ...global];
      const aWild = hasWildcard(a.value);
      for (const b of candidates) {
        if (b === a) continue;
        const covered = aWild
          ? globIncludes(a.value, b.value)
          : globMatches(b.value, a.value, { caseInsensitive: true });
        if (!covered) continue;
        // Two equivalent patterns: report only the later one.
        if (aWild && a.span.start < b.span.start && globIncludes(b.value, a.value)) continue;
        this.out.add(
          'SUGGESTION',
          'REDUNDANT_ACTION',
          `${JSON.stringify(a.value)} is redundant: ${JSON.stringify(b.value)} in the same ${element} already covers it.`,
          a.span,
          a.path,
          { span: b.span, path: b.path },
        );
        break;
      }
    }
  }

  // --- Resource / NotResource -------------------------------------------------------------------

  private resources(st: Statement): void {
    const r = st.resource;
    if (!r) {
      if (this.identityLike)
        this.out.add(
          'ERROR',
          'MISSING_RESOURCE',
          `Statement ${st.index} has neither Resource nor NotResource; add "Resource" (for example "*").`,
          st.span,
          st.path,
        );
      return;
    }
    const element = r.negated ? 'NotResource' : 'Resource';
    for (const p of r.patterns) {
      this.literalVariable(p, element);
      if (p.value === '*') continue;
      const parts = p.value.replace(/\$\{[^}]*\}/g, 'x').split(':').length;
      if (parts < 6)
        this.out.add(
          'WARNING',
          'INVALID_ARN_RESOURCE',
          `${element} ${JSON.stringify(p.value)} is not an ARN pattern: it has ${parts} colon-separated part${parts === 1 ? '' : 's'} where an ARN has at least six (arn:partition:service:region:account:resource). It is matched as a plain glob over the whole resource ARN, so it only matches ARNs whose full text fits it; use "*" or a complete ARN such as arn:aws:s3:::bucket/*.`,
          p.span,
          p.path,
        );
    }
  }

  private literalVariable(p: Located<string>, where: string): void {
    if (this.policy.variablesActive || !hasVariable(p.value)) return;
    this.out.add(
      'WARNING',
      'POLICY_VARIABLE_WITHOUT_VERSION',
      `${where} ${JSON.stringify(p.value)} contains a policy variable, but policy variables work only with "Version": "2012-10-17"; here it is literal text.`,
      p.span,
      p.path,
    );
  }

  // --- Broad grants ---------------------------------------------------------------------------

  private broadGrants(st: Statement): void {
    if (st.effect !== 'Allow') return;
    const a = st.action;
    const r = st.resource;
    const allResources = !r || (!r.negated && r.patterns.some((p) => p.value === '*'));
    const cond = st.conditions.length > 0 ? ' (narrowed only by its Condition)' : '';
    if (a.negated) {
      this.out.add(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_ACTION',
        allResources
          ? `Allow with NotAction on Resource "*" grants every action of every service except ${show(a.patterns)}, on every resource${cond}, including actions AWS adds later. List the allowed actions with Action instead.`
          : `Allow with NotAction grants every action of every service except ${show(a.patterns)}${cond}, including actions AWS adds later. List the allowed actions with Action instead.`,
        a.span,
        a.path,
      );
    }
    if (r?.negated) {
      this.out.add(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_RESOURCE',
        `Allow with NotResource grants access to every resource except ${show(r.patterns)}${cond}, including resources created later. List the allowed resources with Resource instead.`,
        r.span,
        r.path,
      );
    }
    const star = a.negated ? undefined : a.patterns.find((p) => p.value === '*');
    if (star && allResources) {
      this.out.add(
        'SECURITY_WARNING',
        'ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES',
        `Statement ${st.index} allows every action ("*") on every resource${cond}: full administrative access. Grant only the actions and resources that are needed.`,
        star.span,
        star.path,
      );
    }
  }

  // --- Condition ------------------------------------------------------------------------------

  private condition(c: ConditionClause): void {
    const op = c.operator;
    const opPath = operatorPath(c);
    const family = FAMILY.get(op.base);
    const reportOp = (code: string, details: string): void => {
      if (this.reportedOperators.has(c.operatorSpan.start)) return;
      this.reportedOperators.add(c.operatorSpan.start);
      this.out.add('ERROR', code, details, c.operatorSpan, opPath);
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
        if (hasVariable(v.value) && this.policy.variablesActive && family !== 'String' && family !== 'Arn') {
          this.out.add(
            'ERROR',
            'INVALID_VARIABLE_FOR_OPERATOR',
            `Policy variables can be used only with String and Arn operators, not with ${op.base}: ${JSON.stringify(v.value)}.`,
            v.span,
            v.path,
          );
          continue;
        }
        if (check && !check.ok(v.value)) {
          this.out.add(
            'ERROR',
            check.code,
            `${op.text} needs ${check.expected}; ${JSON.stringify(v.value)} is not one.`,
            v.span,
            v.path,
          );
          continue;
        }
        this.literalVariable(v, `The value of ${c.key}`);
      }
    }

    // The key: warnings only.
    if (this.errorsOnly) return;
    const known = keyType(this.catalog, this.ix, c.key);
    if (!known) {
      this.out.add(
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
      this.out.add(
        'SECURITY_WARNING',
        'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
        `Using ForAllValues with the single-valued condition key ${c.key} can be overly permissive: ForAllValues is also true when the key is missing from the request. Remove ForAllValues:.`,
        c.keySpan,
        c.path,
      );
    else if (op.qualifier === 'ForAnyValue' && !multi)
      this.out.add(
        'WARNING',
        'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
        `ForAnyValue is meant for multi-valued keys; ${c.key} is single-valued. Remove ForAnyValue:.`,
        c.keySpan,
        c.path,
      );
    else if (!op.qualifier && multi && family !== 'Null')
      this.out.add(
        'WARNING',
        'SINGLE_VALUED_OPERATOR_WITH_MULTI_VALUED_KEY',
        `${c.key} is multi-valued (${known.type}); ${op.text} without ForAnyValue: or ForAllValues: is ambiguous. Say whether any or all of its values must match.`,
        c.keySpan,
        c.path,
      );
  }
}
