import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { checkBootstrap, validateBootstrap } from '../../../harness/envoy/validate.ts';

function bootstrap(wasmConfig: Record<string, unknown>): Record<string, unknown> {
  return {
    static_resources: {
      listeners: [{
        name: 'ingress',
        address: { socket_address: { address: '127.0.0.1', port_value: 0 } },
        filter_chains: [{ filters: [{
          name: 'envoy.filters.network.http_connection_manager',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
            stat_prefix: 'ingress_http',
            route_config: { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] }] },
            http_filters: [
              { name: 'wasm', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm', config: wasmConfig } },
              { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
            ],
          },
        }] }],
      }],
      clusters: [{ name: 'c', type: 'STATIC', connect_timeout: '1s' }],
    },
  };
}
const goodWasm = {
  name: 'router', root_id: 'router',
  configuration: { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: '{}' },
  vm_config: { vm_id: 'router', runtime: 'envoy.wasm.runtime.v8', code: { local: { filename: 'dist/filters/router.wasm' } } },
};
const WASM_PATH = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.config';

describe('bootstrap proto validation', () => {
  it('accepts a bootstrap with a wasm filter', () => {
    expect(checkBootstrap(bootstrap(goodWasm)).issues).toEqual([]);
  });

  it('rejects an unknown field deep inside a wasm filter typed_config with its path', () => {
    const { vm_config, ...rest } = goodWasm;
    const { code, ...vm } = vm_config;
    const issues = checkBootstrap(bootstrap({ ...rest, vm_config: { ...vm, cod: code } })).issues;
    expect(issues).toContainEqual({ path: `${WASM_PATH}.vm_config.cod`, message: 'unknown field' });
  });

  it('rejects a wrong type with the field path', () => {
    const issues = checkBootstrap(bootstrap({ ...goodWasm, fail_open: 'yes' })).issues;
    expect(issues).toEqual([{ path: `${WASM_PATH}.fail_open`, message: 'expected true or false, got string "yes"' }]);
  });

  it('rejects an unknown @type URL', () => {
    const issues = checkBootstrap(bootstrap({ ...goodWasm, configuration: { '@type': 'type.googleapis.com/acme.Nope', value: '{}' } })).issues;
    expect(issues[0]).toMatchObject({ path: `${WASM_PATH}.configuration.@type` });
    expect(issues[0]!.message).toContain('unknown type URL');
  });

  it('rejects failure_policy, which the packaged proto set does not know (use fail_open)', () => {
    const issues = checkBootstrap(bootstrap({ ...goodWasm, failure_policy: 'FAIL_OPEN' })).issues;
    expect(issues).toEqual([{ path: `${WASM_PATH}.failure_policy`, message: 'unknown field' }]);
  });

  it('accepts JSON (camelCase) field names as protobuf JSON does, and normalises them', () => {
    const { root_id, vm_config, ...rest } = goodWasm;
    const { vm_id, ...vm } = vm_config;
    const { issues, bootstrap: normalised } = checkBootstrap(bootstrap({ ...rest, rootId: root_id, vmConfig: { ...vm, vmId: vm_id } }));
    expect(issues).toEqual([]);
    expect(JSON.stringify(normalised)).toContain('"root_id":"router"');
  });

  it('rejects a bad enum value, a bad duration and an out-of-range port', () => {
    const b = bootstrap(goodWasm) as { static_resources: { clusters: Record<string, unknown>[]; listeners: { address: unknown }[] } };
    b.static_resources.clusters[0] = { name: 'c', type: 'STATIK', connect_timeout: '1' };
    b.static_resources.listeners[0]!.address = { socket_address: { address: '127.0.0.1', port_value: 70000 } };
    const paths = checkBootstrap(b).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([
      'static_resources.clusters[0].type',
      'static_resources.clusters[0].connect_timeout',
      'static_resources.listeners[0].address.socket_address.port_value',
    ]));
  });

  it('applies PGV required rules (stat_prefix must not be empty)', () => {
    const b = JSON.parse(JSON.stringify(bootstrap(goodWasm)).replace('"stat_prefix":"ingress_http",', ''));
    expect(checkBootstrap(b).issues.map((i) => i.path)).toContain('static_resources.listeners[0].filter_chains[0].filters[0].typed_config.stat_prefix');
  });

  it('throws ConfigError naming the source and every issue', () => {
    expect(() => validateBootstrap({ statik_resources: {} }, 'my.yaml')).toThrow(ConfigError);
    expect(() => validateBootstrap({ statik_resources: {} }, 'my.yaml')).toThrow(/my\.yaml[\s\S]*statik_resources: unknown field/);
  });
});
