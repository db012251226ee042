/**
 * Requests that look like AWS's. Every request the product shows (a counterexample, an early
 * witness, Learn's request for a statement) names a resource of the action's own resource type, in a
 * real region and account, with ids shaped like AWS's, and context values of each key's type. This
 * module proposes such values; it never decides anything: the solver's decoding keeps a proposal only
 * when it satisfies exactly the literals the model chose for that dimension, and the evaluator
 * re-checks every request before it is shown.
 *
 * - Resources: the action's resource types' ARN formats (Service Authorization Reference, from the
 *   catalog) with their `${Placeholders}` filled (`arn:aws:s3:::amzn-s3-demo-bucket` for a bucket, a
 *   role ARN for `iam:PassRole`); `*` for an action without a resource type. A policy's pattern
 *   (`arn:aws:logs:*:*:log-group:/aws/lambda/*`) is filled so that it also has the format's shape
 *   (region `us-east-1`, account `111122223333`, the log group's name where the `*` is).
 * - Context values: by the key's name and catalog type (an IP for `aws:SourceIp`, an ARN for ARN keys,
 *   a date for Date keys, a tag value for tags, `true` for Bool...), never empty.
 * Pure functions over the catalog: no solver, no evaluator.
 */
import { arnMatches, globMatches } from '../policy/glob.ts';
import { parseCidr } from '../policy/values.ts';
import type { Catalog } from './catalog.ts';

/** The region, accounts and ids AWS's own documentation uses. */
const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const SOURCE_IP = '203.0.113.10';

/** EC2's resource ids, whose form is `prefix-` and 17 hex digits. */
const HEX_ID_PREFIX: Record<string, string> = {
  instanceid: 'i',
  volumeid: 'vol',
  vpcid: 'vpc',
  subnetid: 'subnet',
  securitygroupid: 'sg',
  imageid: 'ami',
  snapshotid: 'snap',
  networkinterfaceid: 'eni',
  launchtemplateid: 'lt',
  internetgatewayid: 'igw',
  egressonlyinternetgatewayid: 'eigw',
  routetableid: 'rtb',
  natgatewayid: 'nat',
  transitgatewayid: 'tgw',
  vpcendpointid: 'vpce',
  dhcpoptionsid: 'dopt',
  networkaclid: 'acl',
  capacityreservationid: 'cr',
  allocationid: 'eipalloc',
  elasticipallocationid: 'eipalloc',
  customergatewayid: 'cgw',
  vpngatewayid: 'vgw',
  vpnconnectionid: 'vpn',
  dedicatedhostid: 'h',
  spotinstancerequestid: 'sir',
  prefixlistid: 'pl',
  keypairid: 'key',
  vpcpeeringconnectionid: 'pcx',
  placementgroupid: 'pg',
  fleetid: 'fleet',
};

/** Words of a CamelCase name in kebab case: `LogGroup` -> `log-group`, `DBInstance` -> `db-instance`. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * A realistic value for one placeholder of an ARN format (`Region`, `BucketName`, `InstanceId`...).
 * `variant` 1 gives a second, different value (another account and region, another name); 2 the
 * first in another partition (AWS GovCloud (US)): a resource of the action's type that a policy
 * written for `arn:aws:` does not name.
 */
