// Router rules and actions through the emulator (an Envoy-faithful host, not Envoy): what the upstream
// (router double) sees, and the stats the filter emits.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { binomialBounds } from './binomial.ts';
import { stickyPick } from './fnv1a-reference.ts';
import { builtMissing, loadFilter } from './helpers.ts';

const base = { ':method': 'GET', ':path': '/', ':authority': 'svc.local', ':scheme': 'http' };
let env: TestEnv | null = null;
afterEach(() => { env?.dispose(); env = null; });

async function load(config: unknown): Promise<TestEnv> {
  env = await loadFilter('router', config);
  return env;
}

/** Send one request; returns the routing header the upstream saw (null: none) and the stream. */
function send(e: TestEnv, headers: Record<string, string> | [string, string][] = {}, header = 'x-asmesh-route') {
  const s = e.openStream();
  const list: [string, string][] = Array.isArray(headers) ? headers : Object.entries(headers);
  const merged = new Map<string, string>(Object.entries(base));
  const extra: [string, string][] = [];
  for (const [k, v] of list) (k.startsWith(':') ? merged.set(k, v) : extra.push([k, v]));
  const status = s.sendRequestHeaders([...merged.entries(), ...extra], { endStream: true });
  expect(status).toBe(0); // never pauses
  expect(s.paused).toBeNull();
  const route = s.upstreamRequest?.headers[header] ?? null;
  s.complete();
  return { route, stream: s };
}

const setRule = (name: string, match: unknown, value = 'v2') => ({ name, match, action: { set: value } });

