/**
 * Scenario API for integration tests: describe filters, routes and upstream echo services once; it renders
 * one Envoy v3 bootstrap (validated against Envoy's protos before use) and runs it on either engine.
 *
 *   const s = await startScenario({ services: ['v1', 'v2'], filters: [{ name: 'router', wasm: 'dist/filters/router.wasm', configuration }] }, 'emulator');
 *   const r = await s.fetch('/', { headers: { 'x-version': 'v2' } });   // r.headers['x-served-by'] === 'v2'
 *   await s.stop();
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { prometheus, statValue } from '../envoy/admin-client.ts';
import { validateBootstrap } from '../envoy/validate.ts';
import { startEchoService, type EchoService } from './echo-service.ts';
import { engineAvailability, ENGINE_NAMES, startEngine, type EngineAvailability, type EngineName, type RunningEngine } from './engines.ts';
import { httpRequest, type ClientTls, type ScenarioResponse } from './http-client.ts';

export type { ScenarioResponse, ClientTls } from './http-client.ts';

export interface ScenarioFilter {
  /** Plugin name; also the default root_id and vm_id. */
  name: string;
  /** Path to the .wasm (made absolute when rendering). */
  wasm: string;
  rootId?: string;
  vmId?: string;
  /** JSON-serialisable value (sent as a JSON string) or a string sent as is. */
  configuration?: unknown;
  failOpen?: boolean;
}

export interface ScenarioSpec {
  filters?: ScenarioFilter[];
  /** Echo services the harness starts; each one is also a STATIC cluster of the same name. */
  services?: string[];
  /** Clusters that cannot serve: `refused` (a closed port) or `empty` (no endpoints). */
  deadClusters?: Record<string, 'refused' | 'empty'>;
  /** Envoy v3 `Route` objects for the single virtual host. Default: everything to the first service. */
  routes?: Record<string, unknown>[];
  /** Extra HttpConnectionManager fields, e.g. `{ use_remote_address: true }`. */
  connectionManager?: Record<string, unknown>;
  /** Downstream TLS: PEM file paths. */
  tls?: { certificateChain: string; privateKey: string; trustedCa?: string; requireClientCertificate?: boolean };
  /** `stats_config.stats_tags`. */
  statsTags?: { tag_name: string; regex: string }[];
  /** Connect timeout of every cluster (default 1s). */
  connectTimeout?: string;
}

export interface Scenario {
  engine: EngineName;
  url: string;
  adminAddress: string;
  bootstrap: Record<string, unknown>;
  services: Record<string, EchoService>;
  running: RunningEngine;
  fetch(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string; tls?: ClientTls; authority?: string }): Promise<ScenarioResponse>;
  prometheus(): Promise<string>;
  stat(name: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Every engine with its availability, for `describe.each`. */
export function scenarioEngines(env: NodeJS.ProcessEnv = process.env): { engine: EngineName; availability: EngineAvailability }[] {
  return ENGINE_NAMES.map((engine) => ({ engine, availability: engineAvailability(engine, env) }));
}

const WASM_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm';

/** The bootstrap a spec describes, given the ports of its clusters' endpoints (absent = no endpoints). */
export function renderBootstrap(spec: ScenarioSpec, endpoints: Record<string, { address: string; port: number } | undefined>): Record<string, unknown> {
  const services = spec.services ?? [];
  const routes = spec.routes ?? [{ name: 'default', match: { prefix: '/' }, route: { cluster: services[0] ?? Object.keys(spec.deadClusters ?? {})[0] ?? 'none' } }];
  const httpFilters: Record<string, unknown>[] = (spec.filters ?? []).map((f) => ({
    name: f.name,
    typed_config: {
      '@type': WASM_TYPE,
      config: {
        name: f.name,
        root_id: f.rootId ?? f.name,
        configuration: { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: typeof f.configuration === 'string' ? f.configuration : JSON.stringify(f.configuration ?? {}) },
        vm_config: { vm_id: f.vmId ?? f.name, runtime: 'envoy.wasm.runtime.v8', code: { local: { filename: resolve(f.wasm) } } },
        ...(f.failOpen ? { fail_open: true } : {}),
      },
    },
  }));
  httpFilters.push({ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } });
  const chain: Record<string, unknown> = {
    filters: [{
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        stat_prefix: 'ingress_http',
        codec_type: 'AUTO',
        route_config: { name: 'local_route', virtual_hosts: [{ name: 'local', domains: ['*'], routes }] },
        http_filters: httpFilters,
        ...spec.connectionManager,
      },
    }],
  };
  if (spec.tls) chain.transport_socket = downstreamTls(spec.tls);
  const clusterNames = [...services, ...Object.keys(spec.deadClusters ?? {})];
  const bootstrap: Record<string, unknown> = {
    // Histograms show on the admin port without waiting for the 5 s flush (the emulator is always live).
    stats_flush_on_admin: true,
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: 0 } } },
    static_resources: {
      listeners: [{ name: 'ingress', address: { socket_address: { address: '127.0.0.1', port_value: 0 } }, filter_chains: [chain] }],
      clusters: clusterNames.map((name) => {
        const at = endpoints[name];
        return {
          name,
          type: 'STATIC',
          connect_timeout: spec.connectTimeout ?? '1s',
          load_assignment: { cluster_name: name, endpoints: at ? [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: at.address, port_value: at.port } } } }] }] : [] },
        };
      }),
    },
  };
  if (spec.statsTags) bootstrap.stats_config = { stats_tags: spec.statsTags };
  return bootstrap;
}

function downstreamTls(tls: NonNullable<ScenarioSpec['tls']>): Record<string, unknown> {
  const common: Record<string, unknown> = {
    tls_certificates: [{ certificate_chain: { filename: resolve(tls.certificateChain) }, private_key: { filename: resolve(tls.privateKey) } }],
  };
  if (tls.trustedCa) common.validation_context = { trusted_ca: { filename: resolve(tls.trustedCa) } };
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
      common_tls_context: common,
      ...(tls.requireClientCertificate ? { require_client_certificate: true } : {}),
    },
  };
}

export async function startScenario(spec: ScenarioSpec, engine: EngineName, options: { random?: () => number } = {}): Promise<Scenario> {
  const services: Record<string, EchoService> = {};
  for (const name of spec.services ?? []) services[name] = await startEchoService(name);
  const endpoints: Record<string, { address: string; port: number } | undefined> = {};
  for (const [name, svc] of Object.entries(services)) endpoints[name] = { address: svc.address, port: svc.port };
  for (const [name, kind] of Object.entries(spec.deadClusters ?? {})) endpoints[name] = kind === 'refused' ? { address: '127.0.0.1', port: await closedPort() } : undefined;
  const bootstrap = renderBootstrap(spec, endpoints);
  let running: RunningEngine;
  try {
    running = await startEngine(engine, validateBootstrap(bootstrap, 'scenario bootstrap'), { random: options.random });
  } catch (error) {
    await Promise.all(Object.values(services).map((s) => s.close()));
    throw error;
  }
  const url = running.listeners[0]?.url ?? '';
  return {
    engine,
    url,
    adminAddress: running.adminAddress,
    bootstrap,
    services,
    running,
    fetch: (path, init = {}) => httpRequest(url + path, init),
    prometheus: () => prometheus(running.adminAddress),
    stat: (name) => statValue(running.adminAddress, name),
    async stop() {
      await running.stop();
      await Promise.all(Object.values(services).map((s) => s.close()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
