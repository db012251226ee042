/**
 * Runs one parsed command and returns its JSON output and exit status. No process I/O here: `main.ts`
 * prints, `batch` reuses this per line with one engine for the whole run.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { requestIssue, ValidCheckRequest } from '../checks/request.ts';
import type { RunTestsOutcome } from '../checks/policy-tests.ts';
import type { ScenarioOutcome } from '../checks/scenario-request.ts';
import {
  inputErrorCode,
  type CheckOptions,
  type CheckOutcome,
  type CheckRequest,
  type CheckResponse,
  type PolicyType,
} from '../checks/types.ts';
import { evaluateText } from '../evaluate/evaluate.ts';
import type { Finding } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import {
  validatePolicy,
  type PolicyType as ValidatePolicyType,
  type ValidateResourceType,
} from '../policy/validate.ts';
import { proofPartHolds, proofRequests, recommend, type UnusedPermissionsEntry } from '../recommend/index.ts';
import { exportSmtLib } from '../checks/export.ts';
import { legendFor } from '../teach/legend.ts';
import { notationText, policyNotation } from '../teach/notation.ts';
import { describeQuestion, questionText } from '../teach/question.ts';
import { FORMULA_CHECK_COMMANDS, findCommand, kebabCase } from './commands.ts';
import { EXIT, exitCodeForError, exitCodeForResult } from './exit.ts';
import { CliError, type ErrorBody } from './errors.ts';
import { describeFinding, readPolicyText, requestFromJson, resolveJson, resolveText } from './input.ts';
import type { Flags } from './parse-args.ts';
import { isScenarioForm, runScenarioCommand } from './scenario.ts';
import { runTestCommand } from './test-command.ts';

export interface EngineLike {
  run(req: CheckRequest, opts?: CheckOptions): Promise<CheckOutcome>;
  /** a check on scenarios (checks/scenario-request.ts ScenarioCheckRequest) */
  runScenario(request: unknown, opts?: { timeoutMs?: number }): Promise<ScenarioOutcome>;
  /** policy tests (checks/policy-tests.ts RunTestsRequest) */
  runTests(request: unknown): Promise<RunTestsOutcome>;
}

export interface RunContext {
  cwd: string;
  /** the process's stdin, read once, for a scenario given as `-`; absent in batch (stdin holds the lines) */
  stdin?: () => string;
  /** created on first use and shared by every command of a batch */
  engine: () => Promise<EngineLike>;
  catalog: () => Promise<Catalog>;
}

export interface CommandOutput {
  exitCode: number;
  json: unknown;
  /** printed instead of the JSON when a command's output is text (formula); batch keeps the JSON */
  text?: string;
}

/** An error as output: exit 2 for bad input, 4 for an internal error. */
function errorOutput(error: ErrorBody): CommandOutput {
  return { exitCode: exitCodeForError(error.code), json: { error } };
}

/** Memoises an async factory (one engine / catalog per process). */
export function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

const str = (flags: Flags, key: string): string => {
  const v = flags[key];
  if (typeof v !== 'string') throw new CliError('MISSING_FLAG', `--${kebabCase(key)} is required.`);
  return v;
};
const optStr = (flags: Flags, key: string): string | undefined => {
  const v = flags[key];
  return typeof v === 'string' ? v : undefined;
};
const list = (flags: Flags, key: string): string[] => {
  const v = flags[key];
  return Array.isArray(v) ? v : [];
};

/** Reads a policy flag and refuses a policy the engine would refuse (bad JSON, ERROR findings). */
function policyText(flags: Flags, key: string, ctx: RunContext): string {
  return readPolicyText(str(flags, key), `--${kebabCase(key)}`, ctx.cwd);
}

/** The flag a check request's field comes from. */
const flagOfField = (field: string | undefined): string =>
  field === undefined ? 'the check' : field === 'trustedOrgIds' ? '--trusted-org' : `--${kebabCase(field)}`;

/**
 * The check request of a command, checked by the engine's own schema (ValidCheckRequest) before the
 * engine runs: a bad value is the engine's code, with the flag it came from.
 */
