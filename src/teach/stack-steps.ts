/**
 * The authorization stack walked step by step: one request through the IAM User Guide's "Policy
 * evaluation logic" flow chart, in its order — 1. an explicit Deny in any policy that applies,
 * 2. SCPs (each level must allow), 3. RCPs (each level holds RCPFullAWSAccess, only their Denies
 * matter), 4. the resource policy (and how it names the caller), 5. identity policies, 6. the
 * permissions boundary, 7. session policies — then the decision with the rule that decided it
 * (same account or across accounts; a KMS key policy or a role's trust policy must allow even in the
 * same account). Built from the stack evaluator's trace (evaluate/stack.ts), whose `decidedBy` names
 * the deciding gate; the steps only explain it. Every step carries the statements it points at.
 */
import { ACCOUNT_KINDS, callerAccount, callerOf, type Caller } from '../evaluate/caller.ts';
import type { Request } from '../evaluate/request.ts';
import type { Scenario } from '../evaluate/scenario.ts';
import {
  grantKind,
  layerLabel,
  needsResourcePolicy,
  statementLabel,
  type StackEvaluation,
  type StatementHit,
} from '../evaluate/stack.ts';

type LayerTrace = StackEvaluation['layers'][number];
type LayerName = LayerTrace['layer'];

export type StackStepOutcome = 'allow' | 'deny' | 'no-match' | 'not-applicable' | 'decides';
type StackPhase = 'deny' | LayerName | 'decision';

export interface StackStep {
  /** `deny`, `scp-0`, `rcp-1`, `resource`, `identity`, `boundary`, `session`, `decision` */
  id: string;
  phase: StackPhase;
  level?: number;
  title: string;
  detail: string;
  outcome: StackStepOutcome;
  /** this gate decided the request (the decision step names it too) */
  deciding: boolean;
  /** false: the flow chart had already decided before this step */
  reached: boolean;
  refs: StatementHit[];
}

export interface StackWalk {
  steps: StackStep[];
  /** index of the deciding gate's step (the decision step when no gate decided) */
  decidingIndex: number;
  /** which rule applied: same account, across accounts, or a caller that is no account's principal */
  rule: 'same-account' | 'cross-account' | 'no-account';
}

/** What the walk reads of the evaluation: the worker's StackVerdict has all but the last two. */
type StackTraceInput = Pick<StackEvaluation, 'decision' | 'decidedBy' | 'layers'> &
  Partial<Pick<StackEvaluation, 'resourceGrant' | 'caller'>>;

const OUTCOME_MARK: Record<StackStepOutcome, string> = {
  allow: '✓',
  deny: '✗',
  'no-match': '–',
  'not-applicable': '·',
  decides: '■',
};
export const outcomeMark = (o: StackStepOutcome): string => OUTCOME_MARK[o];

export const OUTCOME_TEXT: Record<StackStepOutcome, string> = {
  allow: 'allows',
  deny: 'denies',
  'no-match': 'no match',
  'not-applicable': 'does not apply',
  decides: 'decides',
};

const refText = statementLabel;
const refsText = (hs: StatementHit[]): string => hs.map(refText).join(', ');

const levelName = (i: number, count: number): string =>
  i === 0 ? 'organization root' : i === count - 1 ? 'account' : `OU ${i}`;

function gateOutcome(l: LayerTrace | undefined): StackStepOutcome {
  if (!l || !l.applies) return 'not-applicable';
  return l.decision === 'Allow' ? 'allow' : l.decision === 'Deny' ? 'deny' : 'no-match';
}

function safeCaller(s: Scenario, request: Request, ev: StackTraceInput): Caller | undefined {
  if (ev.caller) return ev.caller;
  const p = request.principal ?? s.caller;
  if (!p) return undefined;
  try {
    return callerOf(p);
  } catch {
    return undefined;
  }
}