describe.skipIf(builtMissing('router'))('router rules', () => {
  it('sets the routing header for a matching rule, clears the route cache and counts rule and target', async () => {
    const e = await load({ rules: [setRule('beta', { headers: [{ name: 'x-group', exact: 'beta' }] }, 'canary')] });
    const { route, stream } = send(e, { 'x-group': 'beta' });
    expect(route).toBe('canary');
    expect(stream.upstreamRequest?.routeCacheCleared).toBe(true);
    expect(e.counter('router.rule.beta.matched')).toBe(1);
    expect(e.counter('router.rule.beta.target.canary')).toBe(1);
  });

  const headerCases: [string, Record<string, unknown>, string | null, boolean][] = [
    ['exact', { exact: 'Beta' }, 'Beta', true],
    ['exact (case differs)', { exact: 'Beta' }, 'beta', false],
    ['exact ignoreCase', { exact: 'Beta', ignoreCase: true }, 'bEtA', true],
    ['exact empty value', { exact: '' }, '', true],
    ['prefix', { prefix: 'Mozilla/' }, 'Mozilla/5.0', true],
    ['prefix (no)', { prefix: 'Mozilla/' }, 'curl/8', false],
    ['prefix ignoreCase', { prefix: 'MOZILLA', ignoreCase: true }, 'mozilla/5.0', true],
    ['suffix', { suffix: '.internal' }, 'host.internal', true],
    ['suffix (no)', { suffix: '.internal' }, 'internal.host', false],
    ['suffix ignoreCase', { suffix: '.INTERNAL', ignoreCase: true }, 'a.Internal', true],
    ['contains', { contains: 'beta' }, 'x-beta-y', true],
    ['contains (no)', { contains: 'beta' }, 'x-BETA-y', false],
    ['contains ignoreCase', { contains: 'BeTa', ignoreCase: true }, 'x-BETA-y', true],
    ['present', { present: true }, 'anything', true],
    ['present (empty value)', { present: true }, '', true],
    ['present (absent)', { present: true }, null, false],
    ['absent', { absent: true }, null, true],
    ['absent (present)', { absent: true }, 'x', false],
    ['missing header for exact', { exact: 'x' }, null, false],
  ];
  it.each(headerCases)('matches headers: %s', async (_n, matcher, value, expected) => {
    const e = await load({ rules: [setRule('h', { headers: [{ name: 'X-Probe', ...matcher }] })] });
    const { route } = send(e, value === null ? {} : { 'x-probe': value });
    expect(route).toBe(expected ? 'v2' : null);
  });

  it('matches a repeated header on its first value', async () => {
    const e = await load({ rules: [setRule('h', { headers: [{ name: 'x-tag', exact: 'a' }] })] });
    expect(send(e, [['x-tag', 'a'], ['x-tag', 'b']]).route).toBe('v2');
    expect(send(e, [['x-tag', 'b'], ['x-tag', 'a']]).route).toBeNull();
  });

  const pathCases: [string, Record<string, string>, string, boolean][] = [
    ['exact', { exact: '/api/v1' }, '/api/v1', true],
    ['exact ignores the query string', { exact: '/api/v1' }, '/api/v1?x=1', true],
    ['exact (longer path)', { exact: '/api/v1' }, '/api/v1/users', false],
    ['prefix', { prefix: '/api/' }, '/api/v1', true],
    ['prefix (no)', { prefix: '/api/' }, '/apix', false],
    ['prefix is case-sensitive', { prefix: '/api/' }, '/API/v1', false],
    ['prefix does not match inside the query', { prefix: '/a/b' }, '/a?/b', false],
  ];
  it.each(pathCases)('matches path: %s', async (_n, path, reqPath, expected) => {
    const e = await load({ rules: [setRule('p', { path })] });
    expect(send(e, { ':path': reqPath }).route).toBe(expected ? 'v2' : null);
  });

  it('matches method, alone or from a list', async () => {
    const e = await load({ rules: [setRule('one', { method: 'POST' }, 'a'), setRule('list', { method: ['PUT', 'DELETE'] }, 'b')] });
    expect(send(e, { ':method': 'POST' }).route).toBe('a');
    expect(send(e, { ':method': 'DELETE' }).route).toBe('b');
    expect(send(e, { ':method': 'GET' }).route).toBeNull();
    expect(send(e, { ':method': 'post' }).route).toBeNull();
  });

  const queryCases: [string, Record<string, unknown>, string, boolean][] = [
    ['exact', { name: 'v', exact: '2' }, '/?v=2', true],
    ['exact among others', { name: 'v', exact: '2' }, '/x?a=1&v=2&b=3', true],
    ['exact (other value)', { name: 'v', exact: '2' }, '/?v=3', false],
    ['exact first occurrence wins', { name: 'v', exact: '2' }, '/?v=1&v=2', false],
    ['exact is not percent-decoded', { name: 'q', exact: 'a b' }, '/?q=a%20b', false],
    ['present with value', { name: 'debug', present: true }, '/?debug=1', true],
    ['present without value', { name: 'debug', present: true }, '/?debug', true],
    ['present (absent)', { name: 'debug', present: true }, '/?debugger=1', false],
    ['no query string', { name: 'debug', present: true }, '/debug', false],
  ];
  it.each(queryCases)('matches query parameters: %s', async (_n, q, path, expected) => {
    const e = await load({ rules: [setRule('q', { queryParams: [q] })] });
    expect(send(e, { ':path': path }).route).toBe(expected ? 'v2' : null);
  });

  it('requires every condition of a match to hold', async () => {
    const e = await load({ rules: [setRule('all', {
      headers: [{ name: 'x-a', present: true }], path: { prefix: '/p' }, method: 'GET', queryParams: [{ name: 'q', present: true }],
    })] });
    expect(send(e, { 'x-a': '1', ':path': '/p?q' }).route).toBe('v2');
    expect(send(e, { ':path': '/p?q' }).route).toBeNull();
    expect(send(e, { 'x-a': '1', ':path': '/x?q' }).route).toBeNull();
    expect(send(e, { 'x-a': '1', ':path': '/p' }).route).toBeNull();
    expect(send(e, { 'x-a': '1', ':path': '/p?q', ':method': 'HEAD' }).route).toBeNull();
  });

  it('evaluates rules in order and stops at the first match', async () => {
    const e = await load({ rules: [
      setRule('first', { headers: [{ name: 'x-a', present: true }] }, 'one'),
      setRule('second', { headers: [{ name: 'x-b', present: true }] }, 'two'),
      setRule('catch-all', undefined, 'default'),
    ] });
    expect(send(e, { 'x-a': '1', 'x-b': '1' }).route).toBe('one');
    expect(send(e, { 'x-b': '1' }).route).toBe('two');
    expect(send(e, {}).route).toBe('default');
    expect(e.counter('router.rule.first.matched')).toBe(1);
    expect(e.counter('router.rule.second.matched')).toBe(1);
    expect(e.counter('router.rule.catch-all.matched')).toBe(1);
  });

  it('leaves a request no rule matches without routing header and counts it', async () => {
    const e = await load({ rules: [setRule('r', { method: 'POST' })] });
    const { route, stream } = send(e, {});
    expect(route).toBeNull();
    expect(stream.upstreamRequest?.routeCacheCleared).toBe(false);
    expect(e.counter('router.no_match')).toBe(1);
  });
});

