/** metrics: every standard label, extra labels with allow-list / cap, value sanitising, id caching, hostcall budget. */
import { describe, expect, it } from 'vitest';
import { exchange, metricsHost, samples } from './helpers.ts';

/** The value of `label` on the single requests_total series after one exchange. */
async function labelAfter(label: string, x: Parameters<typeof exchange>[1], config: Record<string, unknown> = {}): Promise<string> {
  const env = await metricsHost({ labels: [label], ...config });
  exchange(env, x);
  const lines = samples(env.prometheus(), 'asmesh_requests_total');
  expect(lines).toHaveLength(1);
  const m = new RegExp(`${label}="([^"]*)"`).exec(lines[0]!);
  expect(m, lines[0]).not.toBeNull();
  return m![1]!;
}

const SA = 'spiffe://cluster.local/ns/shop/sa/cart';

describe('metrics standard labels', () => {
  it('response_code is the response status', async () => {
    expect(await labelAfter('response_code', { status: '503' })).toBe('503');
  });
  it('request_method is the request :method', async () => {
    expect(await labelAfter('request_method', { method: 'PATCH' })).toBe('PATCH');
  });
  it('request_protocol is grpc for application/grpc content', async () => {
    expect(await labelAfter('request_protocol', { headers: [['content-type', 'application/grpc+proto']] })).toBe('grpc');
  });
  it('request_protocol is http otherwise', async () => {
    expect(await labelAfter('request_protocol', { headers: [['content-type', 'application/json']] })).toBe('http');
  });
  it('source_principal is the peer SPIFFE URI', async () => {
    expect(await labelAfter('source_principal', { uriSan: SA })).toBe(SA);
  });
  it('source_principal is unknown without mTLS', async () => {
    expect(await labelAfter('source_principal', {})).toBe('unknown');
  });
  it('source_workload_namespace is the SPIFFE namespace', async () => {
    expect(await labelAfter('source_workload_namespace', { uriSan: SA })).toBe('shop');
  });
  it('source_workload_namespace is unknown for a non-SPIFFE peer', async () => {
    expect(await labelAfter('source_workload_namespace', { uriSan: 'https://example.com/ns/x' })).toBe('unknown');
  });
  it('destination_service is the authority host, lower-case, without port', async () => {
    expect(await labelAfter('destination_service', { authority: 'Reviews.Default.svc:9080' })).toBe('reviews.default.svc');
  });
  it('destination_service keeps an IPv6 authority without its port', async () => {
    expect(await labelAfter('destination_service', { authority: '[fd00::1]:8080' })).toBe('[fd00::1]');
  });
  it('destination_service is the upstream cluster with destinationService cluster', async () => {
    expect(await labelAfter('destination_service', { clusterName: 'outbound|9080||reviews' }, { destinationService: 'cluster' }))
      .toBe('outbound|9080||reviews');
  });
  it('route_name is the xds route name', async () => {
    expect(await labelAfter('route_name', { routeName: 'reviews-v2' })).toBe('reviews-v2');
  });
  it('route_name falls back to the top-level route_name property of older Envoy', async () => {
    expect(await labelAfter('route_name', { extraProperties: { route_name: 'legacy-route' } })).toBe('legacy-route');
  });
  it('route_name is unknown without a route', async () => {
    expect(await labelAfter('route_name', {})).toBe('unknown');
  });
  it('response_flags lists the short codes of the flags bitmask', async () => {
    expect(await labelAfter('response_flags', { streamInfo: { responseFlags: 0x2 | 0x20 | 0x100 } })).toBe('UH,UF,NR');
  });
  it('response_flags is "-" without flags', async () => {
    expect(await labelAfter('response_flags', { streamInfo: { responseFlags: 0 } })).toBe('-');
  });

  it('emits all standard labels by default, in the documented order', async () => {
    const env = await metricsHost({});
    exchange(env, { method: 'GET', authority: 'a.b', status: '200', uriSan: SA, routeName: 'r', streamInfo: { responseFlags: 0 } });
    expect(samples(env.prometheus(), 'asmesh_requests_total')).toEqual([
      'asmesh_requests_total{response_code="200",request_method="GET",request_protocol="http",source_principal="spiffe://cluster.local/ns/shop/sa/cart",' +
        'source_workload_namespace="shop",destination_service="a.b",route_name="r",response_flags="-"} 1',
    ]);
  });

  it('uses the configured prefix', async () => {
    const env = await metricsHost({ prefix: 'mesh_', labels: [] });
    exchange(env);
    expect(env.prometheus()).toContain('# TYPE mesh_requests_total counter\nmesh_requests_total{} 1\n');
  });
});

