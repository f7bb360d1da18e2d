import { beforeAll, describe, expect, it } from 'vitest';
import { compileAssemblyScriptCached } from '../../../harness/build/cached.ts';
import { fnv1a32 } from '../router/fnv1a-reference.ts';

interface Pure {
  memory: WebAssembly.Memory;
  input(len: number): number;
  reset(): void;
  queueReset(): void;
  queuePush(deadline: bigint, item: number): void;
  queueSize(): number;
  queueNearest(): bigint;
  queuePopDue(now: bigint): number;
  uint32(p: number, l: number): bigint;
  scaled(p: number, l: number, scale: bigint): bigint;
  durationMs(p: number, l: number): bigint;
  bucket(p: number, l: number, salt: number): number;
}

let pure: Pure;
function put(s: string): [number, number] {
  const bytes = new TextEncoder().encode(s);
  const ptr = pure.input(bytes.length);
  new Uint8Array(pure.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

beforeAll(async () => {
  const { wasm } = await compileAssemblyScriptCached({
    entry: 'test/filters/fault/assembly/pure.ts', outFile: '.cache/test/fault-pure.wasm', abort: null,
    inputs: ['filters/fault'], cacheDir: '.cache/test/asc',
  });
  const { instance } = await WebAssembly.instantiate(wasm, {
    env: { abort: () => { throw new Error('abort'); }, seed: () => 1, trace: () => {} },
  });
  pure = instance.exports as unknown as Pure;
});

describe('DeadlineQueue', () => {
  it('pops items in deadline order and ties in insertion order', () => {
    pure.queueReset();
    const deadlines = [50, 10, 30, 10, 70, 20, 30, 5];
    deadlines.forEach((d, i) => pure.queuePush(BigInt(d), i));
    expect(pure.queueSize()).toBe(8);
    expect(pure.queueNearest()).toBe(5n);
    const order: number[] = [];
    for (let item = pure.queuePopDue(1000n); item >= 0; item = pure.queuePopDue(1000n)) order.push(item);
    expect(order).toEqual([7, 1, 3, 5, 2, 6, 0, 4]);
    expect(pure.queueNearest()).toBe(-1n);
  });
  it('pops only what is due', () => {
    pure.queueReset();
    pure.queuePush(100n, 1); pure.queuePush(200n, 2); pure.queuePush(150n, 3);
    expect(pure.queuePopDue(99n)).toBe(-1);
    expect(pure.queuePopDue(150n)).toBe(1);
    expect(pure.queuePopDue(150n)).toBe(3);
    expect(pure.queuePopDue(150n)).toBe(-1);
    expect(pure.queueNearest()).toBe(200n);
  });
  it('stays ordered through 2000 random pushes and pops', () => {
    pure.queueReset();
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 10000;
    const pushed: number[] = [];
    for (let i = 0; i < 2000; i++) { const d = rand(); pushed.push(d); pure.queuePush(BigInt(d), d); }
    const popped: number[] = [];
    for (let item = pure.queuePopDue(1n << 40n); item >= 0; item = pure.queuePopDue(1n << 40n)) popped.push(item);
    expect(popped).toEqual([...pushed].sort((a, b) => a - b));
  });
});

describe('header value parsers', () => {
  it('parses x-envoy-fault-* integers and rejects anything else', () => {
    pure.reset();
    expect(pure.uint32(...put('503'))).toBe(503n);
    expect(pure.uint32(...put('4294967295'))).toBe(4294967295n);
    for (const bad of ['', '-1', '4294967296', '12a', ' 5', '5.0', '99999999999']) expect(pure.uint32(...put(bad)), bad).toBe(-1n);
  });
  it('parses fractional percentages to millionths', () => {
    pure.reset();
    expect(pure.scaled(...put('0.1'), 10000n)).toBe(1000n);
    expect(pure.scaled(...put('50'), 10000n)).toBe(500000n);
    expect(pure.scaled(...put('12.3456789'), 10000n)).toBe(123456n);
    for (const bad of ['', '.', '1.', '.5', 'x', '1.2.3', '-3']) expect(pure.scaled(...put(bad), 10000n), bad).toBe(-1n);
  });
  it('parses fixedDelay durations to milliseconds', () => {
    pure.reset();
    expect(pure.durationMs(...put('0.5s'))).toBe(500n);
    expect(pure.durationMs(...put('2s'))).toBe(2000n);
    expect(pure.durationMs(...put('0.001s'))).toBe(1n);
    expect(pure.durationMs(...put('3600s'))).toBe(3600000n);
    for (const bad of ['', 's', '1', '1ms', '0.0001s', '3601s', '-1s', '1.s']) expect(pure.durationMs(...put(bad)), bad).toBe(-1n);
  });
});

describe('request-id decision bucket', () => {
  it('is FNV-1a 32 of the id followed by the salt byte, mod 1,000,000 (as documented)', () => {
    pure.reset();
    for (const id of ['req-1', '6f1d3c1e-0000-4000-8000-000000000001', '', 'ünï']) {
      expect(pure.bucket(...put(id), 0x64) >>> 0).toBe(fnv1a32(id + 'd') % 1_000_000);
      expect(pure.bucket(...put(id), 0x61) >>> 0).toBe(fnv1a32(id + 'a') % 1_000_000);
    }
  });
});
