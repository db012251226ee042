/**
 * The `test` command's reports: the JUnit XML is read back by a small well-formedness checker (the
 * XML 1.0 rules a CI reader relies on: one root, matched tags, quoted and unique attributes, every
 * `&` an entity, no `<` in text or attributes, only XML characters) and its structure checked
 * (counts, one testcase per test, failure / error / skipped); names that need escaping round-trip.
 */
import { describe, expect, it } from 'vitest';
import type { RunTestsOutcome, TestResult } from '../checks/policy-tests.ts';
import { decidedBy, junitReport, requestLine, textReport } from './test-report.ts';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** A character XML 1.0 allows (Char production). */
const isXmlChar = (c: number): boolean =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

/** Parses the XML this module writes, throwing at the first thing a conforming parser would refuse. */
function parseXml(xml: string): XmlNode {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed at ${i} (${why}): ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  for (const ch of xml)
    if (!isXmlChar(ch.codePointAt(0)!)) fail(`character U+${ch.codePointAt(0)!.toString(16)}`);
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('< in text or attribute');
    return raw.replace(/&([^;&]*);?/g, (m, body: string) => {
      if (!m.endsWith(';')) return fail(`bare & in ${JSON.stringify(raw)}`);
      if (body in ENTITIES) return ENTITIES[body]!;
      const n = /^#(\d+)$/.exec(body)
        ? Number(body.slice(1))
        : /^#x[0-9a-fA-F]+$/.test(body)
          ? parseInt(body.slice(2), 16)
          : NaN;
      if (!isXmlChar(n)) fail(`entity ${m}`);
      return String.fromCodePoint(n);
    });
  };
  const name = (): string => {
    const m = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i));
    if (!m) return fail('a name');
    i += m[0].length;
    return m[0];
  };
  const space = (): boolean => {
    const start = i;
    while (/\s/.test(xml[i] ?? '')) i++;
    return i > start;
  };
  const element = (): XmlNode => {
    if (xml[i] !== '<') fail('<');
    i++;
    const node: XmlNode = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const spaced = space();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (!spaced) fail('space before an attribute');
      const attr = name();
      if (attr in node.attrs) fail(`attribute ${attr} twice`);
      if (xml[i] !== '=') fail('=');
      const quote = xml[++i];
      if (quote !== '"' && quote !== "'") fail('a quoted value');
      const end = xml.indexOf(quote!, i + 1);
      if (end < 0) fail('the closing quote');
      node.attrs[attr] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== node.name) fail(`</${node.name}>`);
        space();
        if (xml[i] !== '>') fail('>');
        i++;
        return node;
      }
      if (xml[i] === '<') node.children.push(element());
      else {
        const end = xml.indexOf('<', i);
        if (end < 0) fail(`</${node.name}>`);
        node.text += decode(xml.slice(i, end));
        i = end;
      }
    }
  };
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(xml);
  if (!decl) fail('the XML declaration');
  i = decl![0].length;
  const root = element();
  space();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

const result = (r: Partial<TestResult> & Pick<TestResult, 'name' | 'status'>): TestResult => ({
  expect: 'never-allowed',
  message: `${r.status} message`,
  document: 'policy',
  stats: { elapsedMs: 12, solverCalls: 1 },
  ...r,
});