describe('metrics extra labels', () => {
  const config = {
    labels: [],
    extraLabels: [
      { name: 'tenant', header: 'X-Tenant', values: ['acme', 'globex'] },
      { name: 'client', header: 'x-client', maxValues: 2 },
    ],
  };
  const tenants = (text: string) => samples(text, 'asmesh_requests_total');

  it('keeps allow-listed values, maps others to "other" and a missing header to "unknown"', async () => {
    const env = await metricsHost({ labels: [], extraLabels: [config.extraLabels[0]] }, { extraTags: ['tenant'] });
    for (const t of ['acme', 'globex', 'initech', 'acme']) exchange(env, { headers: [['x-tenant', t]] });
    exchange(env);
    expect(tenants(env.prometheus()).sort()).toEqual([
      'asmesh_requests_total{tenant="acme"} 2',
      'asmesh_requests_total{tenant="globex"} 1',
      'asmesh_requests_total{tenant="other"} 1',
      'asmesh_requests_total{tenant="unknown"} 1',
    ]);
  });

  it('caps distinct values: the first maxValues keep their value, later ones become "other"', async () => {
    const env = await metricsHost({ labels: [], extraLabels: [config.extraLabels[1]] }, { extraTags: ['client'] });
    for (const c of ['ios', 'android', 'web', 'cli', 'ios']) exchange(env, { headers: [['x-client', c]] });
    expect(tenants(env.prometheus()).sort()).toEqual([
      'asmesh_requests_total{client="android"} 1',
      'asmesh_requests_total{client="ios"} 2',
      'asmesh_requests_total{client="other"} 2',
    ]);
  });

  it('combines extra labels after the standard ones', async () => {
    const env = await metricsHost({ ...config, labels: ['request_method'] }, { extraTags: ['tenant', 'client'] });
    exchange(env, { method: 'PUT', headers: [['x-tenant', 'acme'], ['x-client', 'web']] });
    expect(tenants(env.prometheus())).toEqual(['asmesh_requests_total{request_method="PUT",tenant="acme",client="web"} 1']);
  });

  it('replaces ";" and "=" in values so the tag regexes stay unambiguous', async () => {
    const env = await metricsHost({ labels: ['request_method'], extraLabels: [config.extraLabels[1]] }, { extraTags: ['client'] });
    exchange(env, { method: 'GET', headers: [['x-client', 'a;.;request_method=.=POST']] });
    expect(tenants(env.prometheus())).toEqual(['asmesh_requests_total{request_method="GET",client="a_._request_method_._POST"} 1']);
  });
});

describe('metrics maxSeries', () => {
  it('records new combinations past maxSeries under one "other" series and warns once', async () => {
    const env = await metricsHost({ labels: ['response_code', 'request_method'], maxSeries: 2 });
    for (const status of ['200', '404', '500', '503', '200']) exchange(env, { status });
    expect(samples(env.prometheus(), 'asmesh_requests_total').sort()).toEqual([
      'asmesh_requests_total{response_code="200",request_method="GET"} 2',
      'asmesh_requests_total{response_code="404",request_method="GET"} 1',
      'asmesh_requests_total{response_code="other",request_method="other"} 2',
    ]);
    expect(env.logs('warn').filter((l) => l.includes('maxSeries (2) reached'))).toHaveLength(1);
  });
});

describe('metrics ids and hostcalls', () => {
  it('defines the four stats once per label combination', async () => {
    const env = await metricsHost({ labels: ['request_method'] });
    exchange(env, { method: 'GET' });
    env.resetHostcalls();
    exchange(env, { method: 'GET' });
    expect(env.hostcalls('proxy_on_log').proxy_define_metric ?? 0).toBe(0);
    exchange(env, { method: 'POST' });
    expect(env.hostcalls('proxy_on_log').proxy_define_metric).toBe(4);
  });

  it('reads the request header map once in onRequestHeaders and never in onLog', async () => {
    const env = await metricsHost({ extraLabels: [{ name: 'tenant', header: 'x-tenant', maxValues: 5 }] }, { extraTags: ['tenant'] });
    exchange(env, { headers: [['x-tenant', 'a']] });
    env.resetHostcalls();
    exchange(env, { headers: [['x-tenant', 'a']] });
    expect(env.hostcalls('proxy_on_request_headers')).toEqual({ proxy_get_header_map_pairs: 1 });
    const onLog = env.hostcalls('proxy_on_log');
    expect(onLog.proxy_get_header_map_pairs ?? 0).toBe(0);
    expect(onLog.proxy_increment_metric).toBe(1);
    expect(onLog.proxy_record_metric).toBe(3);
  });

  it('reads no property for labels that are switched off', async () => {
    const env = await metricsHost({ labels: ['request_method'] });
    exchange(env);
    env.resetHostcalls();
    exchange(env);
    // duration, request size, response size only
    expect(env.hostcalls('proxy_on_log').proxy_get_property).toBe(3);
  });
});

describe('metrics robustness', () => {
  it('labels a request without pseudo-headers as unknown and does not trap', async () => {
    const env = await metricsHost({ labels: ['request_method', 'destination_service'] });
    const s = env.openStream();
    s.sendRequestHeaders([['x-only', '1']], { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    s.complete();
    expect(samples(env.prometheus(), 'asmesh_requests_total')).toEqual([
      'asmesh_requests_total{request_method="unknown",destination_service="unknown"} 1',
    ]);
  });

  it('counts a stream that ends without a response with response_code 0', async () => {
    const env = await metricsHost({ labels: ['response_code'] });
    const s = env.openStream();
    s.sendRequestHeaders([[':method', 'GET'], [':path', '/'], [':authority', 'a']], { endStream: true });
    s.complete();
    expect(samples(env.prometheus(), 'asmesh_requests_total')).toEqual(['asmesh_requests_total{response_code="0"} 1']);
  });
});
