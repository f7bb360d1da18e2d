import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { validateBootstrap } from '../../../harness/envoy/validate.ts';
import { readDataPlaneConfig } from '../../../harness/dataplane/config.ts';
import { renderBootstrap } from '../../../harness/dataplane/scenario.ts';

const HCM = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config';

function base(): Record<string, any> {
  return renderBootstrap({ services: ['v1'], filters: [{ name: 'empty', wasm: 'dist/filters/empty.wasm', configuration: { a: 1 } }] }, { v1: { address: '127.0.0.1', port: 9 } });
}

function read(bootstrap: Record<string, unknown>) {
  return readDataPlaneConfig(validateBootstrap(bootstrap, 'test').bootstrap, 'test');
}

function refusal(bootstrap: Record<string, unknown>): string {
  try {
    read(bootstrap);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('emulated data plane bootstrap subset', () => {
  it('reads listeners, routes, wasm filters and clusters of a rendered scenario', () => {
    const config = read(base());
    expect(config.listeners).toHaveLength(1);
    const hcm = config.listeners[0]!.hcm;
    expect(hcm.statPrefix).toBe('ingress_http');
    expect(hcm.filters[0]).toMatchObject({ pluginName: 'empty', rootId: 'empty', vmId: 'empty', configuration: '{"a":1}', failOpen: false });
    expect(config.clusters.get('v1')).toEqual({
      name: 'v1', type: 'STATIC', lbPolicy: 'ROUND_ROBIN', connectTimeoutMs: 1000, endpoints: [{ address: '127.0.0.1', port: 9 }], dnsLookupFamily: 'AUTO', dnsRefreshMs: 5000,
    });
  });

  it('refuses an unsupported HCM field with its path', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.stream_idle_timeout = '10s';
    expect(refusal(b)).toContain(`${HCM}.stream_idle_timeout: not supported by the emulated data plane`);
  });

  it('refuses an EDS cluster type naming the field and value', () => {
    const b = base();
    b.static_resources.clusters[0].type = 'EDS';
    expect(refusal(b)).toContain('static_resources.clusters[0].type: value "EDS" not supported');
  });

  it('refuses an http filter other than wasm and router', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters.unshift({
      name: 'envoy.filters.http.fault', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault' },
    });
    expect(refusal(b)).toContain(`${HCM}.http_filters[0].typed_config: filter type "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault" not supported`);
  });

  it('refuses remote wasm code', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.config.vm_config.code = {
      remote: { http_uri: { uri: 'https://example.com/f.wasm', cluster: 'v1', timeout: '1s' }, sha256: 'ab' },
    };
    expect(refusal(b)).toContain(`${HCM}.http_filters[0].typed_config.config.vm_config.code: only code.local.filename is supported`);
  });

  it('refuses a route to a cluster that does not exist', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster = 'nope';
    expect(refusal(b)).toContain("unknown cluster 'nope'");
  });

  it('refuses a Struct plugin configuration (Envoy passes it as binary protobuf)', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.config.configuration = {
      '@type': 'type.googleapis.com/google.protobuf.Struct', value: { a: 1 },
    };
    expect(refusal(b)).toContain('typed_config.config.configuration.@type');
  });

  it('reads route matchers, weighted clusters, direct responses and timeouts', () => {
    const b = base();
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes = [
      { name: 'h', match: { prefix: '/', headers: [{ name: 'X-V', string_match: { exact: 'b' } }, { name: 'x-p', present_match: true, invert_match: true }] }, route: { cluster: 'v1', timeout: '0.25s' } },
      { name: 'w', match: { safe_regex: { google_re2: {}, regex: '/w/[0-9]+' } }, route: { weighted_clusters: { clusters: [{ name: 'v1', weight: 100 }] } } },
      { name: 'd', match: { path: '/health' }, direct_response: { status: 200, body: { inline_string: 'ok' } } },
    ];
    const routes = read(b).listeners[0]!.hcm.routeConfig.virtualHosts[0]!.routes;
    expect(routes[0]!.action).toEqual({ kind: 'cluster', cluster: 'v1', timeoutMs: 250, rewrite: { autoHost: false } });
    expect(routes[0]!.match.headers).toEqual([
      { name: 'x-v', invert: false, treatMissingAsEmpty: false, string: { kind: 'exact', value: 'b', ignoreCase: false } },
      { name: 'x-p', invert: true, treatMissingAsEmpty: false, present: true },
    ]);
    expect(routes[1]!.action).toEqual({ kind: 'weighted', clusters: [{ name: 'v1', weight: 100 }], timeoutMs: 15000, rewrite: { autoHost: false } });
    expect(routes[2]!.action).toEqual({ kind: 'direct', status: 200, body: 'ok' });
  });
});
