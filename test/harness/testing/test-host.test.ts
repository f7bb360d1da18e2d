import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../harness/host/clock.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { plugin, wat } from '../host/helpers/wat.ts';

const IMPORTS = `(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))`;

/** Logs "d" (debug) and "w" (warn) per request and counts requests in wasmcustom.reqs. */
const BODY = `(data (i32.const 100) "reqs") (data (i32.const 110) "d") (data (i32.const 111) "w")
  (global $id (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $c i32) (param $p i32)
    (if (i32.eqz (local.get $p)) (then (drop (call $define (i32.const 0) (i32.const 100) (i32.const 4) (i32.const 200))) (global.set $id (i32.load (i32.const 200))))))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (drop (call $log (i32.const 1) (i32.const 110) (i32.const 1)))
    (drop (call $log (i32.const 3) (i32.const 111) (i32.const 1)))
    (drop (call $inc (global.get $id) (i64.const 1))) (i32.const 0))`;

describe('createTestHost', () => {
  it('loads a plugin from a file path and drives a request to the upstream double', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'asmesh-testing-'));
    const file = path.join(dir, 'p.wasm');
    await writeFile(file, await wat(plugin(BODY, { imports: IMPORTS })));
    const env = await createTestHost({ wasm: file, name: 'p' });
    expect(env.clock).toBeInstanceOf(ManualClock);
    const s = env.openStream();
    expect(s.sendRequestHeaders([[':method', 'GET'], [':path', '/x'], [':authority', 'a']], { endStream: true })).toBe(0);
    expect(s.upstreamRequest).toMatchObject({ headers: { ':method': 'GET', ':path': '/x', ':authority': 'a' }, endStream: true });
    expect(s.paused).toBeNull();
    s.sendResponseHeaders({ ':status': '200' }, { endStream: false });
    expect(s.paused).toBeNull();
    s.sendResponseBody('ok', { endStream: true });
    expect(s.downstreamResponse).toMatchObject({ headers: { ':status': '200' }, endStream: true, reset: null });
    expect(new TextDecoder().decode(s.downstreamResponse.body)).toBe('ok');
    s.complete();
    env.dispose();
  });

  it('filters plugin logs by level and reads counters by short or full name', async () => {
    const env = await createTestHost({ wasm: await wat(plugin(BODY, { imports: IMPORTS })) });
    env.openStream().sendRequestHeaders({ ':path': '/' }, { endStream: true });
    env.openStream().sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(env.logs()).toEqual(['d', 'w', 'd', 'w']);
    expect(env.logs('warn')).toEqual(['w', 'w']);
    expect(env.counter('reqs')).toBe(2);
    expect(env.counter('wasmcustom.reqs')).toBe(2);
    expect(env.prometheus()).toBe('# TYPE reqs counter\nreqs{} 2\n');
  });

  it('keeps only lines at or above the configured Envoy log level', async () => {
    const env = await createTestHost({ wasm: await wat(plugin(BODY, { imports: IMPORTS })), logLevel: 'info' });
    env.openStream().sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(env.logs()).toEqual(['w']);
  });
});