function placeholderValue(name: string, variant = 0, service = ''): string {
  const n = name.toLowerCase();
  const two = (a: string, b: string) => (variant === 1 ? b : a);
  if (n === 'partition') return variant === 2 ? 'aws-us-gov' : 'aws';
  if (n === 'region') return variant === 2 ? 'us-gov-west-1' : two(REGION, 'us-west-2');
  if (n === 'account' || n.endsWith('accountid') || n === 'awsaccountid') return two(ACCOUNT, OTHER_ACCOUNT);
  if (n.endsWith('withpath')) return placeholderValue(name.slice(0, -'WithPath'.length), variant, service);
  if (n === 'bucketname') return two('amzn-s3-demo-bucket', 'amzn-s3-demo-bucket2');
  if (n === 'objectname' || n === 'objectkey') return two('example.txt', 'photos/cat.jpg');
  const hex = service === 'ec2' ? HEX_ID_PREFIX[n] : undefined;
  if (hex) return `${hex}-${two('1234567890abcdef0', '0abcdef1234567890')}`;
  if (n === 'keyid')
    return two('1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321');
  if (n.includes('uuid'))
    return two('a1b2c3d4-5678-90ab-cdef-11111EXAMPLE', 'b2c3d4e5-6789-01ab-cdef-22222EXAMPLE');
  if (n === 'rolename') return two('Developer', 'Auditor');
  if (n === 'username' || n === 'federatedusername' || n === 'rolesessionname' || n === 'sessionname')
    return two('alice', 'bob');
  if (n === 'groupname') return two('Developers', 'Auditors');
  if (n === 'policyname') return two('ExamplePolicy', 'AuditPolicy');
  if (n === 'instanceprofilename') return two('WebServer', 'BatchWorker');
  if (n === 'secretid') return two('MySecret-a1b2c3', 'Other-d4e5f6');
  if (n.includes('epoch') || n.includes('timestamp')) return '1733356800';
  if (n === 'version' || n.endsWith('versionid') || n.endsWith('versionnumber') || n.endsWith('version'))
    return two('1', '2');
  if (n.endsWith('id') || n.endsWith('identifier') || n === 'token') return two('a1b2c3d4e5', 'f6g7h8i9j0');
  const words = kebab(name.replace(/(Name|Alias)$/, '')) || kebab(name);
  return `${two('my', 'other')}-${words}`;
}

/** An ARN format with every placeholder (and any `*`) filled in. */
function fillArnFormat(format: string, variant = 0): string {
  const service = format.split(':')[2] ?? '';
  return format
    .replace(/\$\{([^}]*)\}/g, (_, name: string) => placeholderValue(name, variant, service))
    .replace(/\*/g, 'example');
}

const formatRegExps = new Map<string, RegExp>();

/** What a placeholder of an ARN format may hold, for telling whether an ARN has the format's shape. */
function placeholderRe(name: string): string {
  const n = name.toLowerCase();
  if (n === 'partition') return 'aws(?:-[a-z]+)*';
  if (n === 'region') return '[a-z]{2}(?:-[a-z]+)+-\\d+';
  if (n === 'account' || n.endsWith('accountid')) return '\\d{12}';
  if (n === 'bucketname') return '[a-z0-9][a-z0-9.-]*';
  return '[^:]+';
}

