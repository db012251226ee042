import type { FindingLocation, JsonPath, Span } from './model.ts';

/** 0-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart, offset };
}

export function locate(text: string, span: Span, path: JsonPath): FindingLocation {
  return { path, span, start: lineColumn(text, span.start), end: lineColumn(text, span.end) };
}
