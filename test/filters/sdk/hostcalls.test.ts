import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';
import { probeWasm } from './probe.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await probeWasm();
}, 180_000);

let env: TestEnv | null = null;
afterEach(() => {
  env?.dispose();
  env = null;
});

async function probe(extra: { configuration?: string; clusters?: string[] } = {}): Promise<TestEnv> {
  env = await createTestHost({ wasm, name: 'probe', rootId: 'probe', vmId: 'probe', ...extra });
  return env;
}

const REQUEST = { ':method': 'GET', ':path': '/p?q=1', ':authority': 'example', ':scheme': 'http' };

/** Send request headers with `x-op`; return the headers the upstream saw. */
async function run(op: string, more: [string, string][] = [], extra = {}): Promise<Record<string, string>> {
  const e = await probe(extra);
  const s = e.openStream();
  s.sendRequestHeaders([...Object.entries(REQUEST), ['x-op', op], ...more], { endStream: true });
  expect(s.upstreamRequest, `op ${op} reached upstream`).not.toBeNull();
  return s.upstreamRequest!.headers;
}

describe('Headers view', () => {
  it('reads every pair from one call, finds names case-insensitively, and gives null for a missing header', async () => {
    const h = await run('headers', [['x-multi', 'a'], ['x-multi', 'b'], ['x-remove-me', '1'], ['x-replaced', 'old']]);
    expect(h['x-seen']).toBe(':method=GET,:path=/p?q=1,:authority=example,:scheme=http,x-op=headers,x-multi=a,x-multi=b,x-remove-me=1,x-replaced=old');
    expect(h['x-size']).toBe('9');
    expect(h['x-missing-is-null']).toBe('yes');
    expect(h['x-has-host']).toBe('yes');
    expect(h['x-all-multi']).toBe('a|b');
    expect(h['x-get-missing']).toBe('null');
    expect(h['x-remove-me']).toBeUndefined();
    expect(h['x-replaced']).toBe('new');
    expect(Number(h['x-map-size'])).toBeGreaterThan(20);
  });

  it('round-trips non-ASCII values, writes values larger than the scratch area, and matches names by exact length', async () => {
    const h = await run('utf8', [['x-utf8', 'héllo ✓ wörld']]);
    expect(h['x-utf8-echo']).toBe('héllo ✓ wörld');
    expect(h['x-long']).toBe(`${'é'.repeat(6000)}|example`);
    expect(h['x-replaced-utf8']).toBe('ü✓');
    // REQUEST's four pseudo-headers come first, then x-op: a shorter or longer name never matches it.
    expect(h['x-size-ascii']).toBe('4,-1,-1');
  });

  it('replaces the whole map with setHeaderPairs', async () => {
    const h = await run('set-pairs');
    expect(h).toMatchObject({ ':path': '/p', ':authority': 'a', 'x-only': '1' });
    expect(h['x-op']).toBeUndefined();
  });

  it('sees no request headers in the response phase and response headers there', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'response' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: false });
    s.sendResponseBody('body', { endStream: true });
    expect(s.downstreamResponse.headers).toMatchObject({ 'x-status-seen': '200', 'x-request-visible': '0' });
    expect(new TextDecoder().decode(s.downstreamResponse.body)).toBe('[body]');
  });

  it('reads request headers again in the log phase', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'log' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    s.complete();
    expect(e.logs('info')).toContain('log phase sees 5 request headers, path /p?q=1');
  });
});

describe('hostcall errors', () => {
  it('turns calls on maps that are not available into counted errors, not traps', async () => {
    const h = await run('errors');
    expect(h['x-errors']).toBe('3');
    expect(h['x-resp-size-now']).toBe('0');
    expect(h['x-trailers-now']).toBe('0');
    expect(h['x-resp-get']).toBe('null');
    expect(h['x-buffer-size']).toBe('-1');
  });

  it('reports set_effective_context on an unknown context as BadArgument', async () => {
    expect((await run('effective'))['x-effective-bad']).toBe('2');
  });

  it('reports an unknown foreign function as NotFound', async () => {
    expect((await run('foreign'))['x-foreign']).toBe('1');
  });

  it('logs an abort at critical and fails the stream closed', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'abort' }, { endStream: true });
    expect(s.localResponse).toMatchObject({ status: 503, details: 'wasm_fail_stream' });
    expect(e.logs('critical').some((l) => l.startsWith('probe abort at: test/filters/sdk/assembly/probe.ts('))).toBe(true);
  });
});

describe('properties', () => {
  it('joins path segments with NUL and returns null for missing paths (a dotted name is one segment)', async () => {
    const h = await run('property');
    expect(h['x-prop-path']).toBe('/p?q=1');
    expect(h['x-prop-missing']).toBe('null');
    expect(h['x-prop-dotted']).toBe('null');
    expect(h['x-prop-root']).toBe('probe');
    expect(h['x-prop-back']).toBe('t1');
    expect(h['x-prop-enc-len']).toBe('3');
    expect(h['x-prop-enc']).toBe('null');
  });
});

