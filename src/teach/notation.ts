/**
 * The notation printer: a parsed policy as readable math, statement by statement, the way an article
 * writes it: `S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")`.
 * The output is a tree of nodes; each node carries its text and the source spans it came from, so a
 * view can link every part of the formula to the JSON and back. Pure: no React, no DOM.
 *
 * Notation (explained to the reader by `legend`):
 *   ∧ ∨ ¬ →  and, or, not, implies;  ⊤ ⊥  true, false;  X := …  defines X
 *   Action = "s3:PutObject"            exact value
 *   Action ∈ {"a", "b"}                one of these exact values
 *   Action ∈ ⟦s3:Get*⟧                 matched by the pattern (`*` any run, `?` one character)
 *   Account(Principal) = "1234…"       any principal of that account
 *   present(k)                          the request carries condition key k
 *   ∃v ∈ k: …   ∀v ∈ k: …               some / every value of a multi-valued key
 */
import type { Located, Policy, PrincipalType, Span } from '../policy/model.ts';
import { principalName } from '../evaluate/caller.ts';
import {
  hasWildcard,
  policyTerms,
  type Atom,
  type BuildOptions,
  type Src,
  type Subject,
  type Term,
  type TermIssue,
} from './terms.ts';

type NodeRole =
  'definition' | 'statement' | 'atom' | 'member' | 'group' | 'ref' | 'const' | 'quantifier' | 'error';

export interface FNode {
  /** unique within one notation (stable for the same policy text) */
  id: string;
  role: NodeRole;
  /** the whole text of this node (the concatenation of `parts`) */
  text: string;
  parts: (string | FNode)[];
  /** source spans in the document: the first is where it came from */
  spans: Span[];
  /** a sentence for a tooltip */
  note?: string;
}

interface StatementNotation {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  name: string;
  span: Span;
  /** `S0 := …` */
  definition: FNode;
  /** the right-hand side alone */
  formula: FNode;
  simplified: { what: string; span: Span }[];
}

export interface PolicyNotation {
  /** which document (policy / existing / new), used as the node id prefix */
  doc: string;
  statements: StatementNotation[];
  /** `Allowed := (S0 ∨ …) ∧ ¬(D1 ∨ …)` */
  allowed: FNode;
  variablesActive: boolean;
  /** constructs the evaluator refuses (unknown operators, malformed values), by statement */
  issues: TermIssue[];
}

// ---------------------------------------------------------------------------------------------------
// Printing

const q = (s: string): string => JSON.stringify(s);

class Printer {
  private next = 0;
  constructor(private readonly prefix: string) {}

  node(role: NodeRole, parts: (string | FNode)[], src?: Src): FNode {
    const text = parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
    // spans with a negative start belong to no document (the critical actions of a check, ...)
    const spans = (src?.spans ?? []).filter((x) => x.start >= 0);
    const n: FNode = { id: `${this.prefix}${this.next++}`, role, text, parts, spans };
    if (src?.note) n.note = src.note;
    return n;
  }

  subject(s: Subject): string {
    switch (s.s) {
      case 'action':
        return 'Action';
      case 'resource':
        return 'Resource';
      case 'key':
        return s.key;
      case 'v':
        return 'v';
    }
  }

  member(value: { value: string; span: Span }, text: string): FNode {
    return this.node('member', [text], { spans: [value.span] });
  }

