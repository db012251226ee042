/**
 * IAM-aware help in the JSON editor: completion of actions, condition operators and condition keys
 * from the action catalog, hover with an action's description and access level, and markers for
 * every finding of the policy parser and validator (with its issue code).
 *
 * The catalog is 2.7 MB, so it is imported lazily after first paint; completion and hover work as
 * soon as it arrives, markers from the parser do not wait for it.
 */
import { findNodeAtOffset, getLocation, getNodePath, parseTree, type JSONPath } from 'jsonc-parser';
import type { Catalog } from '../../catalog/catalog.ts';
import { BASE_OPERATORS, CONDITION_OPERATORS } from '../../policy/operators.ts';
import { parsePolicy, tooDeepAt } from '../../policy/parse.ts';
import {
  validatePolicy,
  type PolicyType,
  type ValidateResourceType,
  type ValidationFinding,
} from '../../policy/validate.ts';
import { monaco } from './monaco.ts';

/**
 * The operators completion offers: every base operator, its IfExists form, and the set-qualified
 * forms people write (ForAnyValue / ForAllValues with the String and Arn families).
 */
const COMPLETION_OPERATORS = [
  ...BASE_OPERATORS,
  ...BASE_OPERATORS.filter((o) => o !== 'Null').map((o) => `${o}IfExists`),
  ...Object.entries(CONDITION_OPERATORS)
    .filter(([, spec]) => spec.family === 'String' || spec.family === 'Arn')
    .flatMap(([o]) => [`ForAnyValue:${o}`, `ForAllValues:${o}`]),
];

let catalog: Catalog | undefined;
let catalogPromise: Promise<Catalog> | undefined;
const onCatalog = new Set<() => void>();

export function loadCatalog(): Promise<Catalog> {
  catalogPromise ??= import('../../catalog/catalog.ts')
    .then((m) => m.loadDefaultCatalog())
    .then((c) => {
      catalog = c;
      for (const f of onCatalog) f();
      return c;
    });
  return catalogPromise;
}

const isActionField = (k: unknown): boolean => k === 'Action' || k === 'NotAction';

/** The path of the Statement-relative field the cursor is in: ['Action'], ['Condition', op, key], ... */
function statementRelative(path: JSONPath): JSONPath | undefined {
  if (path[0] !== 'Statement') return undefined;
  return typeof path[1] === 'number' ? path.slice(2) : path.slice(1);
}

const WILDCARD = /[*?]/;

function actionHover(c: Catalog, value: string): string[] | undefined {
  if (!WILDCARD.test(value)) {
    const a = c.action(value);
    if (!a) return [`**${value}**`, 'Not in the action catalog (' + c.version + ').'];
    return [
      `**${a.display}** · ${a.accessLevel}`,
      a.description || '(no description)',
      `Service: ${c.serviceName(a.service) ?? a.service}`,
    ];
  }
  // The evaluator's glob semantics, service part first (catalog.matchingActions).
  const matches = c.matchingActions(value);
  const levels = new Map<string, number>();
  for (const m of matches) levels.set(m.accessLevel, (levels.get(m.accessLevel) ?? 0) + 1);
  return [
    `**${value}** matches ${matches.length} catalog action${matches.length === 1 ? '' : 's'}`,
    [...levels].map(([l, n]) => `${l}: ${n}`).join(' · '),
    matches
      .slice(0, 12)
      .map((m) => `\`${m.display}\``)
      .join(', ') + (matches.length > 12 ? ', …' : ''),
  ];
}

let registered = false;

