// Every filter's debug build (runtime assertions on, including the reference-counting checks that catch
// AssemblyScript 0.17 memory bugs an optimized build would hide) under a seeded stream of hostile requests:
// odd, empty, huge and many headers, random methods and paths, bodies, both response shapes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestHost, type TestEnv } from '../../harness/testing/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const FILTERS = ['router', 'fault', 'rbac', 'metrics'] as const;
const REQUESTS = 400;

/** xorshift32: the same sequence on every run, so a failure names a reproducible request number. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function hostileRequest(next: () => number, n: number): [string, string][] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const text = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(pick([0x20, 0x41, 0x7a, 0x2f, 0x25, 0x2e, 0xe9, 0x3b, 0x3d, 0x2c, 0x7f, 0xff]))).join('');
  const headers: [string, string][] = [
    [':method', pick(['GET', 'POST', 'HEAD', 'DELETE', '', 'get', text(3)])],
    [':path', pick(['/', '/api/x', '/healthz', '/admin', '//admin/../x', '/%2Fadmin', '/checkout?preview=1', '', text(40)])],
    [':authority', pick(['svc', 'svc:8080', '', 'SVC.example.com', text(10)])],
    ['x-request-id', pick([`id-${n}`, '', text(36)])],
  ];
  const extra = pick([0, 1, 5, 50, 300]);
  for (let i = 0; i < extra; i++) headers.push([pick(['x-user', 'cookie', 'x-forwarded-for', 'content-type', `x-h${i}`]), text(Math.floor(next() * 64))]);
  if (next() < 0.05) headers.push(['x-huge', 'v'.repeat(64 * 1024)]);
  if (next() < 0.2) headers.push(['x-envoy-fault-abort-request', pick(['503', '0', '999', text(4)])]);
  if (next() < 0.2) headers.push(['x-envoy-fault-delay-request', pick(['10', '-1', text(4)])]);
  if (next() < 0.2) headers.push(['content-type', 'application/grpc']);
  if (next() < 0.5) headers.push(['x-fault-test', '']);
  return headers;
}

describe.each(FILTERS)('%s debug build', (filter) => {
  let env: TestEnv | undefined;
  afterEach(() => env?.dispose());

  it(`survives ${REQUESTS} hostile requests without a trap`, async () => {
    env = await createTestHost({
      wasm: path.join(root, 'dist', 'filters', `${filter}.debug.wasm`),
      name: filter,
      configuration: readFileSync(path.join(root, 'filters', filter, 'example.json'), 'utf8'),
      logLevel: 'warn',
    });
    const next = random(0x5eed + filter.length);
    const outcomes = { upstream: 0, local: 0 };
    for (let n = 0; n < REQUESTS; n++) {
      const stream = env.openStream({ sourceAddress: next() < 0.5 ? '10.1.2.3:4000' : '[fd00::1]:4000' });
      const endStream = next() < 0.7;
      stream.sendRequestHeaders(hostileRequest(next, n), { endStream });
      if (!endStream) stream.sendRequestBody(new Uint8Array(Math.floor(next() * 2048)), { endStream: true });
      env.clock.advance(20_000); // resume every delayed request
      if (stream.localResponse === null && stream.upstreamRequest !== null) {
        stream.sendResponseHeaders({ ':status': String(200 + Math.floor(next() * 400)), 'content-length': '3' }, { endStream: false });
        stream.sendResponseBody(new TextEncoder().encode('abc'), { endStream: true });
      }
      if (stream.localResponse !== null) outcomes.local++;
      else if (stream.upstreamRequest !== null) outcomes.upstream++;
      stream.complete();
      expect(env.plugin.failed, `request ${n} trapped: ${env.logs('critical').join(' | ')}`).toBe(false);
    }
    for (const call of env.httpCalls()) call.respond({ headers: { ':status': '200' } });
    // The requests really exercised the filter: some reached the upstream, rbac denied some, fault delayed some.
    expect(outcomes.upstream).toBeGreaterThan(0);
    if (filter === 'rbac') expect(outcomes.local).toBeGreaterThan(0);
    if (filter === 'fault') expect(env.counter('fault.delays_injected')).toBeGreaterThan(0);
    expect(env.violations()).toEqual([]);
    expect(env.logs('critical')).toEqual([]);
  }, 120_000);
});