/** Does `arn` have the shape of this ARN format (a real partition, region and account; no empty part)? */
export function fitsFormat(format: string, arn: string): boolean {
  let re = formatRegExps.get(format);
  if (!re) {
    let src = '';
    for (const piece of format.split(/(\$\{[^}]*\}|\*)/)) {
      if (piece === '*') src += '.*';
      else if (piece.startsWith('${') && piece.endsWith('}'))
        src += `(?:${placeholderRe(piece.slice(2, -1))})`;
      else src += piece.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`);
    formatRegExps.set(format, re);
  }
  return re.test(arn);
}

/** The ARN formats of an action's resource types (required ones first); undefined: not in the catalog. */
function actionFormats(catalog: Catalog, action: string): string[] | undefined {
  return catalog.action(action)?.resourceTypes.map((t) => t.arn);
}

/**
 * Does the request's resource have the shape of one of the action's resource types (`*` for an
 * action without any)? undefined when the catalog does not know the action.
 */
export function fitsAction(catalog: Catalog, action: string, resource: string): boolean | undefined {
  const formats = actionFormats(catalog, action);
  if (!formats) return undefined;
  if (!formats.length) return resource === '*';
  return formats.some((f) => fitsFormat(f, resource));
}

/** The fillings tried, in order: the usual one, another account and region, another partition. */
const VARIANTS = [0, 1, 2];

/**
 * Resources for an action, best first: each of its resource types' ARN format filled in (then a
 * second filling: another account, region and name; then the first in AWS GovCloud (US)); `*` when it
 * has no resource type; none when the catalog does not know the action.
 */
export function resourceCandidates(catalog: Catalog, action: string): string[] {
  const formats = actionFormats(catalog, action);
  if (!formats) return [];
  if (!formats.length) return ['*'];
  return unique(VARIANTS.flatMap((v) => formats.map((f) => fillArnFormat(f, v))));
}

type PToken = { t: 'lit'; c: string } | { t: 'star' } | { t: 'one' };
type FToken = { t: 'lit'; c: string } | { t: 'ph'; fill: string };

function patternTokens(pattern: string): PToken[] {
  return [...pattern].map((c): PToken =>
    c === '*' ? { t: 'star' } : c === '?' ? { t: 'one' } : { t: 'lit', c },
  );
}

function formatTokens(format: string, variant: number): FToken[] {
  const out: FToken[] = [];
  const service = format.split(':')[2] ?? '';
  for (const piece of format.split(/(\$\{[^}]*\}|\*)/)) {
    if (piece === '*') out.push({ t: 'ph', fill: 'example' });
    else if (piece.startsWith('${') && piece.endsWith('}'))
      out.push({ t: 'ph', fill: placeholderValue(piece.slice(2, -1), variant, service) });
    else for (const c of piece) out.push({ t: 'lit', c });
  }
  return out;
}

/**
 * A string that matches both a policy's pattern and an ARN format: the policy's text where it has
 * text, the format's realistic filling where the format has a placeholder and the pattern a `*` (so
 * `arn:aws:logs:*:*:log-group:/aws/lambda/*` with the log group format gives
 * `arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/my-log-group`). A search over (pattern
 * position, format position, inside a placeholder), memoised, preferences in order; undefined when
 * the two have no string in common. In the first five ARN segments a `*` does not take a `:`.
 */
export function mergePatternWithFormat(pattern: string, format: string, variant = 0): string | undefined {
  const P = patternTokens(pattern);
  const F = formatTokens(format, variant);
  // Colons before each pattern position: within the first five segments a wildcard stays in its segment.
  const colons: number[] = [];
  let seen = 0;
  for (const t of P) {
    colons.push(seen);
    if (t.t === 'lit' && t.c === ':') seen++;
  }
  const segmented = pattern.startsWith('arn:') && seen >= 5;
  const memo = new Map<number, string | null>();
  const go = (i: number, j: number, open: boolean): string | null => {
    const key = (i * (F.length + 1) + j) * 2 + (open ? 1 : 0);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    memo.set(key, null); // a cycle cannot happen (every step advances), but stay safe
    const r = step(i, j, open);
    memo.set(key, r);
    return r;
  };
  const then = (prefix: string, rest: string | null): string | null => (rest === null ? null : prefix + rest);
  const step = (i: number, j: number, open: boolean): string | null => {
    const p = P[i];
    const f = F[j];
    if (!p && !f) return '';
    if (!f) return p?.t === 'star' ? go(i + 1, j, open) : null;
    if (f.t === 'ph') {
      if (!p) return open ? go(i, j + 1, false) : null;
      if (p.t === 'lit') {
        // Close the placeholder when the pattern's text goes on with the format's, else absorb it.
        return (
          (open ? go(i, j + 1, false) : null) ??
          then(p.c, p.c === ':' && segmented && colons[i]! < 5 ? null : go(i + 1, j, true))
        );
      }
      if (p.t === 'one')
        return then(f.fill[0] ?? 'x', go(i + 1, j, true)) ?? (open ? go(i, j + 1, false) : null);
      // A `*` against a placeholder: the placeholder's filling is what the `*` stands for (the
      // rest of the name after the pattern's `/aws/lambda/` or `SC-`; nothing after `my-fn`), possibly
      // followed by more of the format.
      if (open) {
        const prev = P[i - 1];
        const afterSeparator = prev?.t === 'lit' && /[/:._-]/.test(prev.c);
        return (
          (afterSeparator ? then(f.fill, go(i + 1, j, true)) : null) ??
          go(i + 1, j, true) ??
          then(f.fill, go(i, j + 1, false)) ??
          go(i, j + 1, false)
        );
      }
      return (
        then(f.fill, go(i + 1, j + 1, false)) ?? then(f.fill, go(i, j + 1, false)) ?? go(i + 1, j, false)
      );
    }
    // f is a literal character
    if (open) return null; // (only reached from a placeholder; closing happens above)
    if (!p) return null;
    if (p.t === 'lit') return p.c === f.c ? then(f.c, go(i + 1, j + 1, false)) : null;
    if (p.t === 'one')
      return f.c === ':' && segmented && colons[i]! < 5 ? null : then(f.c, go(i + 1, j + 1, false));
    // a `*` against the format's text: empty first, then take one character and stay
    const inSegment = segmented && colons[i]! < 5;
    return go(i + 1, j, false) ?? (f.c === ':' && inSegment ? null : then(f.c, go(i, j + 1, false)));
  };
  const out = go(0, 0, false);
  return out === null ? undefined : out;
}

/** Default text for each of the first five ARN segments when no format says better. */
const SEGMENT_DEFAULTS = ['arn', 'aws', 's3', REGION, ACCOUNT];

/**
 * A pattern's wildcards filled without a format (for an ARN: a real partition, region and account);
 * a `*` right
 * after a path word is a name for it (`backup/*` -> `backup/my-backup`), `example` elsewhere.
 */
export function fillPlain(pattern: string): string {
  const parts = pattern.split(':');
  if (!pattern.startsWith('arn:') || parts.length < 6) return fillWords(pattern);
  const head = parts.slice(0, 5).map((seg, i) => {
    if (!/[*?]/.test(seg)) return seg;
    const dflt = SEGMENT_DEFAULTS[i]!;
    return globMatches(seg, dflt) ? dflt : seg.replace(/\*/g, '').replace(/\?/g, i === 4 ? '1' : 'x');
  });
  return [...head, fillWords(parts.slice(5).join(':'))].join(':');
}

function fillWords(text: string): string {
  return text
    .replace(
      /(^|[/:])([A-Za-z][A-Za-z0-9-]*)([/:])\*/g,
      (_, pre: string, word: string, sep: string) => `${pre}${word}${sep}my-${kebab(word)}`,
    )
    .replace(/\*/g, 'example')
    .replace(/\?/g, 'x');
}

/**
 * Resources that match a policy's Resource pattern, best first: the action's formats filled in where
 * the pattern allows them, then the pattern merged with each format, then the pattern filled plainly.
 * Patterns with policy variables are left to the caller (their keys need values too).
 */
export function resourcesForPattern(catalog: Catalog | undefined, action: string, pattern: string): string[] {
  if (pattern.includes('${')) return [];
  if (!/[*?]/.test(pattern)) return [pattern];
  const formats = (catalog && actionFormats(catalog, action)) ?? [];
  const out: string[] = [];
  if (pattern === '*') {
    out.push(...(catalog ? resourceCandidates(catalog, action) : []));
  } else {
    for (const v of VARIANTS) for (const f of formats) out.push(fillArnFormat(f, v));
    for (const v of VARIANTS)
      for (const f of formats) {
        const m = mergePatternWithFormat(pattern, f, v);
        if (m !== undefined) out.push(m);
      }
  }
  if (pattern !== '*') out.push(fillPlain(pattern));
  const matching = unique(out).filter((r) => arnMatches(pattern, r));
  return stableSortBy(matching, (r) => (formats.some((f) => fitsFormat(f, r)) ? 0 : 1));
}

const firstMemo = new WeakMap<Catalog, Map<string, string | null>>();

/**
 * The best of resourcesForPattern, found lazily (a filled format the pattern allows, else the first
 * merge that has a format's shape, else the pattern filled plainly); remembered per catalog. For the
 * early witnesses, which try many actions in a few milliseconds.
 */
export function firstResourceForPattern(
  catalog: Catalog,
  action: string,
  pattern: string,
): string | undefined {
  let memo = firstMemo.get(catalog);
  if (!memo) firstMemo.set(catalog, (memo = new Map()));
  const key = `${action.toLowerCase()}\n${pattern}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  if (memo.size > 20000) memo.clear();
  const found = firstResource(catalog, action, pattern);
  memo.set(key, found ?? null);
  return found;
}

function firstResource(catalog: Catalog, action: string, pattern: string): string | undefined {
  if (pattern.includes('${')) return undefined;
  if (!/[*?]/.test(pattern)) return pattern;
  if (pattern === '*') return resourceCandidates(catalog, action)[0];
  const formats = actionFormats(catalog, action) ?? [];
  for (const v of VARIANTS)
    for (const f of formats) {
      const r = fillArnFormat(f, v);
      if (arnMatches(pattern, r)) return r;
    }
  let merged: string | undefined;
  for (const f of formats) {
    const m = mergePatternWithFormat(pattern, f);
    if (m === undefined || !arnMatches(pattern, m)) continue;
    if (fitsFormat(f, m)) return m;
    merged ??= m;
  }
  if (merged !== undefined) return merged;
  const plain = fillPlain(pattern);
  return arnMatches(pattern, plain) ? plain : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Condition keys

/** A tag's value, from the tag key's name. */
function tagValue(tagKey: string): string[] {
  const k = tagKey.toLowerCase();
  if (/env|stage/.test(k)) return ['production', 'staging'];
  if (/owner|user|creator/.test(k)) return ['alice', 'bob'];
  if (/project/.test(k)) return ['alpha', 'beta'];
  if (/cost|center/.test(k)) return ['12345', '67890'];
  if (/name/.test(k)) return ['web-server', 'batch-worker'];
  if (/dept|department|team|group/.test(k)) return ['engineering', 'finance'];
  return ['engineering', 'finance'];
}

const SERVICE_PRINCIPALS = ['ec2.amazonaws.com', 'lambda.amazonaws.com'];

/** An ARN for an ARN-typed key: a resource type of the key's service named in the key (`ec2:SourceInstanceArn`). */
function arnValues(catalog: Catalog | undefined, key: string): string[] {
  const [service = '', name = ''] = key.split(':');
  const lower = name.toLowerCase();
  const out: string[] = [];
  if (catalog && service !== 'aws') {
    const types = new Map<string, string>();
    for (const a of catalog.serviceActions(service))
      for (const t of a.resourceTypes) types.set(t.name, t.arn);
    const named = [...types.entries()]
      .filter(([t]) => lower.includes(t.replace(/[^a-z0-9]/gi, '').toLowerCase()))
      .sort((a, b) => b[0].length - a[0].length);
    out.push(...named.map(([, arn]) => fillArnFormat(arn)));
  }
  if (/role/.test(lower)) out.push(`arn:aws:iam::${ACCOUNT}:role/Developer`);
  if (/vpc/.test(lower)) out.push(`arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1234567890abcdef0`);
  if (/function/.test(lower)) out.push(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:my-function`);
  out.push(`arn:aws:s3:::amzn-s3-demo-bucket`, `arn:aws:sns:${REGION}:${ACCOUNT}:my-topic`);
  return out;
}

/**
 * Values for a condition key, best first, by the key's name and the catalog's type for it: an IP
 * address for `aws:SourceIp`, an ARN for ARN keys, a date for Date keys, a tag value for tags,
 * `true`/`false` for Bool, an account id for account keys... Never empty strings.
 */
export function valueCandidates(catalog: Catalog | undefined, key: string): string[] {
  if (!catalog) return valuesOf(undefined, key);
  let memo = valueMemo.get(catalog);
  if (!memo) valueMemo.set(catalog, (memo = new Map()));
  let v = memo.get(key);
  if (!v) {
    if (memo.size > 5000) memo.clear();
    memo.set(key, (v = valuesOf(catalog, key)));
  }
  return v;
}

const valueMemo = new WeakMap<Catalog, Map<string, string[]>>();

function valuesOf(catalog: Catalog | undefined, key: string): string[] {
  const lower = key.toLowerCase();
  const type = catalog?.conditionKey(key)?.type.replace(/^ArrayOf/, '') ?? '';
  const slash = key.indexOf('/');
  const name = lower.slice(lower.indexOf(':') + 1, slash < 0 ? undefined : slash);
  if (slash >= 0 && /tag$/.test(name)) return tagValue(key.slice(slash + 1));
  const untyped = type === '' || type === 'String';
  if (type === 'Bool' || (untyped && /present$|securetransport$|^viaaws|isawsservice$/.test(name)))
    return ['true', 'false'];
  if (type === 'IPAddress' || (untyped && /sourceip$|ipaddress$/.test(name)))
    return [SOURCE_IP, '198.51.100.7'];
  if (type === 'Date' || (untyped && /time$|date$/.test(name)))
    return ['2024-06-01T12:00:00Z', '2025-01-15T08:30:00Z'];
  if (type === 'Numeric') return /age$/.test(name) ? ['3600', '300'] : ['1', '5'];
  if (type === 'ARN' || /arn$/.test(name)) return arnValues(catalog, lower);
  if (/tagkeys$/.test(name)) return ['team', 'project'];
  if (/account$/.test(name)) return [ACCOUNT, OTHER_ACCOUNT];
  if (/orgid$/.test(name)) return ['o-a1b2c3d4e5', 'o-f6g7h8i9j0'];
  if (/orgpaths$/.test(name)) return ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/', 'o-a1b2c3d4e5/r-ab12/'];
  if (/region$/.test(name)) return [REGION, 'eu-west-1'];
  if (/vpce$/.test(name)) return ['vpce-1234567890abcdef0', 'vpce-0abcdef1234567890'];
  if (/vpc$/.test(name)) return ['vpc-1234567890abcdef0', 'vpc-0abcdef1234567890'];
  if (lower === 'kms:viaservice') return [`ec2.${REGION}.amazonaws.com`, `s3.${REGION}.amazonaws.com`];
  if (/calledvia|service/.test(name)) return SERVICE_PRINCIPALS;
  if (/useragent$/.test(name)) return ['aws-cli/2.17.0 Python/3.11.9 Linux/6.1', 'Boto3/1.34.0'];
  if (/referer$/.test(name)) return ['https://www.example.com/', 'https://app.example.com/'];
  if (/identity$|username$|sessionname$|userid$/.test(name)) return ['alice', 'bob'];
  if (/provider$/.test(name)) return ['cognito-identity.amazonaws.com', 'accounts.google.com'];
  if (/instancetype$/.test(name)) return ['t3.micro', 'm5.large'];
  if (/prefix$/.test(name)) return ['home/alice/', 'reports/'];
  if (/externalid$/.test(name)) return ['Unique-ID-4f2a', 'Unique-ID-9c1e'];
  if (lower === 'kms:grantoperations') return ['Decrypt', 'GenerateDataKey'];
  if (/encryptioncontextkeys$/.test(name)) return ['Department', 'Project'];
  if (/resourcetypes?$/.test(name)) return ['AWS::S3::Bucket', 'AWS::EC2::Instance'];
  if (lower === 'events:source') return ['aws.ec2', 'aws.s3'];
  if (/type$/.test(name)) return ['standard', 'custom'];
  if (/id$/.test(name)) return ['a1b2c3d4e5', 'f6g7h8i9j0'];
  const word = kebab(key.slice(key.indexOf(':') + 1).replace(/Name$/, ''));
  return /^[a-z][a-z0-9-]*$/.test(word) ? [`my-${word}`, `other-${word}`] : ['example', 'other'];
}

/**
 * An address a host could have inside a CIDR range (`10.0.0.0/8` -> `10.0.0.10`, not the network's
 * own address); the address itself for a plain address or a /32; undefined when the text is no range.
 */
export function addressIn(cidrText: string): string | undefined {
  const c = parseCidr(cidrText);
  if (!c) return undefined;
  const width = c.version === 4 ? 32 : 128;
  const hostBits = BigInt(width - c.prefix);
  const network = (c.value >> hostBits) << hostBits;
  const host = hostBits >= 4n ? 10n : hostBits > 0n ? 1n : c.value - network;
  const v = network + host;
  if (c.version === 4) return [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 255n)).join('.');
  const groups: string[] = [];
  for (let sh = 112n; sh >= 0n; sh -= 16n) groups.push(((v >> sh) & 0xffffn).toString(16));
  return groups.join(':');
}

