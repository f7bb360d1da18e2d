import { beforeAll, describe, expect, it } from 'vitest';
import { createTestHost } from '../../../harness/testing/index.ts';
import { compileTestModule } from './helpers/as-module.ts';

describe('async flows on the root context', () => {
  let wasm: Uint8Array;
  beforeAll(async () => {
    wasm = await compileTestModule('test/harness/host/assembly/async-flow.ts');
  });

  const start = () => createTestHost({ wasm, name: 'auth', configuration: '0', clusters: ['auth'], canary: false });

  it('resumes a paused request from proxy_on_http_call_response via the effective context', async () => {
    const env = await start();
    const s = env.openStream();
    expect(s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'x' }, { endStream: true })).toBe(4);
    expect(env.logs()).toEqual(['call 0 token 4 from 2']);
    expect(s.paused).toBe('request');
    const [call] = env.httpCalls();
    expect(call).toMatchObject({ cluster: 'auth', timeoutMs: 500, headers: { ':path': '/check' } });
    call!.respond({ headers: { ':status': '200' } });
    expect(env.logs().slice(1)).toEqual(['response on 1 token 4', 'effective 0', 'status via stream 0', 'after continue 2']);
    expect(s.upstreamRequest?.headers['x-auth']).toBe('ok');
    expect(s.upstreamRequest?.routeCacheCleared).toBe(true);
    expect(s.paused).toBeNull();
  });

  it('replies locally from the http call response when the callout denies', async () => {
    const env = await start();
    const s = env.openStream();
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'x' }, { endStream: true });
    env.httpCalls()[0]!.respond({ headers: { ':status': '403' } });
    expect(s.localResponse).toMatchObject({ status: 401, details: 'auth_denied', body: '' });
    expect(s.downstreamResponse.headers).toEqual({ ':status': '401' });
    expect(s.upstreamRequest).toBeNull();
  });

  it('answers a timed-out call with the async client 504 (the plugin then denies)', async () => {
    const env = await start();
    const s = env.openStream();
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'x' }, { endStream: true });
    env.clock.advance(499);
    expect(s.localResponse).toBeNull();
    env.clock.advance(1);
    expect(s.localResponse?.status).toBe(401);
  });

  it('ticks with the configured period and stops when the period is set to 0', async () => {
    const env = await createTestHost({ wasm, name: 'auth', configuration: '100', clusters: ['auth'] });
    env.clock.advance(99);
    expect(env.logs()).toEqual([]);
    env.clock.advance(1);
    expect(env.logs()).toEqual(['tick 1']);
    env.clock.advance(1000);
    expect(env.logs()).toEqual(['tick 1', 'tick 2']);
  });

  it('parks the root when on_done returns false until proxy_done, then deletes it', async () => {
    const env = await start();
    env.dispose();
    expect(env.logs()).toEqual(['root done requested']);
    // Enter the VM on the root context (as for a callback) and let the plugin call proxy_done.
    const status = env.plugin.workerVm.callHook('finish_root', env.plugin.rootContextId);
    expect(status).toBe(0);
    expect(env.logs()).toEqual(['root done requested', 'delete 1']);
  });

  it('runs stream teardown on_log → on_done → on_delete with on_delete for the stream context', async () => {
    const env = await start();
    const s = env.openStream();
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'x' }, { endStream: true });
    env.httpCalls()[0]!.respond({ headers: { ':status': '200' } });
    s.sendResponseHeaders({ ':status': '204' }, { endStream: true });
    s.complete();
    expect(env.logs().at(-1)).toBe('delete 2');
  });
});
