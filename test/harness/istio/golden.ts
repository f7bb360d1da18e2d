/** Golden-file comparison: `UPDATE_GOLDEN=1 npx vitest run test/harness/istio` rewrites the files (review the diff). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/oci');

export function expectGolden(actual: string, name: string): void {
  const path = join(FIXTURES, 'manifests', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; create it with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
