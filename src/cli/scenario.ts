/**
 * The scenario form of the CLI's commands (issue 12): `evaluate` and the checks on the whole
 * authorization stack (evaluate/scenario.ts), through the engine's scenario checks (checks/scenario.ts).
 * Reads the scenario flags (a document's three ways, or `-` for stdin), refuses a scenario the engine
 * cannot read with its message before the engine starts (exit 2), checks the arguments a scenario
 * check shares with its single-policy check by the same rules (request.ts), and writes the stack's
 * verdict for people (`evaluate --format text`).
 */
import type { Catalog } from '../catalog/catalog.ts';
import { requestIssue, ValidCheckRequest } from '../checks/request.ts';
import type { ScenarioOutcome } from '../checks/scenario-request.ts';
import {
  inputErrorCode,
  type CheckResponse,
  type CompareResponse,
  type StackVerdict,
} from '../checks/types.ts';
import { CallerError } from '../evaluate/caller.ts';
import { EvaluationError } from '../evaluate/evaluate.ts';
import { principalToString, type Request } from '../evaluate/request.ts';
import { parseScenario, ScenarioError, type Scenario } from '../evaluate/scenario.ts';
import { evaluateScenario, layerLabel, statementLabel, type StatementHit } from '../evaluate/stack.ts';
import { camelCase, findCommand, kebabCase } from './commands.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { EXIT, exitCodeForError, exitCodeForResult } from './exit.ts';
import { requestFromJson, resolveJson, resolveText } from './input.ts';
import type { Flags } from './parse-args.ts';

/** What the scenario commands need of the run context (run.ts RunContext). */
interface ScenarioContext {
  cwd: string;
  /** the process's stdin, read once, for a `-` argument; absent in batch (stdin holds the lines) */
  stdin?: () => string;
  catalog: () => Promise<Catalog>;
  engine: () => Promise<{
    runScenario(request: unknown, opts?: { timeoutMs?: number }): Promise<ScenarioOutcome>;
  }>;
}

interface ScenarioOutput {
  exitCode: number;
  json: unknown;
  text?: string;
}

/** The command runs on scenarios: compare-scenarios, or a scenario flag of the command is given. */
export function isScenarioForm(command: string, flags: Flags): boolean {
  const cmd = findCommand(command);
  return (
    cmd !== undefined &&
    cmd.flags.some((f) => f.kind === 'scenario' && flags[camelCase(f.name)] !== undefined)
  );
}

const str = (flags: Flags, key: string): string => {
  const v = flags[key];
  if (typeof v !== 'string') throw new CliError('MISSING_FLAG', `--${kebabCase(key)} is required.`);
  return v;
};
const list = (flags: Flags, key: string): string[] => {
  const v = flags[key];
  return Array.isArray(v) ? v : [];
};
/** The flag a request field comes from (`trustedOrgIds` is `--trusted-org`). */
const flagOf = (field: string): string =>
  field === 'trustedOrgIds' ? '--trusted-org' : `--${kebabCase(field)}`;

/** A scenario flag read and parsed, with its text for the engine. */
interface ReadScenario {
  scenario: Scenario;
  text: string;
}

/** A scenario flag read; a scenario the engine cannot read is refused with its message (exit 2). */
export function readScenario(
  flags: Flags,
  key: string,
  ctx: Pick<ScenarioContext, 'cwd' | 'stdin'>,
): ReadScenario {
  const shown = flagOf(key);
  const value = str(flags, key);
  let text: string;
  if (value.trim() === '-') {
    if (!ctx.stdin)
      throw new CliError(
        'INVALID_DOCUMENT',
        `${shown}: - reads stdin, which holds the batch lines here; give the scenario itself (a JSON object or its text) or a file://path.`,
      );
    text = ctx.stdin();
  } else text = resolveText(value, shown, ctx.cwd);
  try {
    return { scenario: parseScenario(text), text };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const code = CliErrorCode.safeParse(e.code);
    throw new CliError(code.success ? code.data : 'INVALID_SCENARIO', `${shown}: ${e.message}`, {
      document: shown,
      ...(e.findings.length ? { findings: e.findings.filter((f) => f.findingType === 'ERROR') } : {}),
    });
  }
}

