/**
 * A decoded request made to look like AWS's (catalog/realistic.ts proposes the values): the
 * resource becomes one of the action's own resource type (`arn:aws:s3:::amzn-s3-demo-bucket` for
 * s3:DeleteBucket, a role ARN for sts:AssumeRole), context values become values of their key's type
 * (an address inside the policy's range for aws:SourceIp, a tag value for a tag), and keys are
 * spelled as the policy or the catalog spells them.
 *
 * A dimension's witness is re-picked only among proposals that give EVERY literal of the model on
 * that dimension the same truth value (the atoms' JavaScript matchers, a policy variable's pattern
 * instantiated with the values the request has). A careful picker also keeps a key a policy
 * variable reads at its new value only when every literal that reads it keeps its truth value, so
 * its request satisfies the same literals as the solver's; a bold picker lets such a key change and
 * re-picks what reads it to fit. Either way the search has the referee re-check the request and
 * keeps the solver's own strings when it disagrees: realism can lose nothing but looks.
 */
import type { Catalog } from '../catalog/catalog.ts';
import {
  addressIn,
  fillPlain,
  keySpelling,
  resourceCandidates,
  resourcesForPattern,
  valueCandidates,
} from '../catalog/realistic.ts';
import { callerAccount, callerKeyValue, callerOf, isCallerKey } from '../evaluate/caller.ts';
import type { Request } from '../evaluate/request.ts';
import { decodeCaller } from '../smt/caller.ts';
import type { Atom, Dim, KeyInfo } from '../smt/atoms.ts';
import { presenceValue, type Model } from '../smt/context.ts';
import type { Encoder } from '../smt/encode.ts';
import { instantiate } from '../smt/patterns.ts';
import { compileMatcher } from '../smt/regex.ts';
import { parseIp } from '../smt/values.ts';

type Lit = { atom: Atom; value: boolean };

/** A value the picker cannot give a variable (a key with several values): no re-pick depends on it. */
const UNKNOWN = Symbol('unknown');

const baseMatchers = new WeakMap<Dim, (s: string) => boolean>();

function safe(test: () => boolean): boolean | undefined {
  try {
    return test();
  } catch {
    return undefined;
  }
}

const spellings = new WeakMap<Encoder, Map<string, string>>();

