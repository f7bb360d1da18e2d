// The README's example configuration (filters/router/example.json), loaded as shipped, behaves as the
// README says.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { fnv1a32, stickyPick } from './fnv1a-reference.ts';
import { binomialBounds } from './binomial.ts';
import { builtMissing, loadFilter, repoRoot } from './helpers.ts';

const example = JSON.parse(readFileSync(`${repoRoot}/filters/router/example.json`, 'utf8'));
let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

function route(e: TestEnv, path: string, extra: [string, string][] = [], method = 'GET'): string | null {
  const s = e.openStream();
  s.sendRequestHeaders([[':method', method], [':path', path], [':authority', 'shop.local'], ...extra], { endStream: true });
  const r = s.upstreamRequest?.headers['x-asmesh-route'] ?? null;
  s.complete();
  return r;
}

describe.skipIf(builtMissing('router'))('router example.json', () => {
  it('routes beta users on /api/ to canary (group compared case-insensitively)', async () => {
    env = await loadFilter('router', example);
    expect(route(env, '/api/cart', [['x-user-group', 'BETA']])).toBe('canary');
    expect(env.counter('router.rule.beta-users.target.canary')).toBe(1);
  });
  it('lets internal testers pick their own route, and strips it for everyone else', async () => {
    env = await loadFilter('router', example);
    expect(route(env, '/', [['x-internal-tester', 'true'], ['x-asmesh-route', 'experimental']])).toBe('experimental');
    expect(route(env, '/', [['x-internal-tester', 'true']])).toBe('stable');
    expect(['stable', 'canary']).toContain(route(env, '/', [['x-asmesh-route', 'experimental']]));
  });
  it('sends GET/HEAD ?preview=1 to canary', async () => {
    env = await loadFilter('router', example);
    expect(route(env, '/home?preview=1', [], 'HEAD')).toBe('canary');
  });
  it('keeps a checkout session on one side (90/10 by session cookie) and mirrors about 5 %', async () => {
    env = await loadFilter('router', example);
    const targets = [{ value: 'stable', weight: 90 }, { value: 'canary', weight: 10 }];
    for (let i = 0; i < 200; i++) {
      const sid = `sess-${i}`;
      expect(route(env, '/checkout/pay', [['cookie', `session=${sid}`], ['x-request-id', `rid-${i}`]])).toBe(stickyPick(sid, targets));
    }
    const mirrored = env.httpCalls();
    expect(mirrored.every((c) => c.cluster === 'checkout-shadow' && c.headers[':authority'] === 'shop.local-shadow')).toBe(true);
    expect(mirrored.length).toBe(env.counter('router.rule.checkout-sticky.mirror.sent'));
    const expected = Array.from({ length: 200 }, (_, i) => `rid-${i}`).filter((id) => fnv1a32(id + 'm') % 1_000_000 < 50_000);
    expect(mirrored.map((c) => c.headers['x-request-id'])).toEqual(expected);
  });
  it('splits everything else 95/5', async () => {
    env = await loadFilter('router', example);
    let canary = 0;
    for (let i = 0; i < 400; i++) if (route(env, '/home') === 'canary') canary++;
    const b = binomialBounds(400, 0.05);
    expect(canary).toBeGreaterThanOrEqual(b.low);
    expect(canary).toBeLessThanOrEqual(b.high);
    expect(env.counter('router.rule.default.matched')).toBe(400);
  });
});