  /** `S = "x"`, `S ∈ {"a", "b"}`, `S ∈ ⟦p*⟧ ∪ {"a"}` */
  match(atom: Extract<Atom, { a: 'match' }>): (string | FNode)[] {
    const subj = this.subject(atom.subject);
    const exactOnly = atom.mode === 'eq' || atom.mode === 'eq-ci' || atom.mode === 'bool';
    if (atom.mode === 'eq-ci')
      return [`${subj} ≈ `, this.member(atom.members[0]!, q(atom.members[0]!.value))];
    if (atom.mode === 'bool')
      return [`${subj} = `, this.member(atom.members[0]!, atom.members[0]!.value.toLowerCase())];
    const literal = (v: string): boolean =>
      exactOnly ||
      (!hasWildcard(v) &&
        !(atom.vars && v.includes('${')) &&
        // an ARN pattern with fewer than six parts is matched as a pattern, never as equality
        (atom.mode !== 'arn' || v.split(':').length >= 6));
    const members = atom.members;
    if (members.length === 1 && literal(members[0]!.value))
      return [`${subj} = `, this.member(members[0]!, q(members[0]!.value))];
    // Consecutive exact values form one set; every pattern is its own ⟦…⟧; all joined by ∪.
    const groups: ({ set: FNode[] } | { pattern: FNode })[] = [];
    for (const m of members) {
      const last = groups[groups.length - 1];
      if (!literal(m.value)) groups.push({ pattern: this.member(m, `⟦${m.value}⟧`) });
      else if (last && 'set' in last) last.set.push(this.member(m, q(m.value)));
      else groups.push({ set: [this.member(m, q(m.value))] });
    }
    const out: (string | FNode)[] = [`${subj} ∈ `];
    groups.forEach((g, i) => {
      if (i > 0) out.push(' ∪ ');
      if ('pattern' in g) {
        out.push(g.pattern);
        return;
      }
      out.push('{');
      g.set.forEach((m, j) => {
        if (j > 0) out.push(', ');
        out.push(m);
      });
      out.push('}');
    });
    return out;
  }

  atom(atom: Atom): (string | FNode)[] {
    switch (atom.a) {
      case 'match':
        return this.match(atom);
      case 'cmp': {
        // dates as written (ISO 8601 or epoch seconds), numbers as written
        return [`${this.subject(atom.subject)} ${atom.op} `, this.member(atom.value, atom.value.value)];
      }
      case 'cidr': {
        const out: (string | FNode)[] = [`${this.subject(atom.subject)} ∈ `];
        atom.members.forEach((m, i) => {
          if (i > 0) out.push(' ∪ ');
          out.push(this.member(m, m.value));
        });
        return out;
      }
      case 'present':
        return [`present(${atom.key})`];
      case 'principal':
        return this.principal(atom.type, atom.value);
      case 'exempt': {
        const out: (string | FNode)[] = ['Exempt(Principal; '];
        atom.values.forEach((v, i) => {
          if (i > 0) out.push(', ');
          if (v.type === 'AWS') out.push(this.member(v.value, q(v.value.value)));
          else out.push(`${v.type}(`, this.member(v.value, q(v.value.value)), ')');
        });
        out.push(')');
        return out;
      }
    }
  }

  /** One Principal value, by what it names (evaluate/caller.ts principalName). */
  private principal(type: PrincipalType, value: Located<string>): (string | FNode)[] {
    const n = principalName(type, value.value);
    switch (n.category) {
      case 'account':
        return ['Account(Principal) = ', this.member(value, q(n.account))];
      case 'role':
        return ['Role(Principal) = ', this.member(value, q(n.arn))];
      case 'nobody':
        return ['Principal ∈ ∅ ', this.member(value, `⟦${value.value}⟧`)];
      case 'service':
      case 'identity-provider':
      case 'canonical-user':
        return [`Principal = ${type}(`, this.member(value, q(value.value)), ')'];
      default:
        return ['Principal = ', this.member(value, q(value.value))];
    }
  }

  /** Whether `t` needs parentheses as an operand of ∧, ∨ or → (prefix forms never do). */
  private bare(t: Term): boolean {
    if (t.t === 'const' || t.t === 'ref' || t.t === 'not' || t.t === 'error') return true;
    return t.t === 'atom' && t.atom.a === 'present';
  }

  term(t: Term): FNode {
    switch (t.t) {
      case 'const':
        return this.node('const', [t.v ? '⊤' : '⊥'], t.src);
      case 'ref':
        return this.node('ref', [t.name], t.src);
      case 'error':
        return this.node('error', [`⚠ ${t.message}`], { spans: t.src?.spans ?? [], note: t.code });
      case 'atom':
        return this.node('atom', this.atom(t.atom), t.src);
      case 'not': {
        const inner = this.term(t.x);
        const bareInner =
          t.x.t === 'ref' || t.x.t === 'const' || (t.x.t === 'atom' && t.x.atom.a === 'present');
        return this.node('group', bareInner ? ['¬', inner] : ['¬(', inner, ')'], t.src);
      }
      case 'and':
      case 'or': {
        const sym = t.t === 'and' ? ' ∧ ' : ' ∨ ';
        const parts: (string | FNode)[] = [];
        t.xs.forEach((x, i) => {
          if (i > 0) parts.push(sym);
          parts.push(...this.operand(x));
        });
        return this.node('group', parts, t.src);
      }
      case 'implies':
        return this.node('group', [...this.operand(t.a), ' → ', ...this.operand(t.b)], t.src);
      case 'exists':
      case 'forall': {
        const body = this.term(t.body);
        const sym = t.t === 'exists' ? '∃' : '∀';
        const wrap = !this.bare(t.body);
        return this.node(
          'quantifier',
          wrap ? [`${sym}v ∈ ${t.key}: (`, body, ')'] : [`${sym}v ∈ ${t.key}: `, body],
          t.src,
        );
      }
    }
  }