describe.skipIf(builtMissing('router'))('router routing header security', () => {
  it('removes a client-sent routing header when no rule matches', async () => {
    const e = await load({ rules: [setRule('r', { method: 'POST' })] });
    expect(send(e, { 'x-asmesh-route': 'admin' }).route).toBeNull();
    expect(e.counter('router.routing_header_stripped')).toBe(1);
  });
  it('replaces a client-sent routing header (every copy) with the rule decision', async () => {
    const e = await load({ rules: [setRule('r', undefined, 'stable')] });
    const { stream } = send(e, [['x-asmesh-route', 'canary'], ['x-asmesh-route', 'admin']]);
    expect(stream.upstreamRequest?.headerList.filter(([k]) => k === 'x-asmesh-route')).toEqual([['x-asmesh-route', 'stable']]);
    expect(e.counter('router.routing_header_stripped')).toBe(1);
  });
  it('keeps the client value only for a rule with allowPassthrough, and applies the action otherwise', async () => {
    const e = await load({ rules: [
      { name: 'testers', match: { headers: [{ name: 'x-tester', exact: 'yes' }] }, allowPassthrough: true, action: { set: 'stable' } },
      setRule('rest', undefined, 'stable'),
    ] });
    expect(send(e, { 'x-tester': 'yes', 'x-asmesh-route': 'canary' }).route).toBe('canary');
    expect(send(e, { 'x-tester': 'yes' }).route).toBe('stable');
    expect(send(e, { 'x-asmesh-route': 'canary' }).route).toBe('stable');
    expect(e.counter('router.rule.testers.passthrough')).toBe(1);
    expect(e.counter('router.rule.testers.target.stable')).toBe(1);
  });
  it('does not let rules match on the routing header (it reads as absent)', async () => {
    const e = await load({ rules: [
      setRule('spoof', { headers: [{ name: 'x-asmesh-route', exact: 'canary' }] }, 'canary'),
      setRule('absent', { headers: [{ name: 'x-asmesh-route', absent: true }] }, 'stable'),
    ] });
    expect(send(e, { 'x-asmesh-route': 'canary' }).route).toBe('stable');
  });
  it('uses a configured routing header name (case-insensitively)', async () => {
    const e = await load({ routingHeader: 'X-Version', rules: [setRule('r', undefined, 'v9')] });
    const { stream } = send(e, { 'x-version': 'v1', 'x-asmesh-route': 'untouched' });
    expect(stream.upstreamRequest?.headers['x-version']).toBe('v9');
    expect(stream.upstreamRequest?.headers['x-asmesh-route']).toBe('untouched');
  });
  it('leaves a mirror-only rule without routing header (client value removed)', async () => {
    const e = await load({ rules: [{ name: 'm', mirror: { cluster: 'shadow' } }] });
    expect(send(e, { 'x-asmesh-route': 'canary' }).route).toBeNull();
    expect(e.counter('router.rule.m.matched')).toBe(1);
  });
});

