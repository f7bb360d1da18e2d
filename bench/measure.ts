/** Measurements of one case on two paths: the fixed-answer host (Wasm side only) and the full emulator. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../harness/build/asc.ts';
import { createTestHost } from '../harness/testing/index.ts';
import type { BenchCase } from './case.ts';
import { FixedDriver } from './driver.ts';
import { BENCH_REQUEST_HEADERS } from './fixed-host.ts';

export interface PathResult {
  /** Median over batches, nanoseconds per request. */
  nsPerRequest: number;
  hostcallsPerRequest: number;
  hostcalls: Record<string, number>;
  requests: number;
}

export interface FixedResult extends PathResult {
  memoryBefore: number;
  memoryAfter: number;
}

export interface EmulatorResult extends PathResult {
  /** Linear memory of the plugin's worker VM before/after the measured requests. */
  memoryBefore: number;
  memoryAfter: number;
}

export interface Plan {
  warmup: number;
  /** Requests measured on the fixed host (also the memory-growth window). */
  fixedRequests: number;
  batch: number;
  emulatorRequests: number;
  emulatorBatch: number;
}

export const FULL: Plan = { warmup: 20_000, fixedRequests: 1_000_000, batch: 20_000, emulatorRequests: 20_000, emulatorBatch: 1_000 };
export const QUICK: Plan = { warmup: 5_000, fixedRequests: 100_000, batch: 5_000, emulatorRequests: 3_000, emulatorBatch: 300 };

export async function bytesOf(c: BenchCase): Promise<Uint8Array> {
  return typeof c.wasm === 'string' ? new Uint8Array(await readFile(path.resolve(repoRoot, c.wasm))) : c.wasm;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function perRequest(counts: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => [k, v / n]));
}

export function measureFixed(c: BenchCase, wasm: Uint8Array, plan: Plan): FixedResult {
  const config = c.configuration ?? '{}';
  const driver = new FixedDriver(new WebAssembly.Module(wasm), { rootId: c.rootId, configuration: config, headers: c.requestHeaders ?? BENCH_REQUEST_HEADERS });
  if (!driver.start(new TextEncoder().encode(config).length)) throw new Error(`${c.name}: the module refused to start on the fixed host`);
  driver.requests(plan.warmup);
  driver.host.reset();
  const memoryBefore = driver.memoryBytes;
  const times: number[] = [];
  for (let done = 0; done < plan.fixedRequests; done += plan.batch) {
    const t = process.hrtime.bigint();
    driver.requests(plan.batch);
    times.push(Number(process.hrtime.bigint() - t) / plan.batch);
  }
  const counts = driver.host.counts();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    nsPerRequest: median(times), hostcallsPerRequest: total / plan.fixedRequests, hostcalls: perRequest(counts, plan.fixedRequests),
    requests: plan.fixedRequests, memoryBefore, memoryAfter: driver.memoryBytes,
  };
}

export async function measureEmulator(c: BenchCase, wasm: Uint8Array, plan: Plan): Promise<EmulatorResult> {
  const env = await createTestHost({
    wasm, name: c.rootId, rootId: c.rootId, vmId: c.rootId, configuration: c.configuration ?? '{}', logLevel: 'info',
  });
  try {
    const request = c.requestHeaders ?? BENCH_REQUEST_HEADERS;
    const response = c.responseHeaders ?? [[':status', '200'], ['content-type', 'text/plain']];
    const one = (): void => {
      const s = env.openStream();
      s.sendRequestHeaders(request, { endStream: true });
      s.sendResponseHeaders(response, { endStream: true });
      s.complete();
    };
    for (let i = 0; i < Math.min(1000, plan.emulatorRequests); i++) one();
    env.resetHostcalls();
    const memory = (): number => env.plugin.workerVm.memory.size;
    const memoryBefore = memory();
    const times: number[] = [];
    for (let done = 0; done < plan.emulatorRequests; done += plan.emulatorBatch) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < plan.emulatorBatch; i++) one();
      times.push(Number(process.hrtime.bigint() - t) / plan.emulatorBatch);
    }
    const counts = env.hostcalls();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return {
      nsPerRequest: median(times), hostcallsPerRequest: total / plan.emulatorRequests, hostcalls: perRequest(counts, plan.emulatorRequests),
      requests: plan.emulatorRequests, memoryBefore, memoryAfter: memory(),
    };
  } finally {
    env.dispose();
  }
}