/**
 * The arguments a scenario check shares with its single-policy check (--access, --resource-type,
 * --trusted-accounts, --trusted-org), checked by the single-policy check's own rules and codes
 * (ValidCheckRequest; the policy document is not looked at by those rules).
 */
function checkShared(request: Record<string, unknown>): void {
  const valid = ValidCheckRequest.safeParse({
    policyDocument: '',
    policyType: 'IDENTITY_POLICY',
    ...request,
  });
  if (valid.success) return;
  const issue = requestIssue(valid.error);
  throw new CliError(
    issue.code,
    `${issue.field === undefined ? 'the check' : flagOf(issue.field)}${issue.at}: ${issue.detail}.`,
  );
}

/** The engine's request for a scenario command, its flags read and checked. */
function scenarioRequest(command: string, flags: Flags, ctx: ScenarioContext): Record<string, unknown> {
  const scenario = (key: string) => readScenario(flags, key, ctx).text;
  const stdinUses = Object.entries(flags).filter(([, v]) => typeof v === 'string' && v.trim() === '-');
  if (stdinUses.length > 1)
    throw new CliError(
      'INVALID_DOCUMENT',
      `${stdinUses.map(([k]) => flagOf(k)).join(' and ')}: only one argument can read stdin (-); give the others as files.`,
    );
  switch (command) {
    case 'check-access-not-granted': {
      const access = resolveJson(str(flags, 'access'), '--access', ctx.cwd);
      checkShared({ check: 'CheckAccessNotGranted', access });
      return { check: 'ScenarioAccessNotGranted', scenario: scenario('scenario'), access };
    }
    case 'check-no-new-access':
      return {
        check: 'ScenarioNoNewAccess',
        existingScenario: scenario('existingScenario'),
        newScenario: scenario('newScenario'),
        exactNewAccess: flags.exactNewAccess !== false,
      };
    case 'compare-scenarios':
      return {
        check: 'CompareScenarios',
        scenarioA: scenario('scenarioA'),
        scenarioB: scenario('scenarioB'),
      };
    case 'check-no-public-access': {
      const resourceType = str(flags, 'resourceType').trim();
      checkShared({ check: 'CheckNoPublicAccess', resourceType });
      return { check: 'ScenarioNoPublicAccess', scenario: scenario('scenario'), resourceType };
    }
    case 'check-no-access-outside': {
      const orgs = list(flags, 'trustedOrg');
      const trusted = {
        trustedAccounts: list(flags, 'trustedAccounts'),
        ...(orgs.length > 0 ? { trustedOrgIds: orgs } : {}),
      };
      checkShared({ check: 'NoAccessOutsideAccounts', ...trusted });
      return { check: 'ScenarioNoAccessOutside', scenario: scenario('scenario'), ...trusted };
    }
    default:
      throw new CliError('UNKNOWN_COMMAND', `'${command}' does not run on scenarios.`);
  }
}

/** The engine's words for a field (`scenarioA: …`, `access.0: …`) as the flag the user gave. */
function flagged(message: string): string {
  return message.replace(/^([a-z][A-Za-z]*)(?=[.:])/, (field) => flagOf(field));
}

const actionsOf = (r: CheckResponse): string[] | undefined =>
  r.newAccess?.services.flatMap((s) => s.actions.map((a) => a.action));

/** Runs a check command on scenarios through the engine. */
async function runScenarioCheck(
  command: string,
  flags: Flags,
  ctx: ScenarioContext,
): Promise<ScenarioOutput> {
  const request = scenarioRequest(command, flags, ctx);
  const engine = await ctx.engine();
  const timeoutMs = typeof flags.timeoutMs === 'number' ? flags.timeoutMs : undefined;
  const outcome = await engine.runScenario(request, timeoutMs !== undefined ? { timeoutMs } : {});
  if (!outcome.ok) {
    const code = CliErrorCode.safeParse(outcome.error.code);
    const error = {
      code: code.success ? code.data : inputErrorCode(outcome.error.code, 'INVALID_REQUEST'),
      message: flagged(outcome.error.message),
    };
    return { exitCode: exitCodeForError(error.code), json: { error } };
  }
  const response = outcome.response;
  if (response.kind === 'evaluate') throw new Error('the engine answered a check with an evaluation');
  if (response.kind === 'compare') {
    // what changing A into B opens (B allows, A does not) and breaks (A allows, B does not)
    const c: CompareResponse = response;
    const opens = actionsOf(c.bNotA);
    const breaks = actionsOf(c.aNotB);
    return {
      exitCode: exitCodeForResult(c.result),
      json: { ...c, ...(opens ? { opens } : {}), ...(breaks ? { breaks } : {}) },
    };
  }
  return { exitCode: exitCodeForResult(response.result), json: response };
}

