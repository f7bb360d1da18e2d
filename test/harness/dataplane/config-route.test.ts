import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { validateBootstrap } from '../../../harness/envoy/validate.ts';
import { readDataPlaneConfig } from '../../../harness/dataplane/config.ts';
import { renderBootstrap } from '../../../harness/dataplane/scenario.ts';

const HCM = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config';
const ROUTE = `${HCM}.route_config.virtual_hosts[0].routes[0]`;

function base(route: Record<string, unknown> = { match: { prefix: '/' }, route: { cluster: 'v1' } }): Record<string, any> {
  return renderBootstrap({ services: ['v1'], routes: [route] }, { v1: { address: '127.0.0.1', port: 9 } });
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

const hcm = (b: Record<string, any>): Record<string, any> => b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;

describe('emulated data plane route table fields', () => {
  it('reads header policies with append_action and legacy append', () => {
    const b = base({
      match: { prefix: '/' }, route: { cluster: 'v1' },
      request_headers_to_add: [{ header: { key: 'X-A', value: '1' }, append: false }, { header: { key: 'x-b', value: '2' }, append_action: 'ADD_IF_ABSENT', keep_empty_value: true }],
      response_headers_to_remove: ['X-Gone'],
    });
    const route = read(b).listeners[0]!.hcm.routeConfig.virtualHosts[0]!.routes[0]!;
    expect(route.headers.request.add.map(({ name, action, keepEmpty }) => ({ name, action, keepEmpty }))).toEqual([
      { name: 'x-a', action: 'OVERWRITE_IF_EXISTS_OR_ADD', keepEmpty: false },
      { name: 'x-b', action: 'ADD_IF_ABSENT', keepEmpty: true },
    ]);
    expect(route.headers.response.remove).toEqual(['x-gone']);
  });

  it('rejects request_headers_to_add of a pseudo-header, as Envoy does', () => {
    const b = base({ match: { prefix: '/' }, route: { cluster: 'v1' }, request_headers_to_add: [{ header: { key: ':path', value: '/x' } }] });
    expect(refusal(b)).toContain(`${ROUTE}.request_headers_to_add[0].header.key: ":path": Envoy rejects adding`);
  });

  it('rejects append together with append_action, as Envoy does', () => {
    const b = base({ match: { prefix: '/' }, route: { cluster: 'v1' }, response_headers_to_add: [{ header: { key: 'x', value: '1' }, append: true, append_action: 'ADD_IF_ABSENT' }] });
    expect(refusal(b)).toContain(`${ROUTE}.response_headers_to_add[0].append: Envoy rejects append together with append_action`);
  });

  it('rejects request_headers_to_remove of host', () => {
    const b = base({ match: { prefix: '/' }, route: { cluster: 'v1' }, request_headers_to_remove: ['host'] });
    expect(refusal(b)).toContain(`${ROUTE}.request_headers_to_remove[0]: "host": Envoy rejects removing`);
  });

  it('rejects a header value with an unsupported command operator, naming it', () => {
    const b = base();
    hcm(b).route_config.response_headers_to_add = [{ header: { key: 'x-t', value: '%UPSTREAM_PEER_URI_SAN%' } }];
    expect(refusal(b)).toContain(`${HCM}.route_config.response_headers_to_add[0].header.value: command operator %UPSTREAM_PEER_URI_SAN% not supported`);
  });

  it('reads headers on a weighted cluster entry and refuses its other fields', () => {
    const b = base({ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'v1', weight: 1, request_headers_to_add: [{ header: { key: 'x', value: '1' } }] }] } } });
    const action = read(b).listeners[0]!.hcm.routeConfig.virtualHosts[0]!.routes[0]!.action;
    expect(action.kind === 'weighted' && action.clusters[0]!.headers?.request.add.map((h) => h.name)).toEqual(['x']);
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0].host_rewrite_literal = 'h';
    expect(refusal(b)).toContain(`${ROUTE}.route.weighted_clusters.clusters[0].host_rewrite_literal: not supported`);
  });

  it('reads redirects with their response code', () => {
    const b = base({ match: { prefix: '/' }, redirect: { scheme_redirect: 'HTTPS', host_redirect: 'h', port_redirect: 8443, prefix_rewrite: '/p', response_code: 'PERMANENT_REDIRECT' } });
    expect(read(b).listeners[0]!.hcm.routeConfig.virtualHosts[0]!.routes[0]!.action).toEqual({
      kind: 'redirect', redirect: { scheme: 'https', host: 'h', port: 8443, path: { kind: 'prefix', value: '/p' }, stripQuery: false, status: 308 },
    });
  });

  it('rejects prefix_rewrite on a safe_regex route', () => {
    const b = base({ match: { safe_regex: { regex: '/a.*' } }, route: { cluster: 'v1', prefix_rewrite: '/b' } });
    expect(refusal(b)).toContain(`${ROUTE}.route.prefix_rewrite: prefix_rewrite with a safe_regex match is not supported`);
  });

  it('rejects an inline direct response body over max_direct_response_body_size_bytes', () => {
    const b = base({ match: { prefix: '/' }, direct_response: { status: 200, body: { inline_string: 'x'.repeat(4097) } } });
    expect(refusal(b)).toContain(`${ROUTE}.direct_response.body: response body size is 4097 bytes; maximum is 4096`);
    hcm(b).route_config.max_direct_response_body_size_bytes = 5000;
    expect(() => read(b)).not.toThrow();
  });

  it('accepts a route to an unknown cluster with validate_clusters: false (503 at request time)', () => {
    const b = base({ match: { prefix: '/' }, route: { cluster: 'nope' } });
    expect(refusal(b)).toContain("unknown cluster 'nope'");
    hcm(b).route_config.validate_clusters = false;
    expect(read(b).listeners[0]!.hcm.routeConfig.validateClusters).toBe(false);
  });

  it('still refuses route fields it does not implement', () => {
    const b = base({ match: { prefix: '/' }, route: { cluster: 'v1', retry_policy: { retry_on: '5xx' } } });
    expect(refusal(b)).toContain(`${ROUTE}.route.retry_policy: not supported`);
  });
});

