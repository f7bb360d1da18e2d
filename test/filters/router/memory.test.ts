// No allocation outlives a request: after a warm-up, many more requests must not grow linear memory.
// Uses the bench's fixed-answer host (drives the real exports; not Envoy, not the full emulator).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixedDriver } from '../../../bench/driver.ts';
import { BENCH_REQUEST_HEADERS } from '../../../bench/fixed-host.ts';
import { builtMissing, repoRoot, wasmPath } from './helpers.ts';

const routerConfig = readFileSync(`${repoRoot}/filters/router/example.json`, 'utf8');
const faultConfig = JSON.stringify({ delay: { fixedDelay: '1s', percentage: 0 }, abort: { httpStatus: 503, percentage: 0 }, headers: [{ name: 'user-agent', present: true }] });
const headers: [string, string][] = [...BENCH_REQUEST_HEADERS, ['cookie', 'a=1; session=xyz'], ['x-asmesh-route', 'evil'], ['x-user-group', 'beta']];

describe.each([
  ['router', routerConfig],
  ['fault', faultConfig],
] as const)('%s linear memory', (name, configuration) => {
  it.skipIf(builtMissing(name))('does not grow over 30000 requests after warm-up', () => {
    const driver = new FixedDriver(new WebAssembly.Module(readFileSync(wasmPath(name))), { rootId: name, configuration, headers });
    expect(driver.start(new TextEncoder().encode(configuration).length)).toBe(true);
    driver.requests(3000);
    const before = driver.memoryBytes;
    driver.requests(30000);
    expect(driver.memoryBytes).toBe(before);
  });
});
