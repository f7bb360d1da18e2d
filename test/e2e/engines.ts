/** Shared helpers of the end-to-end suite: the engines to run on (with skip reasons) and built filters. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioEngines } from '../../harness/dataplane/scenario.ts';
import type { EngineName } from '../../harness/dataplane/engines.ts';

export const REPO = join(import.meta.dirname, '../..');

export interface EngineCase {
  engine: EngineName;
  available: boolean;
  /** Describe title; carries the skip reason when the engine is unavailable. */
  title: string;
}

/** Every engine; unavailable ones carry their reason (and a warning is printed once per file). */
export function engineCases(): EngineCase[] {
  return scenarioEngines().map(({ engine, availability }) => {
    if (availability.available) return { engine, available: true, title: `on ${engine}` };
    const title = `on ${engine} — skipped: ${availability.reason} (${availability.hint})`;
    console.warn(title);
    return { engine, available: false, title };
  });
}

/** Path of `dist/filters/<name>.wasm`, or null when it has not been built. */
export function builtFilter(name: string): string | null {
  const path = join(REPO, 'dist/filters', `${name}.wasm`);
  return existsSync(path) ? path : null;
}

export function skipReasonForFilter(name: string): string {
  return `dist/filters/${name}.wasm not built (run npm run build)`;
}

/** `filters/<name>/example.json` when the filter engineer wrote one. */
export function exampleConfig(name: string): unknown {
  const path = join(REPO, 'filters', name, 'example.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}
