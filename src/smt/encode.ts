/**
 * Policy -> formula: each statement's Principal (NotPrincipal: the callers it does not exempt),
 * Action, Resource and Condition elements as formulas over the atoms of one query (atoms.ts; the
 * conditions: conditions.ts), and a policy as "some Allow matches and no Deny does".
 */
import type { Policy, Statement } from '../policy/model.ts';
import { principalName } from '../evaluate/caller.ts';
import { Vocabulary } from './atoms.ts';
import { namedRe, notPrincipalExemptRe, principalRe } from './caller.ts';
import { avoidsValues, condition } from './conditions.ts';
import { TRUE, fand, fnot, forr, type Formula } from './formula.ts';
import { globTokens, or as reOr, tokensToRe, type Re } from './regex.ts';

export interface PolicyEncoding {
  document: string;
  allowed: Formula;
  allows: { index: number; f: Formula }[];
  denies: { index: number; f: Formula }[];
}

/** Builds atoms and formulas for all policies of one query (they share dimensions and atoms). */
export class Encoder extends Vocabulary {
  policy(policy: Policy, document: string): PolicyEncoding {
    const allows: { index: number; f: Formula }[] = [];
    const denies: { index: number; f: Formula }[] = [];
    for (const st of policy.statements) {
      const f = this.statement(st, policy.variablesActive);
      (st.effect === 'Allow' ? allows : denies).push({ index: st.index, f });
    }
    const allowed = fand(forr(...allows.map((a) => a.f)), fnot(forr(...denies.map((d) => d.f))));
    return { document, allowed, allows, denies };
  }

  statement(st: Statement, vars: boolean): Formula {
    return fand(
      this.principalPart(st),
      this.actionPart(st),
      this.resourcePart(st, vars),
      ...st.conditions.map((c) => condition(this, c, vars, st.index)),
    );
  }

  actionRe(patterns: string[]): Re {
    return reOr(...patterns.map((p) => tokensToRe(globTokens(p.toLowerCase()))));
  }

  actionPart(st: Statement): Formula {
    const a = this.actionsAtom(st.action.patterns.map((p) => p.value));
    return st.action.negated ? fnot(a) : a;
  }

  /** The test `action ∈ patterns` (a statement's Action list, or the critical actions of a check). */
  actionsAtom(patterns: string[]): Formula {
    const f = this.atom(this.dims.get('action')!, this.actionRe(patterns), patterns.join(', '));
    if (f.k === 'var') {
      const a = this.atoms[Number(f.name.slice(1))]!;
      a.actionPatterns ??= [...new Set(patterns.map((p) => p.toLowerCase()))];
    }
    return f;
  }

  resourcesAtom(patterns: string[], vars = false): Formula {
    const d = this.dims.get('resource')!;
    return forr(...patterns.map((p) => this.patternAtom(d, p, 'arn', vars)));
  }

  resourcePart(st: Statement, vars: boolean): Formula {
    if (!st.resource) return TRUE;
    const f = this.resourcesAtom(
      st.resource.patterns.map((p) => p.value),
      vars,
    );
    return st.resource.negated ? fnot(f) : f;
  }

  /** conditions.ts `avoidsValues`: the request's values of a key avoid every pattern. */
  avoidsValues(keyText: string, patterns: string[]): Formula {
    return avoidsValues(this, keyText, patterns);
  }

  /** The callers one Principal value names (an account names all its principals). */
  principalValueRe(type: string, value: string): Re {
    return namedRe(principalName(type, value));
  }

  principalPart(st: Statement): Formula {
    if (!st.principal) return TRUE;
    const spec = st.principal.spec;
    const d = this.dims.get('principal')!;
    const labels =
      spec.kind === 'any'
        ? '*'
        : spec.entries.flatMap((e) => e.values.map((v) => `${e.type}:${v.value}`)).join(', ');
    // NotPrincipal applies to every caller it does not exempt (evaluate/caller.ts IDENTITY_CHAIN).
    if (st.principal.negated)
      return fnot(this.atom(d, notPrincipalExemptRe(spec), `exempt by NotPrincipal ${labels}`));
    return this.atom(d, principalRe(spec), labels);
  }
}
