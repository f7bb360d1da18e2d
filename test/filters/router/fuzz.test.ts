// Never trap on any header content (empty, huge, NUL, non-UTF-8, thousands of headers): a trap would
// fail the VM and every later request (reference §6.4). Deterministic seeds, so no flakiness.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { hostileHeaders, lcg } from './fuzz.ts';
import { builtMissing, loadFilter, repoRoot } from './helpers.ts';

const example = JSON.parse(readFileSync(`${repoRoot}/filters/router/example.json`, 'utf8'));
const interesting = ['x-asmesh-route', 'x-internal-tester', 'x-user-group', 'cookie', 'x-request-id', 'x-user', 'content-length'];
const config = {
  rules: [
    ...example.rules.slice(0, 4),
    { name: 'sticky-header', match: { headers: [{ name: 'x-user', contains: 'a', ignoreCase: true }] },
      action: { split: [{ value: 'a', weight: 50 }, { value: 'b', weight: 50 }], stickyBy: { header: 'x-user' } },
      mirror: { cluster: 'shadow', maxBodyBytes: 1000 } },
    ...example.rules.slice(4),
  ],
};

let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

describe.skipIf(builtMissing('router'))('router never traps', () => {
  it('survives 300 requests with random hostile headers and bodies, routing each one', async () => {
    env = await loadFilter('router', config);
    const rand = lcg(42);
    for (let i = 0; i < 300; i++) {
      const s = env.openStream();
      const headers = hostileHeaders(rand, Math.floor(rand() * 60), interesting);
      s.sendRequestHeaders(headers, { endStream: rand() < 0.5 });
      if (!s.upstreamRequest?.endStream) s.sendRequestBody(new Uint8Array(Math.floor(rand() * 3000)).fill(0xff), { endStream: true });
      expect(s.localResponse, `request ${i}`).toBeNull();
      expect(s.upstreamRequest, `request ${i}`).not.toBeNull();
      s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
      s.complete();
    }
    for (const call of env.httpCalls()) call.respond({ headers: { ':status': '200' } });
    expect(env.plugin.failed).toBe(false);
    expect(env.violations()).toEqual([]);
  });

  it('survives thousands of headers and still removes a client routing header', async () => {
    env = await loadFilter('router', { rules: [{ name: 'r', match: { method: 'POST' }, action: { set: 'v' } }] });
    const headers: [string, string][] = [[':method', 'GET'], [':path', '/'], [':authority', 'a']];
    for (let i = 0; i < 3000; i++) headers.push([`x-h-${i}`, `v${i}`]);
    headers.push(['x-asmesh-route', 'admin']);
    const s = env.openStream();
    s.sendRequestHeaders(headers, { endStream: true });
    expect(s.upstreamRequest?.headers['x-asmesh-route']).toBeUndefined();
    expect(s.upstreamRequest?.headerList.length).toBe(3003);
    expect(env.plugin.failed).toBe(false);
  });

  it('accepts an empty header map view without trapping', async () => {
    env = await loadFilter('router', config);
    const s = env.openStream();
    s.sendRequestHeaders([], { endStream: true });
    expect(env.plugin.failed).toBe(false);
  });
});
