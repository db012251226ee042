/**
 * ===== EXTENSION HOOK: extra benchmark sections =====
 *
 * `npm run bench` runs the CheckNoNewAccess sections (bench.ts) and then every section in
 * `extraBenchSections`, in order, in the same process and with the same engine. To add the
 * recommendation or web-worker benches, write a `BenchSection` in its own file under src/bench/ and
 * push it here, e.g.
 *
 *   import { recommendSection } from './recommend-section.ts';
 *   extraBenchSections.push(recommendSection);
 *
 * A section honours `ctx.filter` / `ctx.limit` for quick runs, prints its report with `ctx.log`, and
 * returns JSON that `--json` writes under `sections[<name>]` in .bench-out/.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Engine } from '../checks/engine.ts';
import { recommendSection } from './recommend-section.ts';
import { scenarioSection } from './scenario-section.ts';
import { testsSection } from './tests-section.ts';
import { serviceAwareSection } from './service-aware-section.ts';

export interface BenchContext {
  engine: Engine;
  catalog: Catalog;
  timeoutMs: number;
  /** only cases whose name contains this (case-insensitive) */
  filter?: string;
  /** at most this many cases per set */
  limit?: number;
  /** prints one line of the human report (stdout) */
  log: (line?: string) => void;
  /** progress / warnings (stderr) */
  progress: (line: string) => void;
}

interface BenchSectionResult {
  /** machine-readable results for --json */
  json: unknown;
  /** wrong answers found by the section (the bench exits 1 when any section reports some) */
  mismatches: number;
}

export interface BenchSection {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchSectionResult>;
}

export const extraBenchSections: BenchSection[] = [
  recommendSection,
  scenarioSection,
  serviceAwareSection,
  testsSection,
];
