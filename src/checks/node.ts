/** Node entry point: an Engine on the real Z3 build and the pinned catalog (tests, CLI, bench). */
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { nodeRunner } from '../smt/runner-node.ts';
import { Engine } from './engine.ts';

let enginePromise: Promise<Engine> | undefined;

export function createNodeEngine(): Promise<Engine> {
  enginePromise ??= Promise.all([nodeRunner(), loadDefaultCatalog()]).then(([r, c]) => new Engine(r, c));
  return enginePromise;
}