  operand(t: Term): (string | FNode)[] {
    const n = this.term(t);
    return this.bare(t) ? [n] : ['(', n, ')'];
  }
}

// ---------------------------------------------------------------------------------------------------
// Policies

export interface NotationOptions extends BuildOptions {
  /** node id prefix and document label (default `policy`) */
  doc?: string;
}

/** The notation of a parsed policy. */
export function policyNotation(policy: Policy, opts: NotationOptions = {}): PolicyNotation {
  const doc = opts.doc ?? 'policy';
  const terms = policyTerms(policy, opts);
  const p = new Printer(`${doc}-`);
  const statements: StatementNotation[] = terms.statements.map((s) => {
    const formula = p.term(s.term);
    const st = s.statement;
    const definition = p.node(
      'definition',
      [p.node('ref', [s.name], { spans: [st.span] }), ' := ', formula],
      {
        spans: [st.span],
        note: `Statement ${st.index} (${st.effect}${st.sid !== undefined ? `, Sid ${q(st.sid)}` : ''})`,
      },
    );
    const out: StatementNotation = {
      index: st.index,
      effect: st.effect,
      name: s.name,
      span: st.span,
      definition,
      formula,
      simplified: s.simplified,
    };
    if (st.sid !== undefined) out.sid = st.sid;
    return out;
  });
  const allowed = p.node('definition', ['Allowed := ', p.term(terms.allowed)], {
    spans: [],
    note: 'Some Allow statement matches and no Deny statement does',
  });
  return { doc, statements, allowed, variablesActive: policy.variablesActive, issues: terms.issues };
}

/** Prints one term (the question builder's pieces). */
export function formatTerm(t: Term, idPrefix: string): FNode {
  return new Printer(idPrefix).term(t);
}

/** Plain-text rendering (CLI `--format math`, golden tests). */
export function notationText(n: PolicyNotation): string {
  const lines: string[] = [];
  for (const s of n.statements) {
    const head = `# statement ${s.index}: ${s.effect}${s.sid !== undefined ? ` (Sid ${q(s.sid)})` : ''}`;
    lines.push(head, s.definition.text);
    for (const x of s.simplified) lines.push(`  -- ${x.what}`);
  }
  lines.push(n.allowed.text);
  if (!n.variablesActive && n.statements.length > 0)
    lines.push('-- policy variables are inactive (Version is not 2012-10-17): ${…} is plain text');
  for (const i of n.issues) lines.push(`-- error ${i.code}: ${i.message}`);
  return lines.join('\n') + '\n';
}

/** Every node of a tree, depth first. */
export function* walk(n: FNode): Generator<FNode> {
  yield n;
  for (const p of n.parts) if (typeof p !== 'string') yield* walk(p);
}

/**
 * The nodes a source offset selects: among the nodes with a span containing the offset, those with
 * the smallest such span (the statement's definition and its name in `Allowed` share one span).
 */
export function nodesAt(roots: FNode[], offset: number): FNode[] {
  let best = Infinity;
  let out: FNode[] = [];
  for (const r of roots)
    for (const n of walk(r))
      for (const s of n.spans) {
        if (offset < s.start || offset > s.end) continue;
        const size = s.end - s.start;
        if (size < best) {
          best = size;
          out = [n];
        } else if (size === best && !out.includes(n)) out.push(n);
      }
  return out;
}

export function notationRoots(n: PolicyNotation): FNode[] {
  return [...n.statements.map((s) => s.definition), n.allowed];
}