function grantOf(s: Scenario, c: Caller | undefined, ev: StackTraceInput): StackEvaluation['resourceGrant'] {
  if (ev.resourceGrant) return ev.resourceGrant;
  const r = ev.layers.find((l) => l.layer === 'resource');
  if (!s.resource || !c || !r || !r.allowedBy.length || r.deniedBy.length) return 'none';
  const kinds = r.allowedBy.map((h) => {
    const st = s.resource!.policy.statements.find((x) => x.index === h.statementIndex);
    return st ? grantKind(st, c) : 'account';
  });
  return kinds.includes('direct') ? 'direct' : kinds.includes('role') ? 'role' : 'account';
}

/** The flow chart's steps for one request of a scenario, with the deciding one marked. */
export function stackSteps(s: Scenario, request: Request, ev: StackTraceInput): StackWalk {
  const c = safeCaller(s, request, ev);
  const accountCaller = c !== undefined && ACCOUNT_KINDS.includes(c.kind);
  const account = c ? callerAccount(c) : undefined;
  const inCallerAccount = accountCaller && account === s.callerAccount;
  const sameAccount = accountCaller && account === s.resourceAccount;
  const rule: StackWalk['rule'] = !accountCaller
    ? 'no-account'
    : sameAccount
      ? 'same-account'
      : 'cross-account';
  const identityAllowsAll = accountCaller && (c.kind === 'root' || !inCallerAccount);
  const mustResource = needsResourcePolicy(request.action);
  const resourceWord = request.action.toLowerCase().startsWith('kms:') ? 'key policy' : 'trust policy';
  const grant = grantOf(s, c, ev);
  const explicit = ev.decision === 'ExplicitlyDenied';
  const by = ev.decidedBy;
  const isDecider = (layer: LayerName, level?: number): boolean =>
    !explicit && by.layer === layer && by.level === level;

  const steps: StackStep[] = [];
  const push = (st: Omit<StackStep, 'reached'>): void => {
    steps.push({ ...st, reached: true });
  };

  // 1. Explicit deny anywhere.
  const applying = ev.layers.filter((l) => l.applies);
  const denying = applying.filter((l) => l.deniedBy.length > 0);
  const denies = denying.flatMap((l) => l.deniedBy);
  push({
    id: 'deny',
    phase: 'deny',
    title: '1. Is there an explicit Deny?',
    detail: denying.length
      ? `A Deny statement matches in the ${denying.map(layerLabel).join(' and the ')}: ${refsText(denies)}. An explicit Deny wins over every Allow, so the request is denied here.`
      : `IAM first looks for a matching Deny in every policy that applies (${
          applying.length
            ? [...new Set(applying.map((l) => layerLabel({ layer: l.layer })))].join(', ')
            : 'none applies'
        }). None matches, so evaluation goes on.`,
    outcome: denying.length ? 'deny' : 'no-match',
    deciding: explicit,
    refs: denies,
  });

  // 2. SCPs, 3. RCPs: level by level.
  const org = (kind: 'scp' | 'rcp', n: string, levels: Scenario['scps']): void => {
    const traces = ev.layers.filter((l) => l.layer === kind);
    const what = kind === 'scp' ? 'Service control policies (SCPs)' : 'Resource control policies (RCPs)';
    if (!levels || traces.length === 0) {
      push({
        id: kind,
        phase: kind,
        title: `${n}. ${what}`,
        detail: `No ${kind.toUpperCase()}s: ${
          levels
            ? 'the organization has no levels'
            : `the ${kind === 'scp' ? 'caller' : 'resource'} account is in no organization`
        }, so this step does not apply.`,
        outcome: 'not-applicable',
        deciding: false,
        refs: [],
      });
      return;
    }
    for (const l of traces) {
      const level = l.level ?? 0;
      const outcome = gateOutcome(l);
      const where = `level ${level} (${levelName(level, traces.length)})`;
      let detail: string;
      let refs: StatementHit[] = [];
      if (!l.applies) detail = `${kind.toUpperCase()}s do not apply here: ${l.why}.`;
      else if (l.decision === 'Deny') {
        detail = `A Deny at this level matches (${refsText(l.deniedBy)}): the explicit Deny of step 1.`;
        refs = l.deniedBy;
      } else if (kind === 'scp') {
        refs = l.allowedBy;
        detail =
          l.decision === 'Allow'
            ? `A statement at this level allows the action (${refsText(l.allowedBy)}). Every level from the root down to the account must allow; this one does.`
            : 'No statement at this level allows the action. Every level of SCPs must allow, so the request is implicitly denied: whatever the identity or resource policies grant, an SCP sets the most the account may do.';
      } else {
        refs = l.allowedBy;
        detail = `${l.why[0]?.toUpperCase() ?? ''}${l.why.slice(1)}. Every level holds AWS's RCPFullAWSAccess implicitly, so an RCP only ever denies; no Deny matched, so this level lets the request through.`;
      }
      push({
        id: `${kind}-${level}`,
        phase: kind,
        level,
        title: `${n}. ${kind.toUpperCase()}s · ${where}`,
        detail,
        // An RCP level that applies and does not deny allows (RCPFullAWSAccess).
        outcome: kind === 'rcp' && outcome === 'no-match' ? 'allow' : outcome,
        deciding: isDecider(kind, l.level),
        refs,
      });
    }
  };
  org('scp', '2', s.scps);
  org('rcp', '3', s.rcps);

  // 4. Resource policy.
  const res = ev.layers.find((l) => l.layer === 'resource');
  {
    let detail: string;
    let refs: StatementHit[] = [];
    if (!s.resource)
      detail =
        rule === 'same-account'
          ? mustResource
            ? `The resource has no policy, but a ${resourceWord} must allow this action even in the same account.`
            : 'The resource has no policy; in the same account the identity policies may allow alone.'
          : rule === 'cross-account'
            ? 'The resource has no policy. Across accounts the resource policy must allow the request too.'
            : 'The resource has no policy, and a caller that is no principal of an account can only be allowed by one.';
    else if (res?.decision === 'Deny') {
      refs = res.deniedBy;
      detail = `A Deny in the resource policy matches (${refsText(res.deniedBy)}): the explicit Deny of step 1.`;
    } else if (res?.decision === 'Allow') {
      refs = res.allowedBy;
      const how =
        grant === 'direct'
          ? 'Its Principal names the caller itself (or everyone): in the same account that grant is enough by itself.'
          : grant === 'role'
            ? "Its Principal names the caller's role ARN: in the same account the grant still passes through the role session's boundary and session policies."
            : "Its Principal names the caller's account only: that delegates the decision to the account's identity policies.";
      detail = `The resource policy allows the request (${refsText(res.allowedBy)}). ${
        rule === 'same-account' ? how : 'Across accounts this is one of the two sides that must allow.'
      }`;
    } else
      detail = `No statement of the resource policy allows the request.${
        rule === 'cross-account'
          ? ' Across accounts it must.'
          : mustResource && rule === 'same-account'
            ? ` A ${resourceWord} must allow even in the same account.`
            : ''
      }`;
    push({
      id: 'resource',
      phase: 'resource',
      title: '4. Resource-based policy',
      detail,
      outcome: gateOutcome(res),
      deciding: isDecider('resource'),
      refs,
    });
  }

  // 5–7. Identity policies, permissions boundary, session policies.
  const idl = ev.layers.find((l) => l.layer === 'identity');
  {
    let detail: string;
    let outcome = gateOutcome(idl);
    let refs: StatementHit[] = [];
    if (identityAllowsAll) {
      outcome = 'allow';
      detail =
        c?.kind === 'root'
          ? 'The caller is the root user: its identity side allows everything in its account.'
          : "The caller is in another account: its identity policies are not in the scenario, so they are taken to allow (the adversary's view).";
    } else if (!idl?.applies)
      detail = `Identity policies do not apply: ${idl?.why ?? 'the caller has none'}.`;
    else if (idl.decision === 'Deny') {
      refs = idl.deniedBy;
      detail = `A Deny in the identity policies matches (${refsText(idl.deniedBy)}): the explicit Deny of step 1.`;
    } else if (idl.decision === 'Allow') {
      refs = idl.allowedBy;
      detail = `An identity policy allows the request (${refsText(idl.allowedBy)}).${
        grant === 'direct' && rule === 'same-account' ? ' (The resource policy had already allowed it.)' : ''
      }`;
    } else detail = 'No identity policy allows the request.';
    push({
      id: 'identity',
      phase: 'identity',
      title: '5. Identity-based policies',
      detail,
      outcome,
      deciding: isDecider('identity'),
      refs,
    });
  }
  const limit = (layer: 'boundary' | 'session', n: string, title: string, what: string): void => {
    const l = ev.layers.find((x) => x.layer === layer);
    let detail: string;
    let refs: StatementHit[] = [];
    if (!l?.applies) detail = `${title} does not apply: ${l?.why ?? `no ${what}`}.`;
    else if (l.decision === 'Deny') {
      refs = l.deniedBy;
      detail = `A Deny in the ${what} matches (${refsText(l.deniedBy)}): the explicit Deny of step 1.`;
    } else if (l.decision === 'Allow') {
      refs = l.allowedBy;
      detail = `The ${what} allow the action (${refsText(l.allowedBy)}), so they do not limit the grant.`;
    } else
      detail = `The ${what} do not allow the action. They grant nothing by themselves and only limit: an identity policy's Allow${
        grant === 'role' ? " (or a resource policy's grant to the role)" : ''
      } counts only within them.`;
    push({
      id: layer,
      phase: layer,
      title: `${n}. ${title}`,
      detail,
      outcome: gateOutcome(l),
      deciding: isDecider(layer),
      refs,
    });
  };
  limit('boundary', '6', 'Permissions boundary', 'permissions boundary');
  limit('session', '7', 'Session policies', 'session policies');

  // The decision.
  const ruleText =
    rule === 'same-account'
      ? `Same account (caller and resource in ${s.resourceAccount}): the resource policy or the identity policies may allow, within the boundary and session policies.${
          mustResource ? ` But a ${resourceWord} must allow ${request.action} even in the same account.` : ''
        }`
      : rule === 'cross-account'
        ? `Across accounts (caller in ${account ?? 'another account'}, resource in ${s.resourceAccount}): the caller's identity side and the resource policy must both allow.`
        : 'The caller is no principal of an account (a service or anonymous): only the resource policy can allow.';
  const decider =
    explicit || by.layer === 'none'
      ? undefined
      : ev.layers.find((l) => l.layer === by.layer && l.level === by.level);
  const decidingRefs = explicit ? denies : ev.decision === 'Allowed' && decider ? decider.allowedBy : [];
  const DECISION_TITLE: Record<StackEvaluation['decision'], string> = {
    Allowed: 'Decision: Allowed',
    ExplicitlyDenied: 'Decision: explicitly denied',
    ImplicitlyDenied: 'Decision: implicitly denied',
  };
  push({
    id: 'decision',
    phase: 'decision',
    title: `${DECISION_TITLE[ev.decision]}${
      explicit
        ? ' by a Deny'
        : by.layer === 'none'
          ? ''
          : ` by the ${layerLabel({ layer: by.layer, level: by.level })}`
    }`,
    detail: `${by.why[0]?.toUpperCase() ?? ''}${by.why.slice(1)}. ${explicit ? 'An explicit Deny in any policy that applies decides before every other rule.' : ruleText}`,
    outcome: 'decides',
    deciding: false,
    refs: decidingRefs,
  });

  let decidingIndex = steps.findIndex((x) => x.deciding);
  if (decidingIndex < 0) decidingIndex = steps.length - 1;
  // The flow chart stops at an explicit Deny, at an SCP level without Allow, and (same account) at a
  // resource policy that grants the caller itself: the steps after it are not reached.
  const stops =
    explicit ||
    (ev.decision === 'ImplicitlyDenied' && by.layer === 'scp') ||
    (ev.decision === 'Allowed' && rule === 'same-account' && grant === 'direct' && by.layer === 'resource');
  if (stops) for (let i = decidingIndex + 1; i < steps.length - 1; i++) steps[i]!.reached = false;
  return { steps, decidingIndex, rule };
}
