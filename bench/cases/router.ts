/**
 * Router benchmark cases: 1, 10 and 50 rules. Every rule but the last fails on its header condition, so
 * the request walks all rules before the last one matches (the worst case of first-match-wins), then
 * the action sets the routing header. A sticky-split case adds the cookie scan and the hash.
 */
import type { BenchCase } from '../case.ts';
import { BENCH_REQUEST_HEADERS } from '../fixed-host.ts';

function rules(n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n - 1; i++) {
    out.push({ name: `r${i}`, match: { headers: [{ name: 'x-group', exact: `g${i}` }], path: { prefix: '/api/' } }, action: { set: `v${i}` } });
  }
  out.push({ name: 'last', match: { path: { prefix: '/api/' }, method: 'GET' }, action: { split: [{ value: 'stable', weight: 90 }, { value: 'canary', weight: 10 }] } });
  return out;
}

const headers: [string, string][] = [...BENCH_REQUEST_HEADERS, ['x-group', 'other'], ['cookie', 'theme=dark; session=abc123']];

export const cases: BenchCase[] = [
  ...[1, 10, 50].map((n): BenchCase => ({
    name: `router (${n} rule${n === 1 ? '' : 's'}, last matches)`,
    wasm: 'dist/filters/router.wasm',
    rootId: 'router',
    configuration: JSON.stringify({ rules: rules(n) }),
    requestHeaders: headers,
  })),
  {
    name: 'router (sticky split by cookie)',
    wasm: 'dist/filters/router.wasm',
    rootId: 'router',
    configuration: JSON.stringify({ rules: [{ name: 's', action: {
      split: [{ value: 'stable', weight: 90 }, { value: 'canary', weight: 10 }], stickyBy: { cookie: 'session' },
    } }] }),
    requestHeaders: headers,
  },
];

export default cases;
