import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricStore } from '../../../harness/host/index.ts';
import { startEchoService, type EchoService } from '../../../harness/dataplane/echo-service.ts';
import type { ClusterConfig } from '../../../harness/dataplane/config-types.ts';
import { DataPlaneStats } from '../../../harness/dataplane/stats.ts';
import { ClusterManager, CONNECTION_FAILURE, NO_HEALTHY_UPSTREAM } from '../../../harness/dataplane/upstream.ts';

describe('cluster manager as the proxy_http_call transport', () => {
  let a: EchoService;
  let b: EchoService;
  let clusters: ClusterManager;
  let store: MetricStore;
  beforeAll(async () => {
    a = await startEchoService('a');
    b = await startEchoService('b');
    store = new MetricStore();
    const cluster = (name: string, endpoints: { address: string; port: number }[]): [string, ClusterConfig] =>
      [name, { name, type: 'STATIC', lbPolicy: 'ROUND_ROBIN', connectTimeoutMs: 500, endpoints, dnsLookupFamily: 'AUTO', dnsRefreshMs: 5000 }];
    clusters = new ClusterManager(new Map([
      cluster('svc', [{ address: a.address, port: a.port }, { address: b.address, port: b.port }]),
      cluster('dead', [{ address: '127.0.0.1', port: 1 }]),
      cluster('empty', []),
    ]), new DataPlaneStats(store));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  const call = (cluster: string, path = '/') => clusters.send({
    cluster, headers: [[':method', 'POST'], [':path', path], [':authority', 'svc.local'], ['x-k', 'v']], body: new TextEncoder().encode('hi'), trailers: [], timeoutMs: 1000,
  }, new AbortController().signal);

  it('lists the configured clusters', () => {
    expect([...clusters.clusters()]).toEqual(['svc', 'dead', 'empty']);
  });

  it('delivers the call with its headers and body, and returns the upstream response', async () => {
    const outcome = await call('svc', '/check');
    expect(outcome.kind).toBe('response');
    if (outcome.kind !== 'response') return;
    expect(outcome.headers[0]).toEqual([':status', '200']);
    const echoed = JSON.parse(new TextDecoder().decode(outcome.body)) as { path: string; body: string; headers: Record<string, string> };
    expect(echoed).toMatchObject({ path: '/check', body: 'hi' });
    expect(echoed.headers).toMatchObject({ host: 'svc.local', 'x-k': 'v', 'content-length': '2' });
  });

  it('spreads calls round-robin over the endpoints', async () => {
    const served = [];
    for (let i = 0; i < 4; i++) {
      const o = await call('svc');
      if (o.kind === 'response') served.push(new Map(o.headers).get('x-served-by'));
    }
    expect(new Set(served)).toEqual(new Set(['a', 'b']));
  });

  it('answers 503 with the connection failure text when the endpoint refuses', async () => {
    const o = await call('dead');
    expect(o.kind === 'response' && new TextDecoder().decode(o.body)).toBe(CONNECTION_FAILURE);
    expect(store.get('cluster.dead.upstream_cx_connect_fail')?.value).toBe(1);
  });

  it('answers 503 no healthy upstream for a cluster without endpoints', async () => {
    const o = await call('empty');
    expect(o.kind === 'response' && new Map(o.headers).get(':status')).toBe('503');
    expect(o.kind === 'response' && new TextDecoder().decode(o.body)).toBe(NO_HEALTHY_UPSTREAM);
  });
});
