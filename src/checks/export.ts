/**
 * SMT-LIB2 export: one standalone script per check that any Z3 accepts and that answers the check's
 * question (sat = FAIL: a request breaks the property; unsat = PASS). It is built on the engine's own
 * encoder: the same dimensions, atoms, key axioms and root formula that the checks search
 * (questions.ts; see `buildQuestions`), written out EAGERLY: one String constant per
 * dimension, every atom defined as `(str.in_re dim regex)`. The app's lazy solver answers the same
 * question in many small Z3 calls instead (src/smt/solve.ts), so this script is the question, not a
 * transcript of the calls.
 *
 * Policy variables (`${aws:username}`) are written exactly where that is possible: the variable is
 * the key's value constant inside the regex, `(str.to_re |ctx:aws:username|)`. Where it is not (a
 * variable inside the first five ARN fields, a multi-valued key, a case-insensitive comparison), the
 * atom is left free and the export says it over-approximates: unsat still proves PASS, sat is not a
 * proof of FAIL.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { inputErrorCode, type AccessSpec, type CheckRequest, type InputError } from './types.ts';
import type { PolicyType } from '../evaluate/request.ts';
import { isCallerKey } from '../evaluate/caller.ts';
import type { Policy } from '../policy/model.ts';
import { accessNotGrantedQuestion, noNewAccessQuestion, outsidersQuestion } from './questions.ts';
import { InputProblem, parseCheck, type OutsidersOptions } from './request.ts';
import { PRINCIPAL_ACCOUNT, PRINCIPAL_ARN, type Atom, type Dim } from '../smt/atoms.ts';
import { EncodingError } from '../smt/conditions.ts';
import { Encoder } from '../smt/encode.ts';
import { modeRe } from '../smt/patterns.ts';
import { toSmtLib, variables, type Formula } from '../smt/formula.ts';
import { compileMatcher, or as reOr, smtString, str, toSmt, type GlobToken } from '../smt/regex.ts';

/** A check's input problem, as the export reports it (the engine's InputError). */
type ExportError = InputError;

/** One question: a formula whose solutions are the requests that break the property. */
interface Question {
  /** e.g. `Pnew ∧ ¬Pold` */
  formula: string;
  /** what a solution is, in words */
  satMeans: string;
  unsatMeans: string;
  enc: Encoder;
  root: Formula;
  background: Formula;
}

function noNewAccess(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  policyType: PolicyType,
  names: { old: string; new: string },
): Question {
  const q = noNewAccessQuestion(catalog, oldP, newP, policyType, { old: 'existing', new: 'new' });
  return {
    formula: `${names.new} ∧ ¬${names.old}`,
    satMeans: `a request that ${names.new} allows and ${names.old} does not`,
    unsatMeans: `every request ${names.new} allows, ${names.old} allows too`,
    enc: q.enc,
    root: q.root,
    background: q.background,
  };
}