function checkRequest(command: string, flags: Flags, ctx: RunContext): CheckRequest {
  const valid = ValidCheckRequest.safeParse(requestOfFlags(command, flags, ctx));
  if (valid.success) return valid.data;
  const issue = requestIssue(valid.error);
  throw new CliError(issue.code, `${flagOfField(issue.field)}${issue.at}: ${issue.detail}.`);
}

/** The request as the flags spell it (documents read and parsed, the rest as given). */
function requestOfFlags(command: string, flags: Flags, ctx: RunContext): unknown {
  const policyType = optStr(flags, 'policyType') as PolicyType | undefined;
  switch (command) {
    case 'check-no-new-access':
      return {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: policyText(flags, 'existingPolicyDocument', ctx),
        newPolicyDocument: policyText(flags, 'newPolicyDocument', ctx),
        policyType: policyType ?? 'IDENTITY_POLICY',
        exactNewAccess: flags.exactNewAccess !== false,
      };
    case 'check-access-not-granted':
      return {
        check: 'CheckAccessNotGranted',
        policyDocument: policyText(flags, 'policyDocument', ctx),
        access: resolveJson(str(flags, 'access'), '--access', ctx.cwd),
        policyType: policyType ?? 'IDENTITY_POLICY',
      };
    case 'check-no-public-access':
      return {
        check: 'CheckNoPublicAccess',
        policyDocument: policyText(flags, 'policyDocument', ctx),
        resourceType: str(flags, 'resourceType').trim(),
      };
    case 'check-no-access-outside': {
      const orgs = list(flags, 'trustedOrg');
      return {
        check: 'NoAccessOutsideAccounts',
        policyDocument: policyText(flags, 'policyDocument', ctx),
        trustedAccounts: list(flags, 'trustedAccounts'),
        ...(orgs.length > 0 ? { trustedOrgIds: orgs } : {}),
        ...(policyType ? { policyType } : {}),
      };
    }
    case 'compare-policies':
      return {
        check: 'ComparePolicies',
        policyA: policyText(flags, 'policyA', ctx),
        policyB: policyText(flags, 'policyB', ctx),
        policyType: policyType ?? 'IDENTITY_POLICY',
      };
    default:
      throw new CliError('UNKNOWN_COMMAND', `'${command}' is not a check command.`);
  }
}

async function runCheck(command: string, flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  const req = checkRequest(command, flags, ctx);
  const engine = await ctx.engine();
  const timeoutMs = typeof flags.timeoutMs === 'number' ? flags.timeoutMs : undefined;
  const serviceAware = flags.serviceAware === true;
  const outcome = await engine.run(req, { ...(timeoutMs !== undefined ? { timeoutMs } : {}), serviceAware });
  if (!outcome.ok) return errorOutput({ ...outcome.error });
  const r = outcome.response;
  if (serviceAware && r.kind === 'check' && r.serviceAware) {
    const json = serviceAwareVerdict(r);
    return { exitCode: exitCodeForResult(json.result), json };
  }
  return { exitCode: exitCodeForResult(r.result), json: r };
}

/**
 * A response with the service-aware reading as its verdict: its result, message, counterexamples
 * and list; Access Analyzer's verdict under `accessAnalyzer` (its marked requests stay there).
 */
function serviceAwareVerdict(r: CheckResponse): CheckResponse & { accessAnalyzer: Partial<CheckResponse> } {
  const sa = r.serviceAware!;
  const { newAccess, ...rest } = r;
  const out: CheckResponse & { accessAnalyzer: Partial<CheckResponse> } = {
    ...rest,
    result: sa.result,
    message: sa.message,
    counterexamples: sa.counterexamples,
    reasons: sa.result === 'PASS' ? [] : r.reasons,
    accessAnalyzer: {
      result: r.result,
      message: r.message,
      counterexamples: r.counterexamples,
      ...(newAccess ? { newAccess } : {}),
    },
  };
  if (sa.newAccess) out.newAccess = sa.newAccess;
  if (sa.unknownReason) out.unknownReason = sa.unknownReason;
  return out;
}