describe.skipIf(builtMissing('router'))('router splits', () => {
  it('splits by weight (binomial 4.5σ bounds over 4000 requests) and never picks a 0-weight target', async () => {
    const e = await load({ rules: [{ name: 'canary', action: { split: [
      { value: 'stable', weight: 89.5 }, { value: 'never', weight: 0 }, { value: 'canary', weight: 10.5 },
    ] } }] });
    const n = 4000;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = send(e).route!;
      counts[r] = (counts[r] ?? 0) + 1;
    }
    const b = binomialBounds(n, 0.105);
    expect(counts.canary).toBeGreaterThanOrEqual(b.low);
    expect(counts.canary).toBeLessThanOrEqual(b.high);
    expect(counts.never).toBeUndefined();
    expect(e.counter('router.rule.canary.target.never') ?? 0).toBe(0);
    expect(e.counter('router.rule.canary.target.canary')).toBe(counts.canary);
    expect(e.counter('router.rule.canary.target.stable')).toBe(counts.stable);
  });

  const sticky = (key: Record<string, string>) => ({ rules: [{ name: 's', action: {
    split: [{ value: 'a', weight: 50 }, { value: 'b', weight: 30 }, { value: 'c', weight: 20 }], stickyBy: key,
  } }] });
  const targets = [{ value: 'a', weight: 50 }, { value: 'b', weight: 30 }, { value: 'c', weight: 20 }];

  it('sticks by header: every key lands where the documented FNV-1a rule says, and stays there', async () => {
    const e = await load(sticky({ header: 'x-user' }));
    for (let i = 0; i < 300; i++) {
      const user = `user-${i}`;
      const expected = stickyPick(user, targets);
      expect(send(e, { 'x-user': user }).route, user).toBe(expected);
      expect(send(e, { 'x-user': user }).route, user).toBe(expected);
    }
    expect(e.counter('router.rule.s.sticky_fallback') ?? 0).toBe(0);
  });

  it('sticks by cookie, wherever the cookie sits, also across several cookie headers', async () => {
    const e = await load(sticky({ cookie: 'session' }));
    for (let i = 0; i < 100; i++) {
      const sid = `s${i * 7919}`;
      const expected = stickyPick(sid, targets);
      expect(send(e, { cookie: `a=1; session=${sid}; b=2` }).route).toBe(expected);
      expect(send(e, { cookie: `session=${sid}` }).route).toBe(expected);
      expect(send(e, [['cookie', 'a=1'], ['cookie', `session=${sid}`]]).route).toBe(expected);
    }
  });

  it('spreads sticky keys by weight (binomial 4.5σ bounds over 5000 keys)', async () => {
    const e = await load(sticky({ header: 'x-user' }));
    const n = 5000;
    let c = 0;
    for (let i = 0; i < n; i++) if (send(e, { 'x-user': `u${i}` }).route === 'c') c++;
    const b = binomialBounds(n, 0.2);
    expect(c).toBeGreaterThanOrEqual(b.low);
    expect(c).toBeLessThanOrEqual(b.high);
  });

  it('falls back to a weighted random pick when the sticky key is absent or empty, and counts it', async () => {
    const e = await load(sticky({ header: 'x-user' }));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(send(e, i % 2 ? {} : { 'x-user': '' }).route!);
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(e.counter('router.rule.s.sticky_fallback')).toBe(200);
  });
});

describe.skipIf(builtMissing('router'))('router hot path', () => {
  it('reads the request header map once per request and makes no other read', async () => {
    const e = await load({ rules: [
      setRule('a', { headers: [{ name: 'x-a', exact: '1' }], path: { prefix: '/a' } }, 'a'),
      { name: 'b', action: { split: [{ value: 'x', weight: 50 }, { value: 'y', weight: 50 }], stickyBy: { cookie: 'sid' } } },
    ] });
    send(e, {});
    e.resetHostcalls();
    send(e, { cookie: 'sid=42', 'x-asmesh-route': 'evil' });
    const calls = e.hostcalls();
    expect(calls.proxy_get_header_map_pairs).toBe(1);
    expect(calls.proxy_get_header_map_value ?? 0).toBe(0);
    expect(calls.proxy_replace_header_map_value).toBe(1);
    expect(calls.proxy_remove_header_map_value ?? 0).toBe(0);
  });
});