describe('emulated data plane access log fields', () => {
  const fileLog = (extra: Record<string, unknown> = {}) => ({
    name: 'envoy.access_loggers.file',
    typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path: '/tmp/x.log', ...extra },
  });

  it('reads a file access log with the default format and a stdout one', () => {
    const b = base();
    hcm(b).access_log = [fileLog(), { name: 'envoy.access_loggers.stdout', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog' } }];
    expect(read(b).listeners[0]!.hcm.accessLogs.map((l) => l.sink)).toEqual([{ kind: 'file', path: '/tmp/x.log' }, { kind: 'stdout' }]);
  });

  it('rejects an unknown command operator in the log format, naming it', () => {
    const b = base();
    hcm(b).access_log = [fileLog({ log_format: { text_format_source: { inline_string: '%REQ(:PATH)% %UPSTREAM_WIRE_BYTES_SENT%\n' } } })];
    expect(refusal(b)).toContain(`${HCM}.access_log[0].typed_config.log_format.text_format_source.inline_string: command operator %UPSTREAM_WIRE_BYTES_SENT% not supported`);
  });

  it('rejects json_format and access log filters', () => {
    const b = base();
    hcm(b).access_log = [{ ...fileLog({ log_format: { json_format: { code: '%RESPONSE_CODE%' } } }), filter: { status_code_filter: { comparison: { op: 'GE', value: { default_value: 400, runtime_key: 'k' } } } } }];
    const message = refusal(b);
    expect(message).toContain(`${HCM}.access_log[0].typed_config.log_format.json_format: not supported`);
    expect(message).toContain(`${HCM}.access_log[0].filter: not supported`);
  });

  it('rejects other access loggers', () => {
    const b = base();
    hcm(b).access_log = [{ name: 'envoy.access_loggers.http_grpc', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig', common_config: { log_name: 'x', transport_api_version: 'V3', grpc_service: { envoy_grpc: { cluster_name: 'v1' } } } } }];
    expect(refusal(b)).toContain(`${HCM}.access_log[0].typed_config: access logger "type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig" not supported`);
  });
});

describe('emulated data plane cluster fields', () => {
  it('reads STRICT_DNS with dns_lookup_family and LEAST_REQUEST', () => {
    const b = base();
    Object.assign(b.static_resources.clusters[0], { type: 'STRICT_DNS', dns_lookup_family: 'V4_ONLY', lb_policy: 'LEAST_REQUEST', dns_refresh_rate: '2s' });
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = 'localhost';
    expect(read(b).clusters.get('v1')).toMatchObject({ type: 'STRICT_DNS', dnsLookupFamily: 'V4_ONLY', lbPolicy: 'LEAST_REQUEST', dnsRefreshMs: 2000, endpoints: [{ address: 'localhost', port: 9 }] });
  });

  it('rejects a hostname in a STATIC cluster, as Envoy does', () => {
    const b = base();
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = 'localhost';
    expect(refusal(b)).toContain('static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address: "localhost" is not an IP address');
  });

  it('rejects a LOGICAL_DNS cluster with two endpoints', () => {
    const b = base();
    b.static_resources.clusters[0].type = 'LOGICAL_DNS';
    const endpoints = b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints;
    endpoints.push(endpoints[0]);
    expect(refusal(b)).toContain('static_resources.clusters[0].load_assignment: LOGICAL_DNS clusters need exactly one endpoint');
  });

  it('still refuses other load balancers', () => {
    const b = base();
    b.static_resources.clusters[0].lb_policy = 'RING_HASH';
    expect(refusal(b)).toContain('static_resources.clusters[0].lb_policy: value "RING_HASH" not supported');
  });
});
