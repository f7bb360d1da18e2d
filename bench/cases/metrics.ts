/**
 * metrics benchmark cases: the steady state of a label combination seen before (ids cached), with all
 * standard labels, and with the two extra header labels of example.json.
 */
import { readFileSync } from 'node:fs';
import type { BenchCase } from '../case.ts';
import { BENCH_REQUEST_HEADERS } from '../fixed-host.ts';

const example = readFileSync(new URL('../../filters/metrics/example.json', import.meta.url), 'utf8');

export const cases: BenchCase[] = [
  {
    name: 'metrics (standard labels)',
    wasm: 'dist/filters/metrics.wasm',
    rootId: 'metrics',
    configuration: '{}',
    requestHeaders: BENCH_REQUEST_HEADERS,
  },
  {
    name: 'metrics (example.json: + 2 header labels)',
    wasm: 'dist/filters/metrics.wasm',
    rootId: 'metrics',
    configuration: example,
    requestHeaders: [...BENCH_REQUEST_HEADERS, ['x-tenant', 'acme'], ['x-client-version', '1.2.3']],
  },
];

export default cases;