const REQUEST = {
  principal: { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:role/Deploy' },
  action: 's3:DeleteObject',
  resource: 'arn:aws:s3:::scratch-1/x',
  context: { 'aws:SourceIp': '10.0.0.1', 'aws:TagKeys': ['a', 'b'] },
};

const NASTY = 'a <b> & "c" \'d\' ]]> tab\there\nnew line\r\u0001 \ud800 end';

const OUTCOME: Extract<RunTestsOutcome, { ok: true }> = {
  ok: true,
  results: [
    result({ name: 'passes', status: 'pass' }),
    result({
      name: NASTY,
      status: 'fail',
      message: 'This request is allowed: s3:DeleteObject on <x> & "y"',
      scope: 's3:Delete* (23 catalog actions) on every resource',
      decision: 'Allowed',
      example: {
        request: REQUEST,
        grantedBy: [{ document: 'policy', statementIndex: 1, statementId: 'Scratch' }],
      },
    }),
    result({ name: 'no witness', status: 'fail', expect: 'sometimes-allowed', scope: 'nothing at all' }),
    result({ name: 'undecided', status: 'unknown', message: 'The solver could not decide: timeout.' }),
    result({
      name: 'broken',
      status: 'error',
      message: 'The test cannot run: bad <value>',
      error: { code: 'INVALID_VALUE', message: 'bad <value>' },
    }),
  ],
  summary: { passed: 1, failed: 2, unknown: 1, errors: 1, elapsedMs: 1234 },
};

describe('JUnit XML', () => {
  const xml = junitReport(OUTCOME, 'tests & more.json');
  const root = parseXml(xml);

  it('is well-formed, with one suite holding the counts CI reads', () => {
    expect(root.name).toBe('testsuites');
    expect(root.children.map((c) => c.name)).toEqual(['testsuite']);
    const suite = root.children[0]!;
    for (const node of [root, suite])
      expect(node.attrs).toMatchObject({
        name: 'tests & more.json',
        tests: '5',
        failures: '2',
        errors: '1',
        skipped: '1',
        time: '1.234',
      });
    expect(suite.children.map((c) => c.name)).toEqual(Array(5).fill('testcase'));
    const kinds = suite.children.map((c) => c.children.map((x) => x.name).join());
    expect(kinds).toEqual(['', 'failure', 'failure', 'skipped', 'error']);
    expect(suite.children.every((c) => c.attrs.classname === 'policy' && c.attrs.time === '0.012')).toBe(
      true,
    );
  });

  it('escapes names, messages and counterexamples; characters XML cannot hold are replaced', () => {
    const suite = root.children[0]!;
    const nasty = suite.children[1]!;
    expect(nasty.attrs.name).toBe(NASTY.replace('\u0001', '\uFFFD').replace('\ud800', '\uFFFD'));
    const failure = nasty.children[0]!;
    expect(failure.attrs).toMatchObject({
      message: 'This request is allowed: s3:DeleteObject on <x> & "y"',
      type: 'never-allowed',
    });
    expect(failure.text).toContain(
      'request: s3:DeleteObject on arn:aws:s3:::scratch-1/x by arn:aws:iam::111122223333:role/Deploy with aws:SourceIp=10.0.0.1, aws:TagKeys=[a, b]',
    );
    expect(failure.text).toContain('decided: Allowed by policy statement 1 (Scratch)');
    expect(failure.text).toContain(`request as JSON (for evaluate --request): ${JSON.stringify(REQUEST)}`);
    expect(suite.children[2]!.children[0]!.text).toContain('searched: nothing at all');
    expect(suite.children[3]!.children[0]!.attrs.message).toBe(
      'UNKNOWN: The solver could not decide: timeout.',
    );
    expect(suite.children[4]!.children[0]!.attrs).toMatchObject({
      type: 'INVALID_VALUE',
      message: 'The test cannot run: bad <value>',
    });
    // line breaks and tabs in attributes are references, so a parser keeps them
    expect(xml).not.toMatch(/="[^"]*[\n\t][^"]*"/);
  });

  it('the checker refuses what a CI reader would', () => {
    for (const bad of [
      '<?xml version="1.0" encoding="UTF-8"?><a><b></a>',
      '<?xml version="1.0" encoding="UTF-8"?><a x="1" x="2"/>',
      '<?xml version="1.0" encoding="UTF-8"?><a>x & y</a>',
      '<?xml version="1.0" encoding="UTF-8"?><a x="<"/>',
      '<?xml version="1.0" encoding="UTF-8"?><a>\u0001</a>',
      '<?xml version="1.0" encoding="UTF-8"?><a/><b/>',
    ])
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
  });
});

describe('the text report', () => {
  it('one line per test, a failing test with its request and who decided, then the summary', () => {
    const lines = textReport(OUTCOME).trimEnd().split('\n');
    expect(lines[0]).toBe('PASS    passes: pass message');
    expect(lines[1]).toMatch(/^FAIL {4}a <b> .* new line .* end: This request is allowed/);
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => l.startsWith('        request: '))).toHaveLength(1);
    expect(lines).toContain('        decided: Allowed by policy statement 1 (Scratch)');
    expect(lines.some((l) => l.startsWith('UNKNOWN undecided: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('ERROR   broken: '))).toBe(true);
    expect(lines.at(-1)).toBe('5 tests: 1 passed, 2 failed, 1 unknown, 1 error (1.234 s)');
  });

  it('who decided: the allowing or denying statements, or the deciding layer of a stack', () => {
    const ex = { request: REQUEST, grantedBy: [] };
    expect(
      decidedBy(
        result({
          name: 'x',
          status: 'fail',
          decision: 'ExplicitlyDenied',
          example: {
            ...ex,
            whyNot: { kind: 'deniedBy', statements: [{ document: 'new', statementIndex: 0 }] },
          },
        }),
      ),
    ).toBe('ExplicitlyDenied by new statement 0');
    expect(decidedBy(result({ name: 'x', status: 'fail', decision: 'ImplicitlyDenied', example: ex }))).toBe(
      'ImplicitlyDenied: no statement allows it',
    );
    const stack = {
      decision: 'ExplicitlyDenied' as const,
      decidedBy: { layer: 'scp' as const, level: 1, why: 'scp[1][0] statement 1 denies it' },
      layers: [],
    };
    expect(
      decidedBy(
        result({ name: 'x', status: 'fail', decision: 'ExplicitlyDenied', example: { ...ex, stack } }),
      ),
    ).toMatch(/^ExplicitlyDenied by .*level 1: scp\[1\]\[0\] statement 1 denies it$/);
    const layer = {
      layer: 'scp' as const,
      level: 1,
      applies: true,
      why: '',
      decision: 'Deny' as const,
      allowedBy: [],
      deniedBy: [{ document: 'scp[1][0]', statementIndex: 1, statementId: 'Regions' }],
    };
    expect(
      decidedBy(
        result({
          name: 'x',
          status: 'fail',
          decision: 'ExplicitlyDenied',
          example: { ...ex, stack: { ...stack, layers: [layer] } },
        }),
      ),
    ).toMatch(/^ExplicitlyDenied by scp\[1\]\[0\] statement 1 \(Regions\) \(.*level 1\)$/);
    expect(requestLine({ action: 'a:b', resource: '*', context: {} })).toBe('a:b on * by (implicit caller)');
  });
});