/** How the policy spells each key its variables read (`${aws:PrincipalTag/Team}`), by lower-case key. */
function variableSpellings(enc: Encoder): Map<string, string> {
  let out = spellings.get(enc);
  if (!out) {
    out = new Map();
    for (const a of enc.atoms)
      if (a.varKeys.length)
        for (const v of a.label.matchAll(/\$\{([^}',]+)/g)) {
          const text = v[1]!.trim();
          if (!out.has(text.toLowerCase()) && text !== text.toLowerCase()) out.set(text.toLowerCase(), text);
        }
    spellings.set(enc, out);
  }
  return out;
}

/** Re-picks one model's witnesses; one instance per model (the resource is picked per action). */
export class RealisticPicker {
  private readonly strings: Map<string, string>;
  private readonly catalog: Catalog;
  /** lower-case key -> atoms (with a literal in the model) whose pattern reads the key */
  private readonly readers = new Map<string, Atom[]>();
  private readonly resources = new Map<string, string>();
  private readonly instantiated = new Map<string, ((s: string) => boolean) | null>();
  /** how the policy spells a key a variable reads (`${aws:PrincipalTag/Team}`) */
  private readonly spelled: Map<string, string>;
  private readonly infoByDisplay = new Map<string, KeyInfo>();

  /**
   * `bold`: a key a variable reads may take a new value even when the solver's resource no longer
   * matches the same patterns with it (the resource is re-picked for the new value: a policy's
   * `log-group:${aws:PrincipalTag/LogGroupName}/*` gets a real group name in both places). The
   * search tries a bold picker first, then a careful one, then the solver's own strings.
   */
  constructor(
    private readonly enc: Encoder,
    private readonly m: Model,
    private readonly bold = false,
  ) {
    this.catalog = enc.catalog;
    this.strings = new Map(m.strings);
    for (const a of enc.atoms)
      for (const k of a.varKeys)
        if (m.bools.has(a.name)) {
          const list = this.readers.get(k) ?? [];
          list.push(a);
          this.readers.set(k, list);
        }
    this.spelled = variableSpellings(enc);
    for (const info of enc.keys.values()) this.infoByDisplay.set(info.display, info);
    this.pickContext();
  }

  /** The model's literals on a dimension (the atoms the formula or a lemma mentions). */
  private literals(d: Dim): Lit[] {
    const out: Lit[] = [];
    for (const a of d.atoms) {
      const v = this.m.bools.get(a.name);
      if (v !== undefined) out.push({ atom: a, value: v });
    }
    return out;
  }

  /** A variable's value as the request now has it (undefined: the key is absent). */
  private value(key: string): string | undefined | typeof UNKNOWN {
    if (isCallerKey(key) || key === 'kms:calleraccount') {
      const code = this.strings.get('principal');
      const p = code === undefined ? undefined : decodeCaller(code);
      if (!p) return undefined;
      const c = callerOf(p);
      if (isCallerKey(key)) return callerKeyValue(c, key);
      const info = this.enc.keys.get(key);
      return info && presenceValue(info.presence, this.m) ? callerAccount(c) : undefined;
    }
    const info = this.enc.keys.get(key);
    if (!info || !presenceValue(info.presence, this.m)) return undefined;
    if (info.multi) return UNKNOWN;
    return this.strings.get(`ctx:${key}`) ?? UNKNOWN;
  }

  /** The atom's truth on `s` with the variables' current values; undefined when it cannot tell. */
  private truth(a: Atom, s: string): boolean | undefined {
    if (!a.pattern) return safe(() => this.enc.matcher(a)(s));
    const values: Record<string, string | undefined> = {};
    for (const k of a.varKeys) {
      const v = this.value(k);
      if (v === UNKNOWN) return undefined;
      values[k] = v;
    }
    const memo = `${a.name}|${JSON.stringify(values)}`;
    let test = this.instantiated.get(memo);
    if (test === undefined) {
      const re = instantiate(a, (k) => values[k]);
      // No value for a variable without a default: the pattern matches nothing.
      if (re === undefined) test = () => false;
      else {
        try {
          test = compileMatcher(re);
        } catch {
          test = null;
        }
      }
      this.instantiated.set(memo, test);
    }
    return test === null ? undefined : safe(() => test(s));
  }

  /** Does `s` on dimension d give every literal of d its model value? */
  private fits(d: Dim, lits: Lit[], s: string): boolean {
    let base = baseMatchers.get(d);
    if (!base) {
      base = compileMatcher(d.base);
      baseMatchers.set(d, base);
    }
    if (!safe(() => base(s))) return false;
    return lits.every((l) => this.truth(l.atom, s) === l.value);
  }

  /**
   * Tries the candidates on dimension d in order; keeps the first that fits d and, when d holds the
   * value of a key variables read, keeps every reading literal's truth value (a bold picker leaves
   * the readers on the resource to the resource's own pick, and in its first pass those on other
   * context values to its second). Returns it (or undefined). In the first pass the solver's string
   * fits as it is; in the second it is checked again (a variable it reads may have a new value).
   */
  private pick(d: Dim, candidates: string[], pass: 1 | 2 = 1): string | undefined {
    const before = this.strings.get(d.name);
    if (before === undefined) return undefined;
    const lits = this.literals(d);
    if (lits.some((l) => l.atom.pattern && l.atom.varKeys.includes(d.key ?? ''))) return undefined;
    const readers = d.kind === 'string' && d.element === undefined ? (this.readers.get(d.key!) ?? []) : [];
    const deferred = (a: Atom) =>
      this.bold && (a.dim.kind === 'resource' || (pass === 1 && a.dim.kind === 'string'));
    for (const c of candidates) {
      if (c === before && pass === 1) return c;
      if (!this.fits(d, lits, c)) continue;
      this.strings.set(d.name, c);
      const ok = readers.every((a) => {
        if (deferred(a)) return true;
        const s = this.strings.get(a.dim.name);
        return s === undefined || this.truth(a, s) === this.m.bools.get(a.name);
      });
      if (ok) return c;
      this.strings.set(d.name, before);
    }
    return undefined;
  }

  private readonly chosen = new Map<string, string>();

  /**
   * Context values: every string and IP dimension re-picked among values of its key's type. A bold
   * picker makes a second pass: a value whose literals read a variable that got a new value in the
   * first (`aws:ResourceOrgID` equal to `${aws:PrincipalOrgID}`) is picked again to fit it.
   */
  private pickContext(): void {
    this.contextPass(1);
    if (this.bold) this.contextPass(2);
  }

  private contextPass(pass: 1 | 2): void {
    for (const [key, info] of this.enc.keys) {
      if (isCallerKey(key) || key === 'kms:calleraccount') continue;
      if (!presenceValue(info.presence, this.m)) continue;
      const proposals = valueCandidates(this.catalog, this.spelling(info));
      for (const slot of info.slots) {
        const d = slot.strDim ?? slot.ipDim;
        if (!d) continue;
        const current = this.strings.get(d.name);
        if (current === undefined) continue;
        if (pass === 2 && this.fits(d, this.literals(d), current)) continue;
        if (slot.strDim) {
          // What the positive literals name: an ARN pattern filled in, a pattern with variables
          // with their values (`${aws:PrincipalOrgID}` is the organization just picked for it).
          const fromPatterns = this.literals(d).flatMap((l) => {
            if (!l.value) return [];
            if (!l.atom.pattern)
              return l.atom.label.startsWith('arn:') ? resourcesForPattern(undefined, '', l.atom.label) : [];
            const text = this.withValues(l.atom);
            return text === undefined ? [] : [/[*?]/.test(text) ? fillPlain(text) : text];
          });
          const c = this.pick(d, [...proposals, ...fromPatterns, ...(pass === 2 ? [current] : [])], pass);
          if (c !== undefined) this.chosen.set(d.name, c);
        } else {
          const texts = [
            ...this.literals(d).flatMap((l) => {
              const a =
                l.value && l.atom.label.startsWith('in ') ? addressIn(l.atom.label.slice(3)) : undefined;
              return a === undefined ? [] : [a];
            }),
            ...proposals,
          ];
          const byCode = new Map<string, string>();
          for (const t of texts) {
            const ip = parseIp(t);
            if (ip) byCode.set(`${ip.v}:${ip.bits}`, t);
          }
          const c = this.pick(d, [...byCode.keys()], pass);
          if (c !== undefined) this.chosen.set(d.name, byCode.get(c)!);
        }
      }
    }
  }

  /** The key as the policy spells it (a variable's `${aws:PrincipalTag/Team}`), else as the catalog does. */
  private spelling(info: KeyInfo): string {
    if (info.display !== info.display.toLowerCase()) return info.display;
    return this.spelled.get(info.key) ?? keySpelling(this.catalog, info.display);
  }

  /** The resource for `action`: one of its resource types where the model's literals allow it. */
  private resource(action: string): string | undefined {
    const hit = this.resources.get(action);
    if (hit !== undefined) return hit;
    const d = this.enc.dims.get('resource')!;
    const patterns = this.literals(d).flatMap((l) => {
      if (!l.value) return [];
      if (!l.atom.pattern) return [l.atom.label];
      const text = this.withValues(l.atom);
      return text === undefined ? [] : [text];
    });
    const candidates = [
      ...resourceCandidates(this.catalog, action),
      ...patterns.flatMap((p) => resourcesForPattern(this.catalog, action, p)),
    ];
    const r = this.pick(d, candidates) ?? this.strings.get('resource');
    // The resource dimension is read by no variable: picking for one action leaves it for the next.
    const solver = this.m.strings.get('resource');
    if (solver !== undefined) this.strings.set('resource', solver);
    if (r !== undefined) this.resources.set(action, r);
    return r;
  }

  /** A variable-bearing pattern's text with the variables' current values in it (undefined: none). */
  private withValues(a: Atom): string | undefined {
    let text = '';
    for (const p of a.pattern!.pieces) {
      if (p.t === 'tokens') {
        for (const t of p.tokens) text += t.t === 'lit' ? t.s : t.t === 'star' ? '*' : '?';
        continue;
      }
      const v = this.value(p.key);
      if (v === UNKNOWN) return undefined;
      const value = v ?? p.dflt;
      if (value === undefined || /[*?$]/.test(value)) return undefined;
      text += value;
    }
    return text;
  }

  /** The solver's request for this model (decodeRequest), made realistic for its action. */
  request(plain: Request): Request {
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(plain.context)) {
      const info = this.infoByDisplay.get(k);
      if (!info) {
        context[k] = v;
        continue;
      }
      context[this.spelling(info)] = this.contextValue(info, v);
    }
    const out: Request = { ...plain, context };
    const resource = this.resource(plain.action);
    if (resource !== undefined) out.resource = resource;
    return out;
  }

  /** A key's value with the re-picked witnesses (the solver's where nothing was re-picked). */
  private contextValue(info: KeyInfo, plain: string | string[]): string | string[] {
    const slotValue = (slot: KeyInfo['slots'][number]): string | undefined => {
      if (slot.strDim) return this.chosen.get(slot.strDim.name) ?? this.m.strings.get(slot.strDim.name);
      if (slot.ipDim) return this.chosen.get(slot.ipDim.name);
      if (slot.num) return undefined;
      // No dimension: nothing tests the value (a Null condition, a key only present).
      return this.readers.has(info.key) ? undefined : valueCandidates(this.catalog, this.spelling(info))[0];
    };
    if (!info.multi) {
      if (typeof plain !== 'string') return plain;
      return slotValue(info.slots[0]!) ?? plain;
    }
    if (!Array.isArray(plain)) return plain;
    const used = info.slots.filter((s) => (s.used.k === 'var' ? this.m.bools.get(s.used.name) : false));
    const values = used.map(slotValue);
    if (values.some((v) => v === undefined) || values.length === 0) return plain;
    return [...new Set(values as string[])];
  }
}
