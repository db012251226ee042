/**
 * Catalog actions grouped into classes: all actions with the same signature over the action atoms
 * (which atoms they make true), so a model of the skeleton names a class and a class a real action.
 * The class selector is a bit-vector constant `cls`. For the symbolic phase (an action outside the
 * catalog): the atoms that only name catalog actions, and one flag per service with at most one set.
 */
import type { CatalogAction } from '../catalog/catalog.ts';
import type { Atom } from './atoms.ts';
import type { Deadline } from './context.ts';
import type { Encoder } from './encode.ts';
import { atMostOne, bvar, fand, fimplies, forr, type Formula } from './formula.ts';
import { compileMatcher } from './regex.ts';

/** Catalog actions with one signature (`sig[i]`: the action atom i holds for them). */
export interface ActionClass {
  sig: boolean[];
  actions: CatalogAction[];
}

/**
 * The class selector is a bit-vector, so "cls is one of these" is pure propositional logic after
 * bit-blasting. (Equalities of an Int or Real with hundreds of constants sent Z3 5.1 into timeouts
 * on ten-variable problems.)
 */
export function clsWidth(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n + 1)));
}

/** "`cls` is one of `indices`", for a selector of `width` bits. */
export function clsIn(indices: number[], width: number): string {
  const eq = (i: number) => `(= cls (_ bv${i} ${width}))`;
  if (indices.length === 1) return eq(indices[0]!);
  return `(or ${indices.map(eq).join(' ')})`;
}

/** A bit-vector value as Z3 prints it (#b…, #x…, or (_ bvN w)). */
export function bvValue(text: string): number {
  if (text.startsWith('#b')) return parseInt(text.slice(2), 2);
  if (text.startsWith('#x')) return parseInt(text.slice(2), 16);
  const m = /bv(\d+)/.exec(text);
  return m ? Number(m[1]) : NaN;
}

/**
 * Action atoms that only list catalog actions by name (no wildcard): false for every action outside
 * the catalog, which is what the symbolic phase looks for.
 */
export function catalogOnlyAtoms(enc: Encoder, isCatalogAction: (key: string) => boolean): Atom[] {
  return enc.dims
    .get('action')!
    .atoms.filter((a) => a.actionPatterns?.every((p) => !/[*?]/.test(p) && isCatalogAction(p)));
}

/**
 * An action has one service (the text before its first ':'). An atom whose patterns all start with a
 * literal service implies that the action's service is one of those (one flag per service, at most
 * one flag set), so atoms of different services exclude each other without a lemma per pair.
 */
export function serviceAxioms(enc: Encoder): Formula {
  const ids = new Map<string, number>();
  const out: Formula[] = [];
  for (const a of enc.dims.get('action')!.atoms) {
    const services = new Set<string>();
    for (const p of a.actionPatterns ?? ['*']) {
      const c = p.indexOf(':');
      const svc = c < 0 ? '*' : p.slice(0, c);
      if (/[*?]/.test(svc)) {
        services.clear();
        break;
      }
      services.add(svc);
    }
    if (!services.size) continue;
    const flags = [...services].map((sv) => {
      let id = ids.get(sv);
      if (id === undefined) ids.set(sv, (id = ids.size));
      return bvar(`svc_${id}`);
    });
    out.push(fimplies(bvar(a.name), forr(...flags)));
  }
  out.push(
    atMostOne(
      [...ids.values()].map((id) => bvar(`svc_${id}`)),
      'svc_amo',
    ),
  );
  return fand(...out);
}

/** Computes catalog action classes over the action atoms. */
export function actionClasses(
  enc: Encoder,
  actions: CatalogAction[],
  deadline?: Deadline,
): { classes: ActionClass[]; atoms: Atom[] } | undefined {
  const atoms = enc.dims.get('action')!.atoms;
  // Each atom is tested per service: only its patterns for that service (and those with a wildcard
  // in the service part) can match, so a 1,500-pattern statement costs a few small regexes per action
  // instead of one huge alternation (measured: 1.2 s for ReadOnlyAccess against 22,000 actions).
  const testers = atoms.map((a) => serviceTester(enc, a));
  const byKey = new Map<string, ActionClass>();
  // Per service, only the atoms that can match one of its actions are tested.
  const perService = new Map<string, { idx: number; test: (key: string) => boolean }[]>();
  for (const [n, action] of actions.entries()) {
    if ((n & 1023) === 1023 && deadline?.expired()) return undefined;
    let tests = perService.get(action.service);
    if (!tests) {
      tests = [];
      for (let i = 0; i < testers.length; i++) {
        const test = testers[i]!(action.service);
        if (test !== NEVER) tests.push({ idx: i, test });
      }
      perService.set(action.service, tests);
    }
    let key = '';
    for (const t of tests) if (t.test(action.key)) key += `${t.idx},`;
    let cls = byKey.get(key);
    if (!cls) {
      const sig = new Array<boolean>(atoms.length).fill(false);
      for (const i of key.split(',')) if (i) sig[Number(i)] = true;
      cls = { sig, actions: [] };
      byKey.set(key, cls);
    }
    cls.actions.push(action);
  }
  return { classes: [...byKey.values()], atoms };
}

const NEVER = (): boolean => false;

/** For an action atom: the test it makes on actions of one service. */
function serviceTester(enc: Encoder, a: Atom): (service: string) => (key: string) => boolean {
  if (!a.actionPatterns) {
    const m = enc.matcher(a);
    return () => m;
  }
  const bySvc = new Map<string, string[]>();
  const anySvc: string[] = [];
  for (const p of a.actionPatterns) {
    const c = p.indexOf(':');
    const svc = c < 0 ? p : p.slice(0, c);
    if (c < 0 || /[*?]/.test(svc)) anySvc.push(p);
    else bySvc.set(svc, [...(bySvc.get(svc) ?? []), p]);
  }
  const any = anySvc.length ? compileMatcher(enc.actionRe(anySvc)) : undefined;
  return (service) => {
    const own = bySvc.get(service);
    const m = own ? compileMatcher(enc.actionRe(own)) : undefined;
    if (m && any) return (key) => m(key) || any(key);
    return m ?? any ?? NEVER;
  };
}