export function registerIamAssist(): void {
  if (registered) return;
  registered = true;

  monaco.languages.registerCompletionItemProvider('json', {
    triggerCharacters: ['"', ':'],
    provideCompletionItems(model, position) {
      const c = catalog;
      if (!c) {
        void loadCatalog();
        return { suggestions: [], incomplete: true };
      }
      const text = model.getValue();
      // jsonc-parser recurses: a pathologically deep document gets no help (and no stack overflow).
      if (tooDeepAt(text) >= 0) return { suggestions: [] };
      const offset = model.getOffsetAt(position);
      const loc = getLocation(text, offset);
      const rel = statementRelative(loc.path);
      if (!rel) return { suggestions: [] };
      const node = loc.previousNode;
      // jsonc-parser reports a string value as 'string' and an object key as 'property'
      const inString =
        (node?.type === 'string' || node?.type === 'property') &&
        offset > node.offset &&
        offset < node.offset + node.length;
      const start = inString && node ? node.offset + 1 : offset;
      const end = inString && node ? node.offset + node.length - 1 : offset;
      const range = monaco.Range.fromPositions(model.getPositionAt(start), model.getPositionAt(end));
      const typed = inString && node ? text.slice(node.offset + 1, offset) : '';
      const wrap = (s: string): string => (inString ? s : `"${s}"`);
      const K = monaco.languages.CompletionItemKind;

      if (isActionField(rel[0]) && !loc.isAtPropertyKey) {
        const colon = typed.indexOf(':');
        if (colon < 0) {
          return {
            suggestions: [
              { label: '*', kind: K.Constant, insertText: wrap('*'), range, detail: 'every action' },
              ...c.services().map((s) => ({
                label: `${s}:`,
                kind: K.Module,
                insertText: inString ? `${s}:` : `"${s}:`,
                range,
                detail: c.serviceName(s) ?? s,
                command: { id: 'editor.action.triggerSuggest', title: 'actions' },
              })),
            ],
          };
        }
        const svc = typed.slice(0, colon);
        return {
          suggestions: [
            {
              label: `${svc}:*`,
              kind: K.Constant,
              insertText: wrap(`${svc}:*`),
              range,
              detail: 'every action of the service',
            },
            ...c.serviceActions(svc).map((a) => ({
              label: a.display,
              kind: K.Function,
              insertText: wrap(a.display),
              range,
              detail: a.accessLevel,
              documentation: a.description,
            })),
          ],
        };
      }
      if (rel[0] === 'Condition' && loc.isAtPropertyKey && rel.length === 2) {
        return {
          suggestions: COMPLETION_OPERATORS.map((o) => ({
            label: o,
            kind: K.Operator,
            insertText: wrap(o),
            range,
            detail: 'condition operator',
          })),
        };
      }
      if (rel[0] === 'Condition' && loc.isAtPropertyKey && rel.length === 3) {
        return {
          suggestions: c.conditionKeys().map((k) => ({
            label: k.name,
            kind: K.Property,
            insertText: wrap(k.name),
            range,
            detail: k.type,
            documentation: k.description,
          })),
        };
      }
      return { suggestions: [] };
    },
  });

  monaco.languages.registerHoverProvider('json', {
    provideHover(model, position) {
      const c = catalog;
      if (!c) return null;
      const text = model.getValue();
      if (tooDeepAt(text) >= 0) return null;
      const root = parseTree(text);
      if (!root) return null;
      const node = findNodeAtOffset(root, model.getOffsetAt(position));
      if (!node || node.type !== 'string' || typeof node.value !== 'string') return null;
      const rel = statementRelative(getNodePath(node));
      if (!rel) return null;
      const range = monaco.Range.fromPositions(
        model.getPositionAt(node.offset),
        model.getPositionAt(node.offset + node.length),
      );
      let lines: string[] | undefined;
      const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
      if (isActionField(rel[0]) && !isKey) lines = actionHover(c, node.value);
      else if (rel[0] === 'Condition' && rel.length === 3 && isKey) {
        const k = c.conditionKey(node.value);
        lines = k
          ? [`**${k.name}** · ${k.type}`, k.description]
          : [`**${node.value}**`, 'Not a known condition key.'];
      }
      if (!lines) return null;
      return { range, contents: lines.filter((l) => l).map((value) => ({ value })) };
    },
  });
}

const SEVERITY: Record<ValidationFinding['findingType'], monaco.MarkerSeverity> = {
  ERROR: monaco.MarkerSeverity.Error,
  SECURITY_WARNING: monaco.MarkerSeverity.Warning,
  WARNING: monaco.MarkerSeverity.Warning,
  SUGGESTION: monaco.MarkerSeverity.Info,
};

/** What a document is validated as: Access Analyzer's policy type, and a resource policy's resource type. */
export interface ValidateAs {
  policyType: PolicyType;
  resourceType?: ValidateResourceType;
}

/** A parser finding (the catalog not loaded yet) or a validator finding with its learnMoreLink. */
type MarkerFinding = Omit<ValidationFinding, 'learnMoreLink'> & { learnMoreLink?: string };

function toMarkers(model: monaco.editor.ITextModel, findings: MarkerFinding[]): monaco.editor.IMarkerData[] {
  const out: monaco.editor.IMarkerData[] = [];
  for (const f of findings) {
    const locs = f.locations.length ? f.locations : [undefined];
    for (const l of locs) {
      const s = model.getPositionAt(l?.span.start ?? 0);
      const e = model.getPositionAt(l?.span.end ?? (l ? l.span.start : 1));
      out.push({
        severity: SEVERITY[f.findingType],
        message: `${f.findingType === 'SECURITY_WARNING' ? 'Security: ' : ''}${f.findingDetails}`,
        // The issue code links to the check's documentation (Access Analyzer's learnMoreLink).
        code: f.learnMoreLink
          ? { value: f.issueCode, target: monaco.Uri.parse(f.learnMoreLink) }
          : f.issueCode,
        source: 'IAM',
        startLineNumber: s.lineNumber,
        startColumn: s.column,
        endLineNumber: e.lineNumber,
        endColumn: Math.max(e.column, s.lineNumber === e.lineNumber ? s.column + 1 : e.column),
      });
    }
  }
  return out;
}

/** Parses (and, when the catalog is there, validates) the model and sets its IAM markers. */
export function updateMarkers(model: monaco.editor.ITextModel, as: ValidateAs): MarkerFinding[] {
  const text = model.getValue();
  const parsed = parsePolicy(text);
  let findings: MarkerFinding[] = parsed.findings;
  if (parsed.ok && catalog) {
    try {
      // validatePolicy returns the parser's findings too, each with its link.
      findings = validatePolicy(text, {
        catalog,
        policyType: as.policyType,
        ...(as.resourceType ? { validatePolicyResourceType: as.resourceType } : {}),
      });
    } catch (e) {
      console.warn('validatePolicy failed', e);
    }
  }
  if (model.isDisposed() || model.getValue() !== text) return findings;
  monaco.editor.setModelMarkers(model, 'iam', toMarkers(model, findings));
  return findings;
}

export function whenCatalogLoads(f: () => void): () => void {
  onCatalog.add(f);
  return () => onCatalog.delete(f);
}