// --- evaluate --scenario --------------------------------------------------------------------------

/** The statements that decided: the deciding layer's Deny, or its Allow; none for an implicit deny. */
export function decidingStatements(v: StackVerdict): StatementHit[] {
  const l = v.layers.find((x) => x.layer === v.decidedBy.layer && x.level === v.decidedBy.level);
  if (!l) return [];
  return v.decision === 'ExplicitlyDenied' ? l.deniedBy : v.decision === 'Allowed' ? l.allowedBy : [];
}

/** The stack's verdict on one request, for people: the decision, the deciding layer, every layer. */
function stackText(request: Request, v: StackVerdict): string {
  const deciding = decidingStatements(v);
  const context = Object.entries(request.context);
  const lines = [
    `Request: ${request.action} on ${request.resource} by ${principalToString(request.principal)}`,
    ...(context.length
      ? [
          `  context: ${context.map(([k, x]) => `${k}=${Array.isArray(x) ? `[${x.join(', ')}]` : x}`).join(', ')}`,
        ]
      : []),
    `Decision: ${v.decision}`,
    `  decided by: ${layerLabel(v.decidedBy)} (${v.decidedBy.why})`,
    ...(deciding.length ? [`  deciding statement: ${deciding.map(statementLabel).join(', ')}`] : []),
    'Layers (> the deciding one):',
  ];
  for (const l of v.layers) {
    const mark = l.layer === v.decidedBy.layer && l.level === v.decidedBy.level ? '>' : ' ';
    const gate = l.applies ? l.decision : 'does not apply';
    lines.push(`${mark} ${layerLabel(l).padEnd(22)}${gate.padEnd(16)}${l.why}`);
    if (l.applies) {
      if (l.deniedBy.length) lines.push(`      denied by ${l.deniedBy.map(statementLabel).join(', ')}`);
      if (l.allowedBy.length) lines.push(`      allowed by ${l.allowedBy.map(statementLabel).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function runScenarioEvaluate(flags: Flags, ctx: ScenarioContext): Promise<ScenarioOutput> {
  const { scenario } = readScenario(flags, 'scenario', ctx);
  const given = requestFromJson(resolveJson(str(flags, 'request'), '--request', ctx.cwd));
  const principal = given.principal ?? scenario.caller;
  if (!principal)
    throw new CliError(
      'INVALID_REQUEST',
      '--request: name a "principal" (the scenario has no "caller" to stand for it).',
    );
  const request: Request = {
    principal,
    action: given.action,
    resource: given.resource,
    context: given.context,
  };
  let verdict: StackVerdict;
  try {
    const e = evaluateScenario(scenario, request, await ctx.catalog());
    verdict = { decision: e.decision, decidedBy: e.decidedBy, layers: e.layers };
  } catch (e) {
    if (e instanceof CallerError)
      throw new CliError('INVALID_PRINCIPAL', `--request: principal: ${e.message}`);
    if (e instanceof EvaluationError)
      throw new CliError(inputErrorCode(e.code, 'INVALID_POLICY'), `--scenario: ${e.message}`);
    throw e;
  }
  const text = stackText(request, verdict);
  const json = {
    request,
    decision: verdict.decision,
    decidedBy: { ...verdict.decidedBy, statements: decidingStatements(verdict) },
    layers: verdict.layers,
    explanation: `${verdict.decision}, decided by ${layerLabel(verdict.decidedBy)}: ${verdict.decidedBy.why}`,
  };
  return flags.format === 'text'
    ? { exitCode: EXIT.PASS, text, json: { ...json, text } }
    : { exitCode: EXIT.PASS, json };
}

/** Runs a command in its scenario form (isScenarioForm); bad input throws a CliError. */
export function runScenarioCommand(
  command: string,
  flags: Flags,
  ctx: ScenarioContext,
): Promise<ScenarioOutput> {
  return command === 'evaluate' ? runScenarioEvaluate(flags, ctx) : runScenarioCheck(command, flags, ctx);
}
