import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import type { Route, RouteConfig } from '../../../harness/dataplane/config-types.ts';
import { NO_HEADER_CHANGES } from '../../../harness/dataplane/header-mutation.ts';
import { matchesHeader, normalizeRequestPath, pickWeighted, selectRoute, selectVirtualHost } from '../../../harness/dataplane/route-match.ts';

const route = (name: string, match: Partial<Route['match']>): Route => ({
  name, match: { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [], ...match }, action: { kind: 'cluster', cluster: name, timeoutMs: 0, rewrite: { autoHost: false } }, headers: NO_HEADER_CHANGES,
});
const headers = (h: Record<string, string>) => new HeaderMap({ ':authority': 'example.com', ':method': 'GET', ...h });

describe('route selection', () => {
  const config: RouteConfig = {
    name: 'r',
    virtualHosts: [{ name: 'all', domains: ['*'], routes: [
      route('by-header', { headers: [{ name: 'x-version', invert: false, treatMissingAsEmpty: false, string: { kind: 'exact', value: 'v2', ignoreCase: false } }] }),
      route('exact', { path: { kind: 'path', value: '/exact' } }),
      route('regex', { path: { kind: 'regex', regex: /^(?:\/items\/\d+)$/ } }),
      route('api', { path: { kind: 'prefix', value: '/api' } }),
      route('fallback', {}),
    ], headers: NO_HEADER_CHANGES, requireTls: 'NONE' }],
    headers: NO_HEADER_CHANGES, mostSpecificHeaderMutationsWins: false, maxDirectResponseBodyBytes: 4096, validateClusters: true,
  };
  it('takes the first matching route in order', () => {
    expect(selectRoute(config, headers({ ':path': '/api', 'x-version': 'v2' }))?.route.name).toBe('by-header');
    expect(selectRoute(config, headers({ ':path': '/exact?q=1' }))?.route.name).toBe('exact');
    expect(selectRoute(config, headers({ ':path': '/exact/more' }))?.route.name).toBe('fallback');
    expect(selectRoute(config, headers({ ':path': '/items/42' }))?.route.name).toBe('regex');
    expect(selectRoute(config, headers({ ':path': '/items/42x' }))?.route.name).toBe('fallback');
    expect(selectRoute(config, headers({ ':path': '/api/users' }))?.route.name).toBe('api');
  });

  it('prefers an exact domain over wildcards', () => {
    const vhosts: RouteConfig = { name: 'r', virtualHosts: [
      { name: 'star', domains: ['*'], routes: [], headers: NO_HEADER_CHANGES, requireTls: 'NONE' },
      { name: 'suffix', domains: ['*.example.com'], routes: [], headers: NO_HEADER_CHANGES, requireTls: 'NONE' },
      { name: 'exact', domains: ['api.example.com'], routes: [], headers: NO_HEADER_CHANGES, requireTls: 'NONE' },
    ], headers: NO_HEADER_CHANGES, mostSpecificHeaderMutationsWins: false, maxDirectResponseBodyBytes: 4096, validateClusters: true };
    expect(selectVirtualHost(vhosts, 'api.example.com')?.name).toBe('exact');
    expect(selectVirtualHost(vhosts, 'www.example.com')?.name).toBe('suffix');
    expect(selectVirtualHost(vhosts, 'other.org')?.name).toBe('star');
  });
});

describe('header matchers', () => {
  it('present_match with invert matches only when the header is absent', () => {
    const m = { name: 'x-debug', invert: true, treatMissingAsEmpty: false, present: true };
    expect(matchesHeader(m, headers({}))).toBe(true);
    expect(matchesHeader(m, headers({ 'x-debug': '1' }))).toBe(false);
  });
  it('an absent header fails a string matcher even when inverted', () => {
    const m = { name: 'x-v', invert: true, treatMissingAsEmpty: false, string: { kind: 'exact' as const, value: 'a', ignoreCase: false } };
    expect(matchesHeader(m, headers({}))).toBe(false);
    expect(matchesHeader(m, headers({ 'x-v': 'b' }))).toBe(true);
  });
  it('ignore_case applies to string matchers', () => {
    const m = { name: 'x-v', invert: false, treatMissingAsEmpty: false, string: { kind: 'prefix' as const, value: 'CAN', ignoreCase: true } };
    expect(matchesHeader(m, headers({ 'x-v': 'canary' }))).toBe(true);
  });
});

describe('weighted clusters', () => {
  it('maps the random point onto cumulative weights', () => {
    const clusters = [{ name: 'a', weight: 90 }, { name: 'b', weight: 10 }];
    expect(pickWeighted(clusters, () => 0.0)).toBe('a');
    expect(pickWeighted(clusters, () => 0.899)).toBe('a');
    expect(pickWeighted(clusters, () => 0.9)).toBe('b');
  });
});

describe('path normalisation', () => {
  it('removes dot segments and decodes unreserved characters with normalize_path', () => {
    expect(normalizeRequestPath('/a/./b/../c%7e?x=/../', true, false)).toBe('/a/c~?x=/../');
  });
  it('merges slashes with merge_slashes', () => {
    expect(normalizeRequestPath('//a///b', false, true)).toBe('/a/b');
  });
  it('leaves the path alone when both are off', () => {
    expect(normalizeRequestPath('/a/../b//c', false, false)).toBe('/a/../b//c');
  });
});
