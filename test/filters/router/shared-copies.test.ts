// filters/router and filters/fault each build on their own (a filter's build inputs are its folder and
// filters/sdk), so the few helpers both need exist as identical copies. This test keeps them identical.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';

const shared = ['text.ts', 'fnv1a.ts', 'random.ts', 'decision.ts', 'header-matcher.ts', 'request-view.ts', 'methods.ts'];

describe('helpers shared by router and fault', () => {
  it.each(shared)('%s is identical in both filters', (file) => {
    const router = readFileSync(`${repoRoot}/filters/router/${file}`, 'utf8');
    const fault = readFileSync(`${repoRoot}/filters/fault/${file}`, 'utf8');
    expect(fault).toBe(router);
  });
});
