/**
 * The question each check asks, as a formula over the policies' `Allowed` formulas, and what the
 * solver's answer means: a solution (sat) is a request that breaks the property, so the check FAILs
 * and the solution is the counterexample; no solution (unsat) means the property holds for every
 * request, so it PASSes. The formulas mirror what src/checks/questions.ts asks Z3 (the SMT-LIB export
 * writes that exact question out; see src/checks/export.ts).
 */
import type { CheckRequest } from '../checks/types.ts';
import type { Located, Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { fencesOf, namedAccounts, outsiderKinds } from '../checks/outsider.ts';
import { publicReading, unsupportedTypeDetail } from '../checks/public-types.ts';
import { formatTerm, type FNode } from './notation.ts';
import { and, not, or, TRUE, type Term } from './terms.ts';

/** A policy a question refers to: its name in the formula and its document. */
interface QuestionPolicy {
  name: 'P' | 'Pold' | 'Pnew' | 'PA' | 'PB';
  /** the engine's document name: policy, existing, new, a, b */
  document: string;
  label: string;
}

export interface QuestionView {
  check: CheckRequest['check'];
  /** the property in one sentence */
  asks: string;
  policies: QuestionPolicy[];
  /** one formula, or two for ComparePolicies */
  formulas: { formula: FNode; sat: string; unsat: string }[];
  /** names used in the formulas (Outside := …) */
  definitions: FNode[];
  /** how the answers become the verdict */
  verdictRule: string;
}

export type QuestionResult =
  { ok: true; value: QuestionView } | { ok: false; error: { code: string; message: string } };

const NO_SPAN = { start: -1, end: -1 };
const located = (value: string): Located<string> => ({ value, span: NO_SPAN, path: [] });
/** The Principal element's names of the caller kinds an outsider may be, beyond principals of accounts. */
const KIND_NAMES: Record<string, string> = {
  anonymous: 'Anonymous',
  service: 'Service',
  'identity-provider': 'Federated',
};
const ref = (name: string): Term => ({ t: 'ref', name });

class Builder {
  private next = 0;
  node(role: FNode['role'], parts: (string | FNode)[], note?: string): FNode {
    const text = parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
    const n: FNode = { id: `q-${this.next++}`, role, text, parts, spans: [] };
    if (note) n.note = note;
    return n;
  }
  term(t: Term): FNode {
    return formatTerm(t, `q${this.next++}-`);
  }
}

function parsed(text: string): Policy | undefined {
  const r = parsePolicy(text);
  return r.ok ? r.policy : undefined;
}

const SAT_RULE = 'sat (a solution exists) → FAIL, and the solution is the counterexample; unsat → PASS.';

/** The question a check asks and what its answers mean. */
export function describeQuestion(req: CheckRequest): QuestionResult {
  const b = new Builder();
  switch (req.check) {
    case 'CheckNoNewAccess':
      return {
        ok: true,
        value: {
          check: req.check,
          asks: 'Does the new policy allow any request that the existing policy does not?',
          policies: [
            { name: 'Pold', document: 'existing', label: 'existing policy' },
            { name: 'Pnew', document: 'new', label: 'new policy' },
          ],
          formulas: [
            {
              formula: b.term(and([ref('Pnew'), not(ref('Pold'))])),
              sat: 'Z3 found a request that the new policy allows and the existing policy does not: the change grants new access, so the check FAILs, and that request is the counterexample.',
              unsat:
                'No request at all satisfies the formula: every request the new policy allows was already allowed by the existing policy. The check PASSes — for every possible request, not just the ones someone thought of.',
            },
          ],
          definitions: [],
          verdictRule: SAT_RULE,
        },
      };
    case 'CheckAccessNotGranted': {
      if (!req.access.length || req.access.some((a) => !a.actions?.length && !a.resources?.length))
        return {
          ok: false,
          error: { code: 'INVALID_ACCESS', message: 'List at least one critical action or resource.' },
        };
      const critical = or(
        req.access.map((a) =>
          and([
            a.actions?.length
              ? {
                  t: 'atom',
                  atom: {
                    a: 'match',
                    subject: { s: 'action' },
                    mode: 'action',
                    members: a.actions.map(located),
                    vars: false,
                  },
                }
              : TRUE,
            a.resources?.length
              ? {
                  t: 'atom',
                  atom: {
                    a: 'match',
                    subject: { s: 'resource' },
                    mode: 'arn',
                    members: a.resources.map(located),
                    vars: false,
                  },
                }
              : TRUE,
          ]),
        ),
      );
      return {
        ok: true,
        value: {
          check: req.check,
          asks: 'Does the policy allow any request for the listed (critical) access?',
          policies: [{ name: 'P', document: 'policy', label: 'policy' }],
          formulas: [
            {
              formula: b.term(and([ref('P'), critical])),
              sat: 'Z3 found a request for the listed access that the policy allows: the check FAILs, and the statements that allow that request are the ones to fix.',
              unsat:
                'No request for the listed access is allowed, whatever the principal, resource or context: the check PASSes.',
            },
          ],
          definitions: [],
          verdictRule: SAT_RULE,
        },
      };
    }
    case 'CheckNoPublicAccess':
    case 'NoAccessOutsideAccounts': {
      const publicMode = req.check === 'CheckNoPublicAccess';
      const policy = parsed(req.policyDocument);
      const reading = publicMode ? publicReading(req.resourceType) : undefined;
      if (publicMode && !reading)
        return {
          ok: false,
          error: { code: 'INVALID_RESOURCE_TYPE', message: `${unsupportedTypeDetail(req.resourceType)}.` },
        };
      const trusted = publicMode ? (policy ? namedAccounts(policy) : []) : req.trustedAccounts;
      const accounts = trusted.map((a) => JSON.stringify(a)).join(', ');
      const kinds = outsiderKinds(reading)
        .filter((k) => k === 'anonymous' || k === 'service' || k === 'identity-provider')
        .map((k) => KIND_NAMES[k]);
      const outsideParts: (string | FNode)[] = [`Outside := (Principal ∈ ${[...kinds, 'AWS'].join(' ∪ ')})`];
      if (trusted.length) outsideParts.push(` ∧ (Account(Principal) ∉ {${accounts}})`);
      if (reading?.outsiders.includes('service'))
        outsideParts.push(
          ` ∧ (Principal ∈ Service → present(aws:SourceAccount)${trusted.length ? ` ∧ aws:SourceAccount ∉ {${accounts}}` : ''})`,
        );
      if (trusted.length && reading?.outsiders.includes('identity-provider'))
        outsideParts.push(` ∧ (Principal ∉ SAML providers of {${accounts}})`);
      if (!publicMode && req.trustedOrgIds?.length)
        outsideParts.push(
          ` ∧ ¬(present(aws:PrincipalOrgID) ∧ aws:PrincipalOrgID ∈ {${req.trustedOrgIds.map((o) => JSON.stringify(o)).join(', ')}})`,
        );
      const outside = b.node(
        'definition',
        outsideParts,
        publicMode
          ? 'An outsider: the anonymous caller, or an AWS principal of an account the policy does not name'
          : 'An outsider: the anonymous caller, or an AWS principal of an account that is not trusted',
      );
      const parts: Term[] = [ref('P'), ref('Outside')];
      if (reading)
        parts.push({
          t: 'atom',
          atom: {
            a: 'match',
            subject: { s: 'action' },
            mode: 'action',
            members: reading.services.map((s) => located(`${s}:*`)),
            vars: false,
          },
        });
      if (publicMode && policy)
        for (const [key, values] of fencesOf([policy], reading)) {
          const shown =
            policy.statements.flatMap((s) => s.conditions).find((c) => c.key.toLowerCase() === key)?.key ??
            key;
          const test: Term =
            key === 'aws:sourceip'
              ? {
                  t: 'atom',
                  atom: { a: 'cidr', subject: { s: 'key', key: shown }, members: values.map(located) },
                }
              : {
                  t: 'atom',
                  atom: {
                    a: 'match',
                    subject: { s: 'key', key: shown },
                    mode: values.some((v) => /[*?]/.test(v)) ? 'glob' : 'eq',
                    members: values.map(located),
                    vars: false,
                  },
                };
          parts.push(not(and([{ t: 'atom', atom: { a: 'present', key: shown } }, test])));
        }
      return {
        ok: true,
        value: {
          check: req.check,
          asks: publicMode
            ? `Does the resource policy allow someone outside every account it names (anyone on the internet, or any other AWS account) to use the ${req.resourceType}?`
            : `Does the policy allow a caller outside the trusted accounts (${req.trustedAccounts.join(', ') || 'none'})?`,
          policies: [{ name: 'P', document: 'policy', label: 'policy' }],
          formulas: [
            {
              formula: b.term(and(parts)),
              sat: publicMode
                ? 'Z3 found a caller outside every named account whom the policy allows: the resource is public, the check FAILs, and the counterexample names the caller.'
                : 'Z3 found a caller outside the trusted accounts whom the policy allows: the check FAILs, and the counterexample names that caller.',
              unsat: publicMode
                ? 'Only principals of the accounts the policy names (or requests from the fixed networks and sources it requires) can be allowed: the check PASSes.'
                : 'Every caller the policy allows belongs to a trusted account: the check PASSes.',
            },
          ],
          definitions: [outside],
          verdictRule: SAT_RULE,
        },
      };
    }
    case 'ComparePolicies':
      return {
        ok: true,
        value: {
          check: req.check,
          asks: 'Which requests does one policy allow and the other not?',
          policies: [
            { name: 'PA', document: 'a', label: 'policy A (left)' },
            { name: 'PB', document: 'b', label: 'policy B (right)' },
          ],
          formulas: [
            {
              formula: b.term(and([ref('PA'), not(ref('PB'))])),
              sat: 'A request policy A allows and policy B does not.',
              unsat: 'Policy B allows everything policy A allows.',
            },
            {
              formula: b.term(and([ref('PB'), not(ref('PA'))])),
              sat: 'A request policy B allows and policy A does not.',
              unsat: 'Policy A allows everything policy B allows.',
            },
          ],
          definitions: [],
          verdictRule:
            'Both unsat → EQUIVALENT; only the first sat → MORE_PERMISSIVE (A allows more); only the second sat → LESS_PERMISSIVE; both sat → INCOMPARABLE.',
        },
      };
  }
}

/** Plain text of a question (CLI `formula --format math`). */
export function questionText(v: QuestionView): string {
  const lines = [`-- ${v.asks}`];
  for (const d of v.definitions) lines.push(d.text);
  v.formulas.forEach((f, i) => {
    lines.push(`Question${v.formulas.length > 1 ? ` ${i + 1}` : ''}: ${f.formula.text}`);
    lines.push(`  sat   -> ${f.sat}`, `  unsat -> ${f.unsat}`);
  });
  lines.push(`-- ${v.verdictRule}`);
  return lines.join('\n') + '\n';
}