function accessNotGranted(
  catalog: Catalog,
  p: Policy,
  access: AccessSpec[],
  policyType: PolicyType,
): Question {
  const q = accessNotGrantedQuestion(catalog, p, access, policyType);
  const listed = access
    .map((a) =>
      [
        a.actions?.length ? `actions ${a.actions.join(', ')}` : '',
        a.resources?.length ? `resources ${a.resources.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' on '),
    )
    .join('; or ');
  return {
    formula: `P ∧ Critical, where Critical = the request is for ${listed}`,
    satMeans: 'a request for the listed access that the policy allows',
    unsatMeans: 'the policy allows no request for the listed access',
    enc: q.enc,
    root: q.root,
    background: q.background,
  };
}

function outsiders(catalog: Catalog, p: Policy, o: OutsidersOptions): Question {
  const q = outsidersQuestion(catalog, p, o);
  return {
    formula: o.publicMode ? 'P ∧ Outside ∧ ServiceAction' : 'P ∧ Outside',
    satMeans: o.publicMode
      ? 'a request from a caller outside every account the policy names that the policy allows'
      : 'a request from a caller outside the trusted accounts that the policy allows',
    unsatMeans: o.publicMode
      ? 'only callers of the accounts the policy names (or fixed networks and sources) get access'
      : 'only callers of the trusted accounts get access',
    enc: q.enc,
    root: q.root,
    background: q.background,
  };
}

/** The question(s) the engine asks for a check: one, or two for ComparePolicies (A ∧ ¬B, B ∧ ¬A). */
function buildQuestions(req: CheckRequest, catalog: Catalog): Question[] {
  const c = parseCheck(req, catalog);
  switch (c.kind) {
    case 'noNewAccess':
      return [noNewAccess(catalog, c.existing, c.next, c.policyType, { old: 'Pold', new: 'Pnew' })];
    case 'accessNotGranted':
      return [accessNotGranted(catalog, c.policy, c.access, c.policyType)];
    case 'outsiders':
      return [outsiders(catalog, c.policy, c.options)];
    case 'compare':
      // As the checker: aNotB = noNewAccess(old b, new a), then bNotA.
      return [
        noNewAccess(catalog, c.b, c.a, c.policyType, { old: 'PB', new: 'PA' }),
        noNewAccess(catalog, c.a, c.b, c.policyType, { old: 'PA', new: 'PB' }),
      ];
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing the script

interface SmtExport {
  script: string;
  /** true when some part is over-approximated: unsat proves PASS, sat proves nothing */
  approximate: boolean;
  notes: string[];
  questions: { formula: string; satMeans: string; unsatMeans: string }[];
  size: { dimensions: number; atoms: number; chars: number; large: boolean };
}

export type ExportResult = { ok: true; value: SmtExport } | { ok: false; error: ExportError };

/** A symbol for a dimension or value constant (`ctx:aws:SourceIp#0` needs quoting). */
function smtSymbol(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : `|${name.replace(/[|\\]/g, '_')}|`;
}

const comment = (s: string): string => s.replace(/[\r\n]+/g, ' ').slice(0, 160);

/** Sizes above which the note warns that the eager script may be slow (measured: see the test). */
const LARGE_ATOMS = 150;
const LARGE_CHARS = 150_000;

const PLACEHOLDER = /\\u\{e000\}(\d+)\\u\{e001\}/;

class QuestionWriter {
  readonly lines: string[] = [];
  readonly notes: string[] = [];
  approximate = false;
  private values = new Map<string, string>();
  private declared = new Set<string>();

  constructor(
    private readonly q: Question,
    private readonly catalog: Catalog,
  ) {}

  private approx(why: string): void {
    this.approximate = true;
    if (!this.notes.includes(why)) this.notes.push(why);
  }

  private declare(name: string, sort: string, why?: string): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.lines.push(`(declare-const ${name} ${sort})${why ? ` ; ${comment(why)}` : ''}`);
  }

  /** The string term holding a key's (single) value, or undefined when it cannot be written exactly. */
  private valueTerm(key: string): string | undefined {
    const hit = this.values.get(key);
    if (hit) return hit;
    const enc = this.q.enc;
    let term: string;
    if (key === PRINCIPAL_ARN) {
      // The caller code (smt/caller.ts) holds aws:PrincipalArn between "AWS:" and an optional "#…".
      term = smtSymbol(`val:${key}`);
      const rest = smtSymbol(`val:${key}:rest`);
      this.declare(term, 'String', 'aws:PrincipalArn: the caller ARN, when the caller is an AWS principal');
      this.declare(rest, 'String', 'the rest of the caller code after its ARN (unique id, session)');
      this.lines.push(
        `(assert (not (str.contains ${term} "#")))`,
        `(assert (or (= ${rest} "") (str.prefixof "#" ${rest})))`,
        `(assert (=> (str.prefixof "AWS:" principal) (= principal (str.++ "AWS:" ${term} ${rest}))))`,
      );
    } else if (key === PRINCIPAL_ACCOUNT) {
      term = smtSymbol(`val:${key}`);
      const seg = toSmt({ k: 'star', r: { k: 'notchar', c: ':' } });
      this.declare(term, 'String', "aws:PrincipalAccount: the caller's account, when it is an AWS principal");
      this.lines.push(
        `(assert (str.in_re ${term} ${seg}))`,
        `(assert (=> (str.prefixof "AWS:" principal) (str.in_re principal (re.++ (str.to_re "AWS:arn:") ${seg} (str.to_re ":") ${seg} (str.to_re ":") ${seg} (str.to_re ":") (str.to_re ${term}) (str.to_re ":") re.all))))`,
      );
    } else if (isCallerKey(key)) {
      // Measured: writing the other caller keys as pieces of the caller code (per kind) sent Z3 past
      // two minutes on a two-statement pair; the script leaves them free and says so.
      this.approx(`policy variable \${${key}} is a key the caller brings: its atoms are left free`);
      return undefined;
    } else {
      const info = enc.keys.get(key);
      if (!info) return undefined;
      if (info.multi) {
        this.approx(`policy variable \${${info.display}} names a multi-valued key: its atoms are left free`);
        return undefined;
      }
      if (info.views.has('num') || info.views.has('ip')) {
        this.approx(`policy variable \${${info.display}} names a key also compared as a number or address`);
        return undefined;
      }
      const slot = info.slots[0];
      if (slot?.strDim) term = smtSymbol(slot.strDim.name);
      else {
        term = smtSymbol(`val:${key}`);
        this.declare(term, 'String', `the value of ${info.display} (used only as a policy variable)`);
      }
    }
    this.values.set(key, term);
    return term;
  }

  private presenceText(key: string): string | undefined {
    const info = this.q.enc.keys.get(key);
    if (!info) return undefined;
    const t = toSmtLib(info.presence, 'pr');
    return t.defs.length ? undefined : t.expr;
  }

  /** The atom's regex with the policy variables as their keys' value constants (`str.to_re` of a term). */
  private variableRe(a: Atom): string | undefined {
    const pattern = a.pattern!;
    if (pattern.mode === 'literal-ci') {
      this.approx(`"${a.label}": a policy variable compared ignoring case is left free`);
      return undefined;
    }
    const terms: string[] = [];
    const tokens: GlobToken[] = [];
    let literalColons = 0;
    let colonsBeforeFirstVar: number | undefined;
    for (const piece of pattern.pieces) {
      if (piece.t === 'tokens') {
        for (const t of piece.tokens) {
          if (t.t === 'lit') literalColons += t.s.split(':').length - 1;
          tokens.push(t);
        }
        continue;
      }
      colonsBeforeFirstVar ??= literalColons;
      let term = this.valueTerm(piece.key);
      if (term === undefined) {
        this.approx(
          `"${a.label}": the value of \${${piece.key}} cannot be written exactly; the atom is left free`,
        );
        return undefined;
      }
      if (piece.dflt !== undefined) {
        const present = this.presenceText(piece.key);
        if (present === undefined) {
          this.approx(`"${a.label}": the default of \${${piece.key}} cannot be written exactly`);
          return undefined;
        }
        term = `(ite ${present} ${term} ${smtString(piece.dflt)})`;
      }
      tokens.push({ t: 'lit', s: `\u{e000}${terms.length}\u{e001}` });
      terms.push(term);
    }
    if (pattern.mode === 'arn' && (colonsBeforeFirstVar ?? 0) < 5) {
      // The value's own ':' would move the ARN fields (the evaluator splits after substitution).
      this.approx(`"${a.label}": a policy variable inside the first five ARN fields is left free`);
      return undefined;
    }
    const merged: GlobToken[] = [];
    for (const t of tokens) {
      const last = merged[merged.length - 1];
      if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
      else merged.push(t);
    }
    const re = toSmt(pattern.view(merged, (t) => modeRe(t, pattern.mode)));
    const withValues = re.replace(/\(str\.to_re ("(?:[^"]|"")*")\)/g, (whole, lit: string) => {
      if (!PLACEHOLDER.test(lit)) return whole;
      const pieces = lit.slice(1, -1).split(PLACEHOLDER);
      const parts: string[] = [];
      pieces.forEach((p, i) => {
        if (i % 2 === 1) parts.push(`(str.to_re ${terms[Number(p)]})`);
        else if (p !== '') parts.push(`(str.to_re "${p}")`);
      });
      return parts.length === 1 ? parts[0]! : `(re.++ ${parts.join(' ')})`;
    });
    return withValues;
  }

  write(): void {
    const { enc, root, background } = this.q;
    const used = variables(root);
    variables(background, used);
    const atomNames = new Set(enc.atoms.map((a) => a.name));

    this.lines.push(
      '; The request: one string per dimension (action, resource, principal, one per key value slot).',
    );
    for (const d of enc.dims.values()) this.declare(smtSymbol(d.name), 'String', dimensionComment(d));

    // Each atom is a Boolean with the meaning `m = (dim ∈ re_m)`. The meaning is asserted with ONE
    // membership per dimension, of the intersection (ite m re_m (re.comp re_m)) over its atoms: Z3 5.x
    // decides one membership of an intersection in milliseconds, but several memberships of the same
    // string (one per atom) in seconds to minutes. Both say exactly the same.
    this.lines.push('; Atoms: m = (dimension ∈ re_m), one regular expression per string test of the policy.');
    const byDim = new Map<Dim, string[]>();
    const atomLines: string[] = [];
    for (const a of enc.atoms) {
      if (!used.has(a.name)) continue;
      const re = a.re ? toSmt(a.re) : this.variableRe(a);
      atomLines.push(`(declare-const ${a.name} Bool) ; ${comment(a.label)}`);
      if (re === undefined) {
        atomLines.push(`; ${a.name} is left free (over-approximation)`);
        continue;
      }
      atomLines.push(`(define-fun re_${a.name} () RegLan ${re})`);
      const list = byDim.get(a.dim) ?? [];
      list.push(`(ite ${a.name} re_${a.name} (re.comp re_${a.name}))`);
      byDim.set(a.dim, list);
    }
    this.lines.push(...atomLines);
    this.lines.push(
      '; Each dimension: its shape, and every atom on it true exactly when the string is in its regex.',
    );
    for (const d of enc.dims.values()) {
      const parts = [
        ...(d.kind === 'action' ? [this.actionDomain(d)] : d.base.k === 'all' ? [] : [toSmt(d.base)]),
      ];
      parts.push(...(byDim.get(d) ?? []));
      if (parts.length === 0) continue;
      const re = parts.length === 1 ? parts[0]! : `(re.inter ${parts.join(' ')})`;
      this.lines.push(`(assert (str.in_re ${smtSymbol(d.name)} ${re}))`);
    }

    const bg = toSmtLib(background, 'b');
    const q = toSmtLib(root, 'q');
    const others = [...used].filter((v) => !atomNames.has(v)).sort();
    const reals = [...new Set([...bg.arithVars, ...q.arithVars])].sort();
    if (others.length || reals.length)
      this.lines.push(
        '; Key presence (p_), multi-valued key slots (u_, pm_, q_), numbers and dates (n_, nan_).',
        ...others.map((v) => `(declare-const ${v} Bool)`),
        ...reals.map((v) => `(declare-const ${v} Real)`),
      );
    if (background.k !== 'const' || !background.v)
      this.lines.push(
        '; How key presence, value slots and policy variables fit together.',
        ...bg.defs,
        `(assert ${bg.expr})`,
      );
    this.lines.push(`; The question: ${this.q.formula}`, ...q.defs, `(assert ${q.expr})`, '(check-sat)');
    this.lines.push(
      `; sat   -> ${this.q.satMeans}: FAIL. To see one: (get-value (action resource principal))`,
      `; unsat -> ${this.q.unsatMeans}: PASS`,
    );
    if (enc.approximate)
      this.approx(
        `the encoding over-approximates (${enc.approximations.join(', ')}): the engine confirms each model with the concrete evaluator`,
      );
  }

  /** Action strings: the solver's action shape, plus any catalog action outside it (the engine's domain). */
  private actionDomain(d: Dim): string {
    const inShape = compileMatcher(d.base);
    const outside = this.catalog.actions.filter((a) => !inShape(a.key)).map((a) => str(a.key));
    return toSmt(outside.length ? reOr(d.base, ...outside) : d.base);
  }
}

function dimensionComment(d: Dim): string {
  if (d.kind === 'action') return 'the action, lower case (service:name)';
  if (d.kind === 'resource') return 'the resource ARN';
  if (d.kind === 'principal')
    return 'the caller: AWS:<arn>, Service:<id>, Federated:<id>, CanonicalUser:<id> or Anonymous:';
  const slot = d.element !== undefined ? ` (value ${d.element} of the multi-valued key)` : '';
  return d.kind === 'ip'
    ? `the address in ${d.key}${slot}: 4:<32 bits> or 6:<128 bits> (x: not an address)`
    : `the value of ${d.key}${slot}`;
}

const CHECK_TEXT: Record<CheckRequest['check'], string> = {
  CheckNoNewAccess: 'CheckNoNewAccess: does the new policy grant access the existing one does not?',
  CheckAccessNotGranted: 'CheckAccessNotGranted: does the policy grant any of the listed access?',
  CheckNoPublicAccess: 'CheckNoPublicAccess: does the resource policy grant access to the public?',
  NoAccessOutsideAccounts: 'No access outside trusted accounts: does a caller outside them get access?',
  ComparePolicies: 'ComparePolicies: which requests does one policy allow and the other not?',
};

/** The standalone SMT-LIB2 script for a check's question(s). */
export function exportSmtLib(req: CheckRequest, catalog: Catalog): ExportResult {
  let questions: Question[];
  try {
    questions = buildQuestions(req, catalog);
  } catch (e) {
    if (e instanceof InputProblem) return { ok: false, error: e.error };
    if (e instanceof EncodingError)
      return { ok: false, error: { code: inputErrorCode(e.code, 'INVALID_POLICY'), message: e.message } };
    throw e;
  }
  const writers = questions.map((q) => {
    const w = new QuestionWriter(q, catalog);
    w.write();
    return w;
  });
  const approximate = writers.some((w) => w.approximate);
  const notes = [...new Set(writers.flatMap((w) => w.notes))];
  const atoms = questions.reduce((n, q) => n + q.enc.atoms.length, 0);
  const dimensions = questions.reduce((n, q) => n + q.enc.dims.size, 0);
  const head = [
    '; IAM policy playground: SMT-LIB2 export (standalone; run it with any Z3: z3 file.smt2)',
    `; ${CHECK_TEXT[req.check]}`,
    `; ${questions.length === 1 ? 'One question' : 'Two questions'}: ${questions.map((q) => q.formula).join(' and ')}.`,
    '; A solution (sat) is a request that breaks the property: FAIL. No solution (unsat): PASS.',
    ...(req.check === 'ComparePolicies'
      ? [
          '; PA ∧ ¬PB unsat and PB ∧ ¬PA unsat: EQUIVALENT; only the first sat: MORE_PERMISSIVE (A);',
          ';   only the second sat: LESS_PERMISSIVE; both sat: INCOMPARABLE.',
        ]
      : []),
    ...(approximate
      ? [
          '; OVER-APPROXIMATION: unsat still proves PASS, but sat may be a request the policy does not allow:',
          ...notes.map((n) => `;   ${comment(n)}`),
        ]
      : []),
  ];
  const body =
    writers.length === 1
      ? writers[0]!.lines
      : writers.flatMap((w, i) => [
          `; ---- question ${i + 1}: ${questions[i]!.formula}`,
          '(push 1)',
          ...w.lines,
          '(pop 1)',
        ]);
  let script = [...head, ...body].join('\n') + '\n';
  const large = atoms > LARGE_ATOMS || script.length > LARGE_CHARS;
  const sizeLine = [
    `; Size: ${dimensions} string dimension(s), ${atoms} atom(s), ${script.length} characters.`,
    '; Z3 answers most small scripts in under a second, but its string solver can need much longer on some',
    '; (measured: 5 of the 60 smallest corpus pairs took over 30 s); the app splits the same question into',
    '; many small Z3 calls instead (src/smt/solve.ts).',
    ...(large
      ? [
          '; This policy is large: expect minutes, or use the app or the CLI for the verdict and this script to read.',
        ]
      : []),
  ].join('\n');
  script = [head[0], sizeLine, ...head.slice(1), ...body].join('\n') + '\n';
  return {
    ok: true,
    value: {
      script,
      approximate,
      notes,
      questions: questions.map((q) => ({
        formula: q.formula,
        satMeans: q.satMeans,
        unsatMeans: q.unsatMeans,
      })),
      size: { dimensions, atoms, chars: script.length, large },
    },
  };
}

/** Reads Z3's answers to an exported script (one per `check-sat`, in order). */
export function readAnswers(output: string): ('sat' | 'unsat' | 'unknown')[] {
  return output
    .split(/\s+/)
    .filter((w): w is 'sat' | 'unsat' | 'unknown' => w === 'sat' || w === 'unsat' || w === 'unknown');
}

/** The check's verdict from the script's answers (the engine's result vocabulary). */
export function verdictOf(check: CheckRequest['check'], answers: string[], approximate = false): string {
  const one = (a: string | undefined): 'PASS' | 'FAIL' | 'UNKNOWN' =>
    a === 'unsat' ? 'PASS' : a === 'sat' && !approximate ? 'FAIL' : 'UNKNOWN';
  if (check !== 'ComparePolicies') return one(answers[0]);
  const aNotB = one(answers[0]);
  const bNotA = one(answers[1]);
  if (aNotB === 'UNKNOWN' || bNotA === 'UNKNOWN') return 'UNKNOWN';
  if (aNotB === 'PASS' && bNotA === 'PASS') return 'EQUIVALENT';
  if (aNotB === 'FAIL' && bNotA === 'PASS') return 'MORE_PERMISSIVE';
  if (aNotB === 'PASS') return 'LESS_PERMISSIVE';
  return 'INCOMPARABLE';
}