async function runValidate(flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  const text = resolveText(str(flags, 'policyDocument'), '--policy-document', ctx.cwd);
  const policyType = (optStr(flags, 'policyType') ?? 'IDENTITY_POLICY') as ValidatePolicyType;
  const resourceType = optStr(flags, 'validatePolicyResourceType') as ValidateResourceType | undefined;
  // As Access Analyzer's ValidatePolicy: the resource type is a resource policy's only.
  if (resourceType && policyType !== 'RESOURCE_POLICY')
    throw new CliError(
      'INVALID_FLAG_VALUE',
      `--validate-policy-resource-type applies to --policy-type RESOURCE_POLICY only, not ${policyType}.`,
    );
  const findings = validatePolicy(text, {
    catalog: await ctx.catalog(),
    policyType,
    ...(resourceType ? { validatePolicyResourceType: resourceType } : {}),
  });
  return {
    exitCode: findings.some((f) => f.findingType === 'ERROR') ? EXIT.FAIL : EXIT.PASS,
    json: { findings },
  };
}

async function runEvaluate(flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  const text = policyText(flags, 'policyDocument', ctx);
  const request = requestFromJson(resolveJson(str(flags, 'request'), '--request', ctx.cwd));
  const out = evaluateText(text, request, { catalog: await ctx.catalog() });
  if (!out.ok)
    return errorOutput({
      code: inputErrorCode(out.error.code, 'INVALID_POLICY'),
      message: out.error.message,
    });
  const json = { request, ...out.evaluation };
  if (flags.format !== 'text') return { exitCode: EXIT.PASS, json };
  const readable = `Decision: ${out.evaluation.decision}\n  ${out.evaluation.explanation}\n`;
  return { exitCode: EXIT.PASS, text: readable, json: { ...json, text: readable } };
}

/**
 * Unused-permission findings: the plain list `[{serviceNamespace, actions: [...]}]`, or Access
 * Analyzer's finding (`{findingDetails: [{unusedPermissionDetails: {serviceNamespace, actions:
 * [{action, lastAccessed?}]}}]}`, as `aws accessanalyzer get-finding-v2` prints it).
 */
function unusedFromJson(v: unknown): UnusedPermissionsEntry[] {
  const bad = () =>
    new CliError(
      'INVALID_UNUSED_PERMISSIONS',
      '--unused-permissions: expected [{"serviceNamespace": "s3", "actions": ["GetObject", ...]}, ...] or an Access Analyzer finding with findingDetails[].unusedPermissionDetails.',
    );
  if (Array.isArray(v)) return v as UnusedPermissionsEntry[];
  if (v === null || typeof v !== 'object') throw bad();
  const details = (v as { findingDetails?: unknown }).findingDetails;
  if (!Array.isArray(details)) throw bad();
  const out: UnusedPermissionsEntry[] = [];
  for (const d of details) {
    const u = (d as { unusedPermissionDetails?: { serviceNamespace?: unknown; actions?: unknown } } | null)
      ?.unusedPermissionDetails;
    if (!u) continue;
    if (typeof u.serviceNamespace !== 'string') throw bad();
    const actions = Array.isArray(u.actions)
      ? u.actions.map((a: unknown) =>
          typeof a === 'string' ? a : (a as { action?: unknown } | null)?.action,
        )
      : [];
    if (!actions.every((a): a is string => typeof a === 'string')) throw bad();
    out.push({ serviceNamespace: u.serviceNamespace, actions });
  }
  return out;
}

