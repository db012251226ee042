/**
 * The command table of the offline Access Analyzer replacement: the commands, their flags (named as in
 * `aws accessanalyzer ...`) with kinds, defaults and help text, and the two spellings of a flag name
 * (`--kebab-case` on the command line, camelCase in `batch` lines). Data only.
 */
import { PUBLIC_RESOURCE_TYPES } from '../checks/public-types.ts';
import { VALIDATE_POLICY_TYPES, VALIDATE_RESOURCE_TYPES } from '../policy/validate.ts';

type FlagKind =
  /** free text */
  | 'string'
  /** a policy document: `file://path`, a path to an existing file, or inline JSON (resolved later) */
  | 'document'
  /** a JSON value given the same three ways as a document (parsed later) */
  | 'json'
  /** a scenario (the whole authorization stack, evaluate/scenario.ts): a document's three ways, or `-` for stdin */
  | 'scenario'
  /** comma-separated values; the flag may also be repeated */
  | 'list'
  /** `--flag`, `--flag=true|false`, `--no-flag` */
  | 'boolean'
  /** a non-negative integer */
  | 'number'
  /** one of `values` (case-insensitive, normalised to the spelling in `values`) */
  | 'enum';

export interface FlagSpec {
  /** kebab-case, without the leading `--` */
  name: string;
  kind: FlagKind;
  required?: boolean;
  values?: readonly string[];
  default?: string | boolean | number;
  description: string;
  /**
   * The form of the command the flag belongs to: a command that also runs on scenarios takes either
   * its policy flags or its scenario flags (`required` then means required in that form). Flags
   * without a form are shared by both.
   */
  form?: CommandForm;
}

export type CommandForm = 'policy' | 'scenario';

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  flags: FlagSpec[];
  examples: string[];
}

const POLICY_TYPES = ['IDENTITY_POLICY', 'RESOURCE_POLICY'] as const;
const FORMULA_FORMATS = ['math', 'smtlib'] as const;
const EVALUATE_FORMATS = ['json', 'text'] as const;
const TEST_FORMATS = ['text', 'json', 'junit'] as const;
/** The checks `formula --check` knows, with the command whose flags each takes. */
export const FORMULA_CHECK_COMMANDS = {
  CheckNoNewAccess: 'check-no-new-access',
  CheckAccessNotGranted: 'check-access-not-granted',
  CheckNoPublicAccess: 'check-no-public-access',
  NoAccessOutsideAccounts: 'check-no-access-outside',
  ComparePolicies: 'compare-policies',
} as const;
const FORMULA_CHECKS = Object.keys(FORMULA_CHECK_COMMANDS) as (keyof typeof FORMULA_CHECK_COMMANDS)[];
const DEFAULT_TIMEOUT_MS = 10_000;

/** Flags every command accepts. */
export const COMMON_FLAGS: FlagSpec[] = [
  {
    name: 'timeout-ms',
    kind: 'number',
    default: DEFAULT_TIMEOUT_MS,
    description: 'Solver budget for the whole check, in milliseconds.',
  },
];

const policyTypeFlag = (required: boolean, values: readonly string[] = POLICY_TYPES): FlagSpec => ({
  name: 'policy-type',
  kind: 'enum',
  values,
  required,
  ...(required ? {} : { default: 'IDENTITY_POLICY' }),
  description: `Type of the policy: ${values.join(' | ')}.`,
});

const DOC_HELP = 'file://path, a path to an existing file, or inline JSON';
const SCENARIO_HELP = 'file://path, a path, inline JSON, or - for stdin';

/** A flag of the policy form of a command that also runs on scenarios. */
const policyForm = (f: FlagSpec): FlagSpec => ({ ...f, form: 'policy' });
/** `--policy-document` of a command that also runs on scenarios. */
const policyDocumentFlag = (what: string, required = true): FlagSpec =>
  policyForm({ name: 'policy-document', kind: 'document', required, description: `${what} (${DOC_HELP}).` });
/** `--existing-policy-document` and `--new-policy-document`: a pair of policies. */
const policyPairFlags = (required = true): FlagSpec[] =>
  (['existing', 'new'] as const).map((which) =>
    policyForm({
      name: `${which}-policy-document`,
      kind: 'document',
      required,
      description: `${which === 'new' ? 'New' : 'Existing'} policy (${DOC_HELP}).`,
    }),
  );
