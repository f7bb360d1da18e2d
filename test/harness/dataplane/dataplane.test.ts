import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane } from '../../../harness/dataplane/dataplane.ts';
import { loadBootstrapFile } from '../../../harness/envoy/validate.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { startScenario, type Scenario } from '../../../harness/dataplane/scenario.ts';
import { CONNECTION_FAILURE, NO_HEALTHY_UPSTREAM, UPSTREAM_TIMEOUT } from '../../../harness/dataplane/upstream.ts';

// Emulated data plane without Wasm filters: listeners, routing, clusters and admin over real HTTP.
describe('emulated data plane (no wasm filters)', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({
      services: ['v1', 'v2'],
      deadClusters: { refused: 'refused', empty: 'empty' },
      routes: [
        { name: 'health', match: { path: '/healthz' }, direct_response: { status: 200, body: { inline_string: 'ok' } } },
        { name: 'slow', match: { prefix: '/slow' }, route: { cluster: 'v1', timeout: '0.2s' } },
        { name: 'refused', match: { prefix: '/refused' }, route: { cluster: 'refused' } },
        { name: 'empty', match: { prefix: '/empty' }, route: { cluster: 'empty' } },
        { name: 'to-v2', match: { prefix: '/', headers: [{ name: 'x-version', string_match: { exact: 'v2' } }] }, route: { cluster: 'v2' } },
        { name: 'api', match: { prefix: '/api' }, route: { cluster: 'v1' } },
      ],
    }, 'emulator');
  });
  afterAll(async () => s?.stop());

  it('routes by header to the cluster the route names', async () => {
    expect((await s.fetch('/x', { headers: { 'x-version': 'v2' } })).headers['x-served-by']).toBe('v2');
    expect((await s.fetch('/api/users')).headers['x-served-by']).toBe('v1');
  });

  it('answers 404 with an empty body when no route matches', async () => {
    const r = await s.fetch('/nothing');
    expect(r.status).toBe(404);
    expect(r.body).toBe('');
  });

  it('serves direct responses', async () => {
    const r = await s.fetch('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toBe('ok');
    expect(r.headers['server']).toBe('envoy');
  });

  it('forwards the request with x-request-id, x-forwarded-proto and the original host', async () => {
    const r = await s.fetch('/api/echo?q=1', { authority: 'shop.example' });
    const seen = r.json<{ path: string; headers: Record<string, string> }>();
    expect(seen.path).toBe('/api/echo?q=1');
    expect(seen.headers['host']).toBe('shop.example');
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-envoy-expected-rq-timeout-ms']).toBe('15000');
    expect(r.headers['x-envoy-upstream-service-time']).toMatch(/^\d+$/);
  });

  it('keeps a client x-request-id when use_remote_address is off', async () => {
    const r = await s.fetch('/api', { headers: { 'x-request-id': 'abc' } });
    expect(r.json<{ headers: Record<string, string> }>().headers['x-request-id']).toBe('abc');
  });

  it('answers 504 upstream request timeout when the route timeout passes', async () => {
    const r = await s.fetch('/slow', { headers: { 'x-echo-delay-ms': '1000' } });
    expect(r.status).toBe(504);
    expect(r.body).toBe(UPSTREAM_TIMEOUT);
  });

  it('answers 503 with the connection failure text when the upstream refuses', async () => {
    const r = await s.fetch('/refused');
    expect(r.status).toBe(503);
    expect(r.body).toBe(CONNECTION_FAILURE);
  });

  it('answers 503 no healthy upstream for a cluster without endpoints', async () => {
    const r = await s.fetch('/empty');
    expect(r.status).toBe(503);
    expect(r.body).toBe(NO_HEALTHY_UPSTREAM);
  });

  it('counts downstream and upstream requests in the admin stats', async () => {
    const text = await s.prometheus();
    expect(text).toMatch(/envoy_cluster_upstream_rq_total\{envoy_cluster_name="v2"\} [1-9]/);
    expect(text).toMatch(/envoy_http_downstream_rq_xx\{envoy_response_code_class="5",envoy_http_conn_manager_prefix="ingress_http"\} [1-9]/);
    expect(await s.stat('cluster.refused.upstream_cx_connect_fail')).toBeGreaterThanOrEqual(1);
    expect(await s.stat('cluster.v1.upstream_rq_timeout')).toBeGreaterThanOrEqual(1);
  });

  it('serves /ready and reports listener addresses on the admin port', async () => {
    const ready = await fetch(`http://${s.adminAddress}/ready`);
    expect(await ready.text()).toBe('LIVE\n');
    const listeners = await (await fetch(`http://${s.adminAddress}/listeners?format=json`)).json() as { listener_statuses: { name: string; local_address: { socket_address: { port_value: number } } }[] };
    expect(`http://127.0.0.1:${listeners.listener_statuses[0]!.local_address.socket_address.port_value}`).toBe(s.url);
  });
});

describe('emulated data plane admin', () => {
  it('serves /stats as text and stops the engine on POST /quitquitquit', async () => {
    const s = await startScenario({ services: ['v1'] }, 'emulator');
    try {
      await s.fetch('/');
      const text = await (await fetch(`http://${s.adminAddress}/stats?filter=^cluster\\.v1\\.`)).text();
      expect(text).toContain('cluster.v1.upstream_rq_total: 1\n');
      expect(text).not.toContain('http.ingress_http');
      const exited = s.running.untilExit();
      expect(await (await fetch(`http://${s.adminAddress}/quitquitquit`, { method: 'POST' })).text()).toBe('OK\n');
      await exited;
    } finally {
      await s.stop();
    }
  });
});

describe('emulated data plane x-forwarded-for', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario({ services: ['v1'], connectionManager: { use_remote_address: true } }, 'emulator');
  });
  afterAll(async () => s?.stop());

  it('appends the peer address and marks internal requests with use_remote_address', async () => {
    const headers = (await s.fetch('/')).json<{ headers: Record<string, string> }>().headers;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-envoy-internal']).toBe('true');
  });

  it('appends to an existing x-forwarded-for', async () => {
    const headers = (await s.fetch('/', { headers: { 'x-forwarded-for': '203.0.113.7' } })).json<{ headers: Record<string, string> }>().headers;
    expect(headers['x-forwarded-for']).toBe('203.0.113.7,127.0.0.1');
    expect(headers['x-envoy-internal']).toBeUndefined();
  });
});

describe('emulated data plane wasm code paths', () => {
  it('resolves a relative code.local.filename against the working directory, as Envoy does', async () => {
    const demo = await loadBootstrapFile('envoy/demo.yaml');
    const error = await startDataPlane(demo, { cwd: '/nonexistent-dir' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('vm_config.code.local.filename: cannot read /nonexistent-dir/dist/filters/metrics.wasm');
  });
});

describe('emulated data plane weighted clusters', () => {
  it('picks the cluster from the cumulative weights with the random value', async () => {
    const routes = [{ name: 'split', match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'v1', weight: 30 }, { name: 'v2', weight: 70 }] } } }];
    const low = await startScenario({ services: ['v1', 'v2'], routes }, 'emulator', { random: () => 0.29 });
    const high = await startScenario({ services: ['v1', 'v2'], routes }, 'emulator', { random: () => 0.3 });
    try {
      expect((await low.fetch('/')).headers['x-served-by']).toBe('v1');
      expect((await high.fetch('/')).headers['x-served-by']).toBe('v2');
    } finally {
      await low.stop();
      await high.stop();
    }
  });
});