async function runRecommend(flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  const text = policyText(flags, 'policyDocument', ctx);
  const unused = unusedFromJson(
    resolveJson(str(flags, 'unusedPermissions'), '--unused-permissions', ctx.cwd),
  );
  const res = recommend(text, unused, await ctx.catalog());
  if (!res.ok) return errorOutput({ ...res.error });
  const rec = res.value;
  const step = {
    recommendedAction: rec.recommendedAction,
    ...(rec.recommendedPolicy !== undefined ? { recommendedPolicy: rec.recommendedPolicy } : {}),
    ...(rec.existingPolicyId !== undefined ? { existingPolicyId: rec.existingPolicyId } : {}),
  };
  // the tries are for the app's picker; the CLI prints the chosen covers only
  const refinements = rec.refinements.map(({ trie: _trie, ...r }) => r);
  const json: Record<string, unknown> = {
    recommendedSteps: [{ unusedPermissionsRecommendedStep: step }],
    ...rec,
    refinements,
  };
  if (flags.verify !== true) return { exitCode: EXIT.PASS, json };

  // the solver proof of proof.ts: notGranted PASS, noNewAccess PASS, complete with newAccess.count 0
  const engine = await ctx.engine();
  const timeoutMs = typeof flags.timeoutMs === 'number' ? flags.timeoutMs : undefined;
  const reqs = proofRequests(text, rec.recommendedPolicy, unused);
  const proof: Record<string, unknown> = {};
  let worst: number = EXIT.PASS;
  for (const [name, req] of Object.entries(reqs) as [string, CheckRequest | undefined][]) {
    if (!req) continue;
    const out = await engine.run(req, timeoutMs !== undefined ? { timeoutMs } : {});
    if (!out.ok) return errorOutput({ ...out.error, proof: name });
    const r = out.response as CheckResponse;
    const holds = proofPartHolds(name as keyof typeof reqs, r);
    const code = holds === undefined ? EXIT.UNKNOWN : holds ? EXIT.PASS : EXIT.FAIL;
    if (code === EXIT.FAIL || (code === EXIT.UNKNOWN && worst === EXIT.PASS)) worst = code;
    proof[name] = {
      holds: code === EXIT.PASS,
      result: r.result,
      message: r.message,
      ...(r.newAccess ? { newAccess: r.newAccess } : {}),
    };
  }
  json.proof = proof;
  return { exitCode: worst, json };
}

/** The documents of a check request, with the names the question gives them. */
function questionDocuments(req: CheckRequest): { name: string; label: string; text: string }[] {
  switch (req.check) {
    case 'CheckNoNewAccess':
      return [
        { name: 'Pold', label: 'the existing policy', text: req.existingPolicyDocument },
        { name: 'Pnew', label: 'the new policy', text: req.newPolicyDocument },
      ];
    case 'ComparePolicies':
      return [
        { name: 'PA', label: 'policy A', text: req.policyA },
        { name: 'PB', label: 'policy B', text: req.policyB },
      ];
    default:
      return [{ name: 'P', label: 'the policy', text: req.policyDocument }];
  }
}

/**
 * `formula`: the policy as math, or a check's question (math, or an SMT-LIB2 script). Text output;
 * the JSON (batch) carries the same text plus the parts.
 */
