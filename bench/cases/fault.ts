/**
 * Fault benchmark cases: the decision path of a matching request that gets no fault (percentage 0, so
 * every request runs matching, the request-id hash and the percentage checks, then continues). The
 * "rules" of the fault filter are its header conditions: 1, 10 and 50 of them, all holding.
 */
import type { BenchCase } from '../case.ts';
import { BENCH_REQUEST_HEADERS } from '../fixed-host.ts';

function config(n: number): string {
  const headers = Array.from({ length: n }, (_, i) => ({ name: `x-h${i % 10}`, prefix: 'v' }));
  return JSON.stringify({
    delay: { fixedDelay: '0.1s', percentage: 0 },
    abort: { httpStatus: 503, percentage: 0 },
    headers, pathPrefix: '/api/', method: ['GET', 'POST'],
  });
}

const headers: [string, string][] = [...BENCH_REQUEST_HEADERS, ...Array.from({ length: 10 }, (_, i) => [`x-h${i}`, `v${i}`] as [string, string])];

export const cases: BenchCase[] = [1, 10, 50].map((n): BenchCase => ({
  name: `fault (${n} header condition${n === 1 ? '' : 's'}, no fault)`,
  wasm: 'dist/filters/fault.wasm',
  rootId: 'fault',
  configuration: config(n),
  requestHeaders: headers,
}));

export default cases;