/**
 * A condition key as the catalog spells it (`aws:principaltag/team` -> `aws:PrincipalTag/team`; the
 * part after `/` is kept as given); the key itself when the catalog does not know it.
 */
export function keySpelling(catalog: Catalog | undefined, key: string): string {
  if (!catalog) return key;
  const slash = key.indexOf('/');
  if (slash < 0) {
    const known = catalog.conditionKey(key)?.name;
    return known && !known.includes('/') ? known : key;
  }
  const prefix = tagPrefixes(catalog).get(key.slice(0, slash).toLowerCase());
  return prefix === undefined ? key : prefix + key.slice(slash);
}

const prefixCache = new WeakMap<Catalog, Map<string, string>>();

/** `aws:principaltag` -> `aws:PrincipalTag`: the part before `/` of every key with a suffix. */
function tagPrefixes(catalog: Catalog): Map<string, string> {
  let m = prefixCache.get(catalog);
  if (!m) {
    m = new Map();
    for (const k of catalog.conditionKeys()) {
      const slash = k.name.indexOf('/');
      if (slash > 0 && !m.has(k.name.slice(0, slash).toLowerCase()))
        m.set(k.name.slice(0, slash).toLowerCase(), k.name.slice(0, slash));
    }
    prefixCache.set(catalog, m);
  }
  return m;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function stableSortBy<T>(xs: T[], rank: (x: T) => number): T[] {
  return xs
    .map((x, i) => ({ x, i, r: rank(x) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.x);
}