const scenarioFlag = (name: string, what: string): FlagSpec => ({
  name,
  kind: 'scenario',
  required: true,
  form: 'scenario',
  description: `${what} (${SCENARIO_HELP}).`,
});

/** The service-aware reading as the verdict (checks/service-aware.ts); single-policy checks only. */
const serviceAwareFlag: FlagSpec = {
  name: 'service-aware',
  kind: 'boolean',
  form: 'policy',
  description:
    "Answer as AWS authorizes requests: an action only on resources of its own types, with only the condition keys it carries (the service reference). The verdict, message and counterexamples are that reading's; Access Analyzer's are kept under accessAnalyzer, and its requests AWS would never authorize are marked (impossible). A service-aware PASS depends on the catalog being complete and current.",
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check-no-new-access',
    summary: 'Does the new policy (or scenario) grant any access the existing one does not?',
    description:
      "PASS when every request the new policy allows is also allowed by the existing policy. FAIL comes with concrete counterexample requests and, with --exact-new-access (the default), the exact list of newly allowed actions.\nWith --existing-scenario and --new-scenario: the same question of two whole authorization stacks; each counterexample carries both stacks' traces (stack, existingStack: every layer's decision and the deciding layer).",
    flags: [
      serviceAwareFlag,
      ...policyPairFlags(),
      policyForm(policyTypeFlag(true)),
      scenarioFlag('existing-scenario', 'Existing scenario'),
      scenarioFlag('new-scenario', 'New scenario'),
      {
        name: 'exact-new-access',
        kind: 'boolean',
        default: true,
        description:
          'Also compute the exact list of newly granted actions (--no-exact-new-access: stop at the first counterexample).',
      },
    ],
    examples: [
      'check-no-new-access --existing-policy-document file://old.json --new-policy-document file://new.json --policy-type IDENTITY_POLICY',
      'check-no-new-access --existing-scenario file://before.json --new-scenario file://after.json',
    ],
  },
  {
    name: 'check-access-not-granted',
    summary: 'Does the policy (or scenario) grant none of the listed actions / resources?',
    description:
      'PASS when no request for the listed access is allowed. --access is a JSON list of {"actions": [...], "resources": [...]} (either part may be left out).\nWith --scenario: allowed by the whole authorization stack; each counterexample carries its trace (stack).',
    flags: [
      serviceAwareFlag,
      policyDocumentFlag('The policy'),
      scenarioFlag('scenario', 'The scenario'),
      {
        name: 'access',
        kind: 'json',
        required: true,
        description: `JSON list such as '[{"actions":["s3:DeleteBucket"]}]' (${DOC_HELP}).`,
      },
      policyForm(policyTypeFlag(true)),
    ],
    examples: [
      `check-access-not-granted --policy-document file://policy.json --access '[{"actions":["s3:DeleteBucket"]}]' --policy-type IDENTITY_POLICY`,
      `check-access-not-granted --scenario file://scenario.json --access '[{"actions":["iam:CreateUser"]}]'`,
    ],
  },
  {
    name: 'check-no-public-access',
    summary: 'Does the resource policy (or scenario) keep the resource from being public?',
    description:
      'PASS when no caller outside every account the policy names is allowed: anonymous callers, principals of other accounts, AWS services acting for other accounts (unless a fixed aws:SourceArn, aws:SourceAccount, ... fences them) and, in a role trust policy, identity providers. Each resource type counts its own services\' actions and fencing keys (docs/semantics-decisions.md, "Public access, per resource type").\nWith --scenario: by the whole authorization stack (resource policy, RCPs); outside callers are those of no account the scenario names.',
    flags: [
      serviceAwareFlag,
      policyDocumentFlag('The resource policy'),
      scenarioFlag('scenario', 'The scenario'),
      {
        name: 'resource-type',
        kind: 'string',
        required: true,
        description: `Resource type, by Access Analyzer's name: one of ${PUBLIC_RESOURCE_TYPES.join(', ')}.`,
      },
    ],
    examples: [
      'check-no-public-access --policy-document file://bucket-policy.json --resource-type AWS::S3::Bucket',
      'check-no-public-access --scenario file://scenario.json --resource-type AWS::S3::Bucket',
    ],
  },
  {
    name: 'check-no-access-outside',
    summary: 'Is access limited to the trusted accounts (and organizations)?',
    description:
      'PASS when every allowed caller belongs to one of the trusted accounts or trusted organizations. Lists are comma-separated; the flags may be repeated.\nWith --scenario: access the whole authorization stack allows (resource policy, RCPs, the identity side).',
    flags: [
      serviceAwareFlag,
      policyDocumentFlag('The policy'),
      scenarioFlag('scenario', 'The scenario'),
      {
        name: 'trusted-accounts',
        kind: 'list',
        required: true,
        description: '12-digit account ids, comma-separated.',
      },
      {
        name: 'trusted-org',
        kind: 'list',
        description: 'Trusted organization ids (o-...), comma-separated.',
      },
      policyForm({ ...policyTypeFlag(false), default: 'RESOURCE_POLICY' }),
    ],
    examples: [
      'check-no-access-outside --policy-document file://bucket-policy.json --trusted-accounts 123456789012 --trusted-org o-a1b2c3d4e5',
      'check-no-access-outside --scenario file://scenario.json --trusted-accounts 111122223333',
    ],
  },
  {
    name: 'compare-policies',
    summary: 'Is policy A equivalent to, more or less permissive than policy B?',
    description:
      'EQUIVALENT (exit 0), MORE_PERMISSIVE / LESS_PERMISSIVE / INCOMPARABLE (exit 1, A relative to B) or UNKNOWN (exit 3), with the requests allowed by one policy and not the other.',
    flags: [
      { name: 'policy-a', kind: 'document', required: true, description: `Policy A (${DOC_HELP}).` },
      { name: 'policy-b', kind: 'document', required: true, description: `Policy B (${DOC_HELP}).` },
      policyTypeFlag(false),
    ],
    examples: ['compare-policies --policy-a file://a.json --policy-b file://b.json'],
  },
  {
    name: 'compare-scenarios',
    summary: 'What does changing scenario A into scenario B open, and what does it break?',
    description:
      'EQUIVALENT (exit 0), MORE_PERMISSIVE / LESS_PERMISSIVE / INCOMPARABLE (exit 1, A relative to B) or UNKNOWN (exit 3) for two whole authorization stacks, with both exact lists: "opens" (actions B allows and A does not: bNotA) and "breaks" (actions A allows and B does not: aNotB), each counterexample with its stack trace.',
    flags: [
      {
        name: 'scenario-a',
        kind: 'scenario',
        required: true,
        description: `Scenario A, before (${SCENARIO_HELP}).`,
      },
      {
        name: 'scenario-b',
        kind: 'scenario',
        required: true,
        description: `Scenario B, after (${SCENARIO_HELP}).`,
      },
    ],
    examples: ['compare-scenarios --scenario-a file://before.json --scenario-b file://after.json'],
  },
  {
    name: 'validate-policy',
    summary: 'Grammar and best-practice findings (Access Analyzer ValidatePolicy shape).',
    description:
      'Prints {"findings": [...]}, each with findingType, issueCode, findingDetails, learnMoreLink and locations. Policy types: identity, resource, service control (SCP) and resource control (RCP) policies, each with its own rules; findings from the Service Authorization Reference (ARN formats, condition keys per action, actions and resources that cannot meet). Exit 1 when any finding is an ERROR, 0 otherwise.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      policyTypeFlag(false, VALIDATE_POLICY_TYPES),
      {
        name: 'validate-policy-resource-type',
        kind: 'enum',
        values: VALIDATE_RESOURCE_TYPES,
        description: `With --policy-type RESOURCE_POLICY: the resource the policy is attached to, whose own rules then apply (its actions and ARNs; a role trust policy's). Other resources: leave it out (${VALIDATE_RESOURCE_TYPES.join(' | ')}).`,
      },
    ],
    examples: [
      'validate-policy --policy-document file://policy.json --policy-type RESOURCE_POLICY',
      'validate-policy --policy-document file://bucket-policy.json --policy-type RESOURCE_POLICY --validate-policy-resource-type AWS::S3::Bucket',
      'validate-policy --policy-document file://rcp.json --policy-type RESOURCE_CONTROL_POLICY',
    ],
  },
  {
    name: 'evaluate',
    summary: 'Decide one request against a policy or scenario (Allow / explicit / implicit Deny).',
    description:
      'The request is JSON: {"principal": ARN | account id | "anonymous" | {"Service": "..."}, "action": "s3:GetObject", "resource": "arn:...", "context": {"aws:SourceIp": "10.0.0.1", "aws:TagKeys": ["a", "b"]}}. Exit 0 whatever the decision.\nWith --scenario: the whole authorization stack decides; the output adds each layer\'s decision (layers) and the layer that decided with its statements (decidedBy). The principal defaults to the scenario\'s caller.\n--format text prints the decision and the trace for people (in batch: a "text" field).',
    flags: [
      policyDocumentFlag('The policy'),
      scenarioFlag('scenario', 'The scenario'),
      { name: 'request', kind: 'json', required: true, description: `The request (${DOC_HELP}).` },
      {
        name: 'format',
        kind: 'enum',
        values: EVALUATE_FORMATS,
        default: 'json',
        description: 'json | text (the decision and its trace for people).',
      },
    ],
    examples: [
      `evaluate --policy-document file://policy.json --request '{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{}}'`,
      `evaluate --scenario file://scenario.json --request '{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}' --format text`,
    ],
  },
  {
    name: 'test',
    summary: 'Run policy tests (never / sometimes / always allowed, one decision) on a policy or scenario.',
    description: [
      'Runs a test file {"tests": [...]} (README, "Policy tests") on a policy (--policy-document), a pair',
      '(--existing-policy-document and --new-policy-document: documents "existing" and "new"; a test',
      'picks one with "document", "new" when absent) or a scenario (--scenario: its caller).',
      'never-allowed / sometimes-allowed / always-allowed hold for every request of the description,',
      'through the solver; Allowed / ExplicitlyDenied / ImplicitlyDenied / denied decide one request.',
      "--format text (default): one line per test, with a failing test's request and who decided, and a",
      'summary; json: {ok, results, summary}; junit: JUnit XML for CI (UNKNOWN as <skipped>).',
      'Exit status: 0 every test passes, 1 one fails, 3 none fails but one is UNKNOWN, 2 bad input (the',
      'file, a document, or a test that cannot run as written: status error), 4 internal error.',
    ].join('\n'),
    flags: [
      policyDocumentFlag('The policy', false),
      ...policyPairFlags(false),
      policyForm(policyTypeFlag(false)),
      scenarioFlag('scenario', 'The scenario'),
      {
        name: 'tests',
        kind: 'json',
        required: true,
        description: `The test file {"tests": [...]} (${DOC_HELP}).`,
      },
      {
        name: 'format',
        kind: 'enum',
        values: TEST_FORMATS,
        default: 'text',
        description: 'text (one line per test and a summary) | json | junit (JUnit XML).',
      },
      { ...COMMON_FLAGS[0]!, description: 'Solver budget of each test, in milliseconds.' },
    ],
    examples: [
      'test --policy-document file://policy.json --tests file://tests.json',
      'test --existing-policy-document file://old.json --new-policy-document file://new.json --tests file://tests.json --format junit > report.xml',
      'test --scenario file://scenario.json --tests file://tests.json --format json',
    ],
  },
  {
    name: 'recommend',
    summary: 'Suggest a tightened policy from unused-permission findings.',
    description:
      'Reads unused-permission findings ([{"serviceNamespace": "s3", "actions": ["GetObject"]}] or an Access Analyzer finding with findingDetails[].unusedPermissionDetails) and prints the recommended step (CREATE_POLICY with the recommended policy, or DETACH_POLICY) with the refinements it made.',
    flags: [
      { name: 'policy-document', kind: 'document', required: true, description: `The policy (${DOC_HELP}).` },
      {
        name: 'unused-permissions',
        kind: 'json',
        required: true,
        description: `Unused-permission findings (${DOC_HELP}).`,
      },
      {
        name: 'verify',
        kind: 'boolean',
        default: false,
        description:
          'Prove the recommendation with the solver (grants no unused action, no new access, keeps every used catalog action); exit 1 if a proof fails, 3 if UNKNOWN.',
      },
    ],
    examples: ['recommend --policy-document file://policy.json --unused-permissions file://unused.json'],
  },
  {
    name: 'formula',
    summary: 'Show a policy as a formula, or the question a check asks (teaching view).',
    description: [
      'Without --check: the policy (--policy-document) as readable math, statement by statement:',
      'S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET"), then',
      'Allowed := (S0 ∨ …) ∧ ¬(D1 ∨ …).',
      "With --check and that check's flags: the policies' formulas and the question the check asks",
      '(CheckNoNewAccess: Pnew ∧ ¬Pold), with what sat and unsat mean.',
      '--format smtlib (needs --check) prints a standalone SMT-LIB2 script of the question for any Z3:',
      'sat = FAIL, unsat = PASS. The output is text; in batch it is the "text" field.',
    ].join('\n'),
    flags: [
      {
        name: 'policy-document',
        kind: 'document',
        description: `The policy (${DOC_HELP}); for CheckNoNewAccess use the two flags below.`,
      },
      {
        name: 'check',
        kind: 'enum',
        values: FORMULA_CHECKS,
        description: `The check whose question to show: ${FORMULA_CHECKS.join(' | ')}.`,
      },
      {
        name: 'existing-policy-document',
        kind: 'document',
        description: `CheckNoNewAccess: the existing policy (${DOC_HELP}).`,
      },
      {
        name: 'new-policy-document',
        kind: 'document',
        description: `CheckNoNewAccess: the new policy (${DOC_HELP}).`,
      },
      { name: 'policy-a', kind: 'document', description: 'ComparePolicies: policy A.' },
      { name: 'policy-b', kind: 'document', description: 'ComparePolicies: policy B.' },
      {
        name: 'access',
        kind: 'json',
        description: `CheckAccessNotGranted: JSON list such as '[{"actions":["s3:DeleteBucket"]}]'.`,
      },
      {
        name: 'resource-type',
        kind: 'string',
        description:
          "CheckNoPublicAccess: resource type, by Access Analyzer's name (check-no-public-access --help lists the 26).",
      },
      {
        name: 'trusted-accounts',
        kind: 'list',
        description: 'NoAccessOutsideAccounts: 12-digit account ids, comma-separated.',
      },
      {
        name: 'trusted-org',
        kind: 'list',
        description: 'NoAccessOutsideAccounts: trusted organization ids (o-...).',
      },
      {
        name: 'policy-type',
        kind: 'enum',
        values: POLICY_TYPES,
        description: `Type of the policy: ${POLICY_TYPES.join(' | ')} (as the check's own command).`,
      },
      {
        name: 'format',
        kind: 'enum',
        values: FORMULA_FORMATS,
        default: 'math',
        description: 'math (readable formula) | smtlib (SMT-LIB2 script of the question).',
      },
    ],
    examples: [
      'formula --policy-document file://policy.json',
      `formula --check CheckAccessNotGranted --policy-document file://policy.json --access '[{"actions":["s3:DeleteBucket"]}]' --policy-type IDENTITY_POLICY`,
      'formula --check CheckNoNewAccess --existing-policy-document file://old.json --new-policy-document file://new.json --format smtlib > question.smt2',
    ],
  },
  {
    name: 'batch',
    summary: 'Run many commands from JSON lines on stdin, one JSON line out per line in.',
    description: [
      'Each input line is {"command": "<command>", "args": {<flags in camelCase>}, "id"?: any}.',
      'Document, scenario and JSON arguments may be given as JSON values directly (a scenario also as',
      'its text; - is refused: stdin holds the lines). Each output line is the',
      'command\'s JSON output plus "line", "command", "exitCode", "elapsedMs" (and "id" when given).',
      'A bad line yields an error line (exitCode 2). The engine is created once for the whole batch.',
      'Blank lines are skipped. Each line may set its own "timeoutMs" in args (default 10000).',
      "Exit status: 0 when every line was processed (see each line's exitCode).",
    ].join('\n'),
    flags: [],
    examples: [
      `printf '%s\\n' '{"command":"validate-policy","args":{"policyDocument":{"Version":"2012-10-17","Statement":[]}}}' | cli batch`,
    ],
  },
];

export const COMMAND_NAMES = COMMANDS.map((c) => c.name);

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function flagsOf(cmd: CommandSpec): FlagSpec[] {
  // batch lines carry their own timeoutMs; a command's own spelling of a common flag wins
  if (cmd.name === 'batch') return cmd.flags;
  return [...cmd.flags, ...COMMON_FLAGS.filter((c) => !cmd.flags.some((f) => f.name === c.name))];
}

/** The forms a command runs in: ['policy', 'scenario'] when it has scenario flags beside its policy flags. */
export function formsOf(cmd: CommandSpec): CommandForm[] {
  return cmd.flags.some((f) => f.form === 'scenario') ? ['policy', 'scenario'] : [];
}

export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function kebabCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