async function runFormula(flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  const format = flags.format === 'smtlib' ? 'smtlib' : 'math';
  const check = optStr(flags, 'check') as keyof typeof FORMULA_CHECK_COMMANDS | undefined;
  const catalog = await ctx.catalog();
  const isMultiValued = (k: string) => (catalog.conditionKey(k) ? catalog.isMultiValued(k) : undefined);
  const notation = (text: string) => {
    const parsed = parsePolicy(text);
    if (!parsed.ok) throw new CliError('INVALID_POLICY', 'The policy is not valid.');
    return policyNotation(parsed.policy, { isMultiValued });
  };
  /** The legend of the symbols the formulas use (not of the prose around them). */
  const legend = (formulas: string): string =>
    `-- Notation:\n${legendFor(formulas)
      .map((e) => `--   ${e.symbol}   ${e.meaning}`)
      .join('\n')}\n`;

  if (!check) {
    if (format === 'smtlib')
      throw new CliError(
        'MISSING_FLAG',
        `formula --format smtlib needs --check (one of ${Object.keys(FORMULA_CHECK_COMMANDS).join(', ')}): the script is the question a check asks.`,
      );
    const n = notation(policyText(flags, 'policyDocument', ctx));
    const body = notationText(n);
    const text = body + legend(body);
    return {
      exitCode: EXIT.PASS,
      text,
      json: {
        format,
        text,
        statements: n.statements.map((s) => ({ index: s.index, name: s.name, formula: s.definition.text })),
        allowed: n.allowed.text,
        issues: n.issues,
      },
    };
  }
  const command = FORMULA_CHECK_COMMANDS[check];
  const used = ['policyDocument', 'existingPolicyDocument', 'newPolicyDocument', 'policyA', 'policyB'].filter(
    (k) => flags[k] !== undefined,
  );
  const expected =
    check === 'CheckNoNewAccess'
      ? ['existingPolicyDocument', 'newPolicyDocument']
      : check === 'ComparePolicies'
        ? ['policyA', 'policyB']
        : ['policyDocument'];
  const extra = used.filter((k) => !expected.includes(k));
  if (extra.length)
    throw new CliError(
      'UNEXPECTED_FLAG',
      `formula --check ${check} takes ${expected.map((k) => `--${kebabCase(k)}`).join(' and ')}, not ${extra.map((k) => `--${kebabCase(k)}`).join(', ')}.`,
    );
  const req = checkRequest(command, flags, ctx);
  if (format === 'smtlib') {
    const exported = exportSmtLib(req, catalog);
    if (!exported.ok) return errorOutput({ ...exported.error });
    const { script, ...rest } = exported.value;
    return { exitCode: EXIT.PASS, text: script, json: { format, text: script, ...rest } };
  }
  const q = describeQuestion(req);
  if (!q.ok)
    return errorOutput({ code: inputErrorCode(q.error.code, 'INVALID_REQUEST'), message: q.error.message });
  const parts: string[] = [];
  const formulas: string[] = [];
  for (const d of questionDocuments(req)) {
    const n = notationText(notation(d.text));
    parts.push(`-- ${d.name}: ${d.label}\n${n}`);
    formulas.push(n);
  }
  parts.push(questionText(q.value));
  formulas.push(...q.value.definitions.map((x) => x.text), ...q.value.formulas.map((f) => f.formula.text));
  const text = parts.join('') + legend(formulas.join('\n'));
  return {
    exitCode: EXIT.PASS,
    text,
    json: {
      format,
      text,
      question: q.value.formulas.map((f) => ({ formula: f.formula.text, sat: f.sat, unsat: f.unsat })),
      definitions: q.value.definitions.map((d) => d.text),
    },
  };
}

/** Runs one command (never `batch`, never throws on bad input). */
export async function runCommand(command: string, flags: Flags, ctx: RunContext): Promise<CommandOutput> {
  try {
    if (!findCommand(command) || command === 'batch')
      throw new CliError('UNKNOWN_COMMAND', `'${command}' cannot be run here.`);
    if (command === 'test') return await runTestCommand(flags, ctx);
    if (isScenarioForm(command, flags)) return await runScenarioCommand(command, flags, ctx);
    switch (command) {
      case 'validate-policy':
        return await runValidate(flags, ctx);
      case 'evaluate':
        return await runEvaluate(flags, ctx);
      case 'recommend':
        return await runRecommend(flags, ctx);
      case 'formula':
        return await runFormula(flags, ctx);
      default:
        return await runCheck(command, flags, ctx);
    }
  } catch (e) {
    if (e instanceof CliError) return errorOutput({ code: e.code, message: e.message, ...e.extra });
    const err = e as Error;
    return errorOutput({ code: 'INTERNAL_ERROR', message: `${err.name}: ${err.message}` });
  }
}

/** The readable one-line (plus findings) form of an error for stderr. */
export function errorText(error: ErrorBody): string {
  const lines = [`error [${error.code}]: ${error.message}`];
  const findings = error.findings;
  if (Array.isArray(findings) && findings.length > 1) {
    for (const f of findings.slice(0, 5) as Finding[]) lines.push(`  - ${describeFinding(f)}`);
  }
  return lines.join('\n') + '\n';
}