describe('local replies and streams', () => {
  it('sends a local response with status, body, details and extra headers', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'reply' }, { endStream: true });
    expect(s.localResponse).toMatchObject({ status: 403, body: 'denied by probe', details: 'probe_denied' });
    expect(s.localResponse!.headers['x-reply']).toBe('yes');
    expect(s.upstreamRequest).toBeNull();
  });

  it('buffers a request body and replaces it', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, ':method': 'POST', 'x-op': 'buffer' }, { endStream: false });
    s.sendRequestBody('hello ', { endStream: false });
    s.sendRequestBody('world', { endStream: true });
    expect(new TextDecoder().decode(s.upstreamRequest!.body)).toBe('HELLO WORLD');
  });
});

describe('shared data', () => {
  it('returns null for a missing key, then enforces CAS on set', async () => {
    const h = await run('shared');
    expect(h['x-shared-first']).toBe('null');
    expect(h['x-set1']).toBe('0');
    expect(h['x-got']).toBe('one');
    expect(h['x-set-ok']).toBe('0');
    expect(h['x-set-stale']).toBe('8'); // CasMismatch
    expect(h['x-final']).toBe('two');
  });
});

describe('shared queues', () => {
  it('registers at configure time, resolves by name, reports Empty and NotFound, and delivers onQueueReady', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'queue' }, { endStream: true });
    const h = s.upstreamRequest!.headers;
    expect(h['x-queue-same']).toBe('yes');
    expect(h['x-queue-unknown']).toBe('0');
    expect(h['x-queue-empty']).toBe('yes');
    expect(h['x-enqueue']).toBe('0');
    expect(h['x-enqueue-bad']).toBe('1');
    await new Promise((r) => setTimeout(r, 10));
    e.clock.advance(0);
    expect(e.logs('info')).toContain('queue ready: item-1');
  });
});

describe('metrics', () => {
  it('defines once, increments, records, and reads values back with proxy_get_metric', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'metrics' }, { endStream: true });
    const h = s.upstreamRequest!.headers;
    expect(h['x-counter']).toBe('5');
    expect(h['x-gauge']).toBe('7');
    expect(h['x-same-id']).toBe('yes');
    expect(h['x-cache-size']).toBe('1');
    expect(e.counter('probe.requests')).toBe(5);
    expect(e.gauge('probe.active')).toBe(7);
    expect(e.histogram('probe.sizes')).toEqual([42]);
    expect(e.counter('probe.label.a')).toBe(1);
  });
});

describe('http calls', () => {
  it('routes the response to the callback with the stream as effective context', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'callout' }, { endStream: true });
    expect(s.paused).toBe('request');
    const [call] = e.httpCalls();
    expect(call).toMatchObject({ cluster: 'auth', timeoutMs: 1000 });
    expect(call!.headers[':path']).toBe('/check');
    expect(new TextDecoder().decode(call!.body)).toBe('ping');
    call!.respond({ headers: { ':status': '200' }, body: 'pong' });
    await new Promise((r) => setTimeout(r, 10));
    e.clock.advance(0);
    expect(s.upstreamRequest?.headers).toMatchObject({ 'x-callout-status': '200', 'x-callout-body': 'pong', 'x-callout-stream': String(s.contextId) });
  });

  it('tells the callback a reset call failed, with the host status', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'callout' }, { endStream: true });
    e.httpCalls()[0]!.fail('reset');
    await new Promise((r) => setTimeout(r, 10));
    e.clock.advance(0);
    expect(s.upstreamRequest?.headers).toMatchObject({ 'x-callout-failed': '11 reset', 'x-callout-status': '0', 'x-callout-body': 'null' });
  });

  it('drops the callback when the stream ended before the response', async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'callout' }, { endStream: true });
    s.complete();
    e.httpCalls()[0]!.respond({ headers: { ':status': '200' } });
    await new Promise((r) => setTimeout(r, 10));
    e.clock.advance(0);
    expect(e.violations()).toEqual([]);
    expect(e.logs('error')).toEqual([]);
  });

  it("refuses proxy-runtime's own RootContext.httpCall (its response could never reach its callback)", async () => {
    const e = await probe();
    const s = e.openStream();
    s.sendRequestHeaders({ ...REQUEST, 'x-op': 'runtime-httpcall' }, { endStream: true });
    expect(s.upstreamRequest!.headers['x-runtime-httpcall']).toBe('12');
    expect(e.httpCalls()).toEqual([]);
  });

  it('returns token 0 and BadArgument for an unknown cluster', async () => {
    const h = await run('callout-bad', [], { clusters: ['auth'] });
    expect(h['x-callout-refused']).toBe('2');
  });
});

describe('timers and time', () => {
  it('ticks the root after setTickPeriod', async () => {
    const e = await probe();
    e.openStream().sendRequestHeaders({ ...REQUEST, 'x-op': 'tick' }, { endStream: true });
    e.clock.advance(100);
    expect(e.logs('info')).toContain('tick 1');
  });

  it('reads the current time', async () => {
    const h = await run('time');
    expect(h['x-now-ns-ok']).toBe('yes');
    expect(Number(h['x-now-ms'])).toBeGreaterThan(0);
  });
});
