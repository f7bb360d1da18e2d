/**
 * Route-table features on every engine, one test body each: header manipulation at the three levels,
 * path and host rewrites, redirects, direct responses from files, and a file access log.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../../harness/dataplane/scenario.ts';
import { engineCases } from './engines.ts';

const dir = mkdtempSync(join(tmpdir(), 'asmesh-route-actions-'));
const bodyFile = join(dir, 'maintenance.html');
writeFileSync(bodyFile, '<h1>down for maintenance</h1>\n');
const header = (key: string, value: string, extra: Record<string, unknown> = {}) => ({ header: { key, value }, ...extra });

function routeConfig(): Record<string, unknown> {
  return {
    name: 'local_route',
    request_headers_to_add: [header('x-level', 'config', { append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }), header('x-config', 'c')],
    response_headers_to_add: [header('x-resp-config', '1')],
    virtual_hosts: [{
      name: 'tls-only', domains: ['tls-only.example'], require_tls: 'ALL', routes: [{ match: { prefix: '/' }, route: { cluster: 'v1' } }],
    }, {
      name: 'local',
      domains: ['*'],
      request_headers_to_add: [header('x-level', 'vhost', { append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }), header('x-vhost', 'v')],
      request_headers_to_remove: ['x-drop-me'],
      routes: [
        {
          name: 'headers',
          match: { prefix: '/headers' },
          route: { cluster: 'v1' },
          request_headers_to_add: [
            header('x-level', 'route', { append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }),
            header('x-multi', 'added'),
            header('x-absent', 'only-if-absent', { append_action: 'ADD_IF_ABSENT' }),
            header('x-client', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'),
            header('x-legacy', 'replaced', { append: false }),
          ],
          response_headers_to_add: [header('x-resp-route', 'r')],
          response_headers_to_remove: ['x-served-by'],
        },
        {
          name: 'weighted', match: { prefix: '/weighted' },
          route: { weighted_clusters: { clusters: [{ name: 'v2', weight: 1, request_headers_to_add: [header('x-level', 'entry', { append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' })], response_headers_to_add: [header('x-entry', 'v2')] }] } },
        },
        { name: 'prefix', match: { prefix: '/old/' }, route: { cluster: 'v1', prefix_rewrite: '/new/' } },
        {
          name: 'regex', match: { prefix: '/users/' },
          route: { cluster: 'v2', regex_rewrite: { pattern: { google_re2: {}, regex: '^/users/([0-9]+)/profile$' }, substitution: '/profiles/\\1' }, host_rewrite_literal: 'profiles.internal' },
        },
        { name: 'https', match: { prefix: '/secure' }, redirect: { https_redirect: true } },
        { name: 'moved', match: { prefix: '/moved' }, redirect: { path_redirect: '/new-home', response_code: 'TEMPORARY_REDIRECT', strip_query: true } },
        { name: 'maintenance', match: { prefix: '/maintenance' }, direct_response: { status: 503, body: { filename: bodyFile } } },
      ],
    }],
  };
}

describe.each(engineCases())('route actions $title', ({ engine, available }) => {
  let s: Scenario;
  const logFile = join(dir, `access-${engine}.log`);
  beforeAll(async () => {
    if (!available) return;
    s = await startScenario({
      services: ['v1', 'v2'],
      connectionManager: {
        route_config: routeConfig(),
        access_log: [{
          name: 'envoy.access_loggers.file',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
            path: logFile,
            log_format: { text_format_source: { inline_string: '%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_CLUSTER% %REQ(X-MISSING)%\n' } },
          },
        }],
      },
    }, engine);
  });
  afterAll(async () => s?.stop());

  it.skipIf(!available)('applies request headers from route, virtual host and route configuration, least specific last', async () => {
    const r = await s.fetch('/headers', { headers: { 'x-multi': 'client', 'x-absent': 'client', 'x-drop-me': '1', 'x-legacy': 'client' } });
    const seen = r.json<{ headers: Record<string, string> }>().headers;
    expect(seen['x-level']).toBe('config');
    expect(seen['x-config']).toBe('c');
    expect(seen['x-vhost']).toBe('v');
    expect(seen['x-multi']).toBe('client,added');
    expect(seen['x-absent']).toBe('client');
    expect(seen['x-drop-me']).toBeUndefined();
    expect(seen['x-client']).toBe('127.0.0.1');
    expect(seen['x-legacy']).toBe('replaced');
  });

  it.skipIf(!available)('applies response headers of the route and the route configuration', async () => {
    const r = await s.fetch('/headers');
    expect(r.headers['x-resp-route']).toBe('r');
    expect(r.headers['x-resp-config']).toBe('1');
    expect(r.headers['x-served-by']).toBeUndefined();
  });

  it.skipIf(!available)('applies a weighted cluster entry\'s headers before the route\'s levels', async () => {
    const r = await s.fetch('/weighted');
    expect(r.headers['x-served-by']).toBe('v2');
    expect(r.headers['x-entry']).toBe('v2');
    expect(r.json<{ headers: Record<string, string> }>().headers['x-level']).toBe('config');
  });

  it.skipIf(!available)('rewrites the path prefix and records the original path', async () => {
    const seen = (await s.fetch('/old/page?q=1')).json<{ path: string; headers: Record<string, string> }>();
    expect(seen.path).toBe('/new/page?q=1');
    expect(seen.headers['x-envoy-original-path']).toBe('/old/page?q=1');
  });

  it.skipIf(!available)('rewrites the path with a regex and the host with a literal', async () => {
    const r = await s.fetch('/users/42/profile');
    const seen = r.json<{ path: string; headers: Record<string, string> }>();
    expect(r.headers['x-served-by']).toBe('v2');
    expect(seen.path).toBe('/profiles/42');
    expect(seen.headers['host']).toBe('profiles.internal');
  });

  it.skipIf(!available)('redirects to https with 301 keeping host and path', async () => {
    const r = await s.fetch('/secure/area?x=1', { authority: 'shop.example' });
    expect(r.status).toBe(301);
    expect(r.headers['location']).toBe('https://shop.example/secure/area?x=1');
    expect(r.body).toBe('');
  });

  it.skipIf(!available)('redirects to path_redirect with 307 and strips the query', async () => {
    const r = await s.fetch('/moved?x=1', { authority: 'shop.example' });
    expect(r.status).toBe(307);
    expect(r.headers['location']).toBe('http://shop.example/new-home');
    expect(r.headers['x-resp-config']).toBe('1');
  });

  it.skipIf(!available)('redirects plain-text requests to https on a require_tls virtual host', async () => {
    const r = await s.fetch('/a?b=1', { authority: 'tls-only.example' });
    expect(r.status).toBe(301);
    expect(r.headers['location']).toBe('https://tls-only.example/a?b=1');
    expect(r.headers['x-resp-config']).toBeUndefined();
  });

  it.skipIf(!available)('answers a direct response with the body of a file', async () => {
    const r = await s.fetch('/maintenance');
    expect(r.status).toBe(503);
    expect(r.body).toBe('<h1>down for maintenance</h1>\n');
  });

  it.skipIf(!available)('writes access log lines in the configured format', async () => {
    await s.fetch('/old/a');
    await s.fetch('/secure');
    // Envoy flushes file access logs on a timer; wait for both lines.
    let lines: string[] = [];
    for (let i = 0; i < 50 && lines.length < 2; i++) {
      lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('/old/a') || l.includes('/secure'));
      if (lines.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lines).toContain('GET /old/a 200 - v1 -');
    expect(lines).toContain('GET /secure 301 - - -');
  });
});
