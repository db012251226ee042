/**
 * Where the validator's findings go: a collector that turns spans into locations (line starts are
 * computed once per document; the parser's `locate` rescans the text) and the order findings are
 * shown in.
 */
import type { Node } from 'jsonc-parser';
import type { Finding, FindingLocation, FindingType, JsonPath, Span } from '../model.ts';

type Locator = (span: Span, path: JsonPath) => FindingLocation;

function makeLocator(text: string): Locator {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const at = (offset: number): { line: number; column: number; offset: number } => {
    const o = Math.min(offset, text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - (starts[lo] ?? 0), offset };
  };
  return (span, path) => ({ path, span, start: at(span.start), end: at(span.end) });
}

/** A place in the document: the span of a key or value and its JSON path. */
export interface Place {
  span: Span;
  path: JsonPath;
}

export class Out {
  readonly findings: Finding[] = [];
  /** findings that only say the catalog does not know a name (see admitPolicy) */
  readonly catalogOnly = new Set<Finding>();
  private readonly loc: Locator;
  constructor(text: string) {
    this.loc = makeLocator(text);
  }
  add(
    type: FindingType,
    code: string,
    details: string,
    span: Span,
    path: JsonPath,
    ...also: Place[]
  ): Finding {
    const locations = [this.loc(span, path), ...also.map((p) => this.loc(p.span, p.path))];
    const f: Finding = { findingType: type, issueCode: code, findingDetails: details, locations };
    this.findings.push(f);
    return f;
  }
}

export function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** By the position of the first location; findings at the same place keep the order they were found in. */
export function sortByPosition<F extends Finding>(findings: F[]): F[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const x = a.f.locations[0]?.span;
      const y = b.f.locations[0]?.span;
      return (x?.start ?? 0) - (y?.start ?? 0) || (x?.end ?? 0) - (y?.end ?? 0) || a.i - b.i;
    })
    .map((e) => e.f);
}
