/**
 * The emulated data plane: one emulated Envoy process running a validated v3 bootstrap — static listeners
 * (HTTP/1.1, optional TLS/mTLS), the HTTP connection manager with a Wasm filter chain, STATIC clusters and
 * the admin interface — on top of the host emulator. It is an emulator, not Envoy.
 */
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WasmHost, type HttpCallTransport, type LogEntry, type LogLevel } from '../host/index.ts';
import { AccessLogs, type AccessLogOutput } from './access-log.ts';
import { readDataPlaneConfig } from './config.ts';
import { loadDirectResponseBodies } from './direct-response.ts';
import type { DataPlaneConfig, ListenerConfig } from './config-types.ts';
import { handleRequest, type DownstreamConnection, type HcmRuntime } from './connection-manager.ts';
import { createAdminServer } from './admin.ts';
import { loadPlugins } from './plugins.ts';
import { DataPlaneStats, DEFAULT_STATS_TAGS } from './stats.ts';
import { createListenerServer, type DownstreamRequest, type DownstreamResponse, type ListenerServer } from './listener-server.ts';
import { tlsInfo } from './tls.ts';
import { ClusterManager } from './upstream.ts';

export interface DataPlaneOptions {
  /** Working directory for relative paths in the bootstrap (Wasm code, certificates). Default: process cwd. */
  cwd?: string;
  logLevel?: LogLevel;
  onLog?: (entry: LogEntry) => void;
  /** Random source for weighted clusters and the RANDOM / LEAST_REQUEST load balancers (tests). */
  random?: () => number;
  /** Where stdout/stderr access logs (and `/dev/stdout`, `/dev/stderr` file logs) go. Default: this process's streams. */
  accessLogOutput?: AccessLogOutput;
}

export interface BoundListener {
  name: string;
  address: string;
  port: number;
  /** `http://127.0.0.1:PORT` or `https://…`. */
  url: string;
}

export class DataPlane {
  private readonly quitWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    readonly host: WasmHost,
    readonly config: DataPlaneConfig,
    readonly listeners: BoundListener[],
    readonly adminAddress: string | undefined,
    private readonly servers: NetServer[],
    private readonly closers: (() => void)[],
    private readonly cleanup: () => void = () => undefined,
  ) {}

  /** Resolves when `POST /quitquitquit` was received. */
  untilQuit(): Promise<void> {
    return new Promise((resolve) => this.quitWaiters.push(resolve));
  }

  /** @internal called by the admin server */
  quit(): void {
    for (const w of this.quitWaiters.splice(0)) w();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      (s as Partial<Server>).closeAllConnections?.();
      for (const close of this.closers) close();
    })));
    this.cleanup();
    this.host.dispose();
  }
}

/** Starts the data plane for a validated bootstrap (normalised tree from `validateBootstrap`). */
export async function startDataPlane(validated: { bootstrap: Record<string, unknown>; source: string }, options: DataPlaneOptions = {}): Promise<DataPlane> {
  const config = readDataPlaneConfig(validated.bootstrap, validated.source);
  const cwd = options.cwd ?? process.cwd();
  for (const [li, listener] of config.listeners.entries()) loadDirectResponseBodies(listener.hcm.routeConfig, cwd, `static_resources.listeners[${li}]`);
  let clusters: ClusterManager | undefined;
  const transport: HttpCallTransport = {
    clusters: () => clusters?.clusters() ?? [],
    send: (request, signal) => clusters!.send(request, signal),
  };
  const host = new WasmHost({
    upstream: transport,
    logLevel: options.logLevel,
    onLog: options.onLog,
    statsTags: [...config.statsTags, ...DEFAULT_STATS_TAGS],
    nodeProperties: nodeProperties(config.node),
  });
  const stats = new DataPlaneStats(host.metrics);
  clusters = new ClusterManager(config.clusters, stats, options.random);
  const servers: NetServer[] = [];
  const closers: (() => void)[] = [];
  const accessLogs: AccessLogs[] = [];
  const output: AccessLogOutput = options.accessLogOutput ?? { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  const cleanup = (): void => {
    clusters?.stop();
    for (const logs of accessLogs) logs.close();
  };
  const bound: BoundListener[] = [];
  let plane: DataPlane | undefined;
  try {
    await clusters.start();
    let connectionIds = 0;
    for (const [li, listener] of config.listeners.entries()) {
      stats.declareHcm(listener.hcm.statPrefix);
      const plugins = await loadPlugins(host, listener.hcm.filters, cwd, `static_resources.listeners[${li}].filter_chains[0].filters[0].typed_config`);
      const onError = (error: unknown): void =>
        options.onLog?.({ level: 'critical', message: `emulated data plane: request failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`, host: true });
      const logs = new AccessLogs(listener.hcm.accessLogs, output, cwd);
      accessLogs.push(logs);
      const rt: HcmRuntime = { config: listener.hcm, plugins, clusters, stats, accessLogs: logs, random: options.random, onError };
      const { server, closeAll } = listenerServer(listener, rt, () => ++connectionIds, stats, onError);
      servers.push(server);
      closers.push(closeAll);
      const address = await listen(server, listener.address, listener.port, `listener ${listener.name}`);
      bound.push({ name: listener.name, ...address, url: `${listener.tls ? 'https' : 'http'}://${hostForUrl(address.address)}:${address.port}` });
    }
    let adminAddress: string | undefined;
    if (config.admin) {
      const admin = createAdminServer({ metrics: host.metrics, listeners: () => bound, clusters: () => clusters!.hostsByCluster(), onQuit: () => plane?.quit() });
      servers.push(admin);
      const address = await listen(admin, config.admin.address, config.admin.port, 'admin');
      adminAddress = `${address.address}:${address.port}`;
    }
    plane = new DataPlane(host, config, bound, adminAddress, servers, closers, cleanup);
    return plane;
  } catch (error) {
    for (const s of servers) s.close();
    for (const close of closers) close();
    cleanup();
    host.dispose();
    throw error;
  }
}

function listenerServer(listener: ListenerConfig, rt: HcmRuntime, nextId: () => number, stats: DataPlaneStats, onError: (error: unknown) => void): ListenerServer {
  let active = 0;
  const onConnection = (socket: Socket): void => {
    active++;
    stats.downstreamConnection(rt.config.statPrefix, active);
    socket.once('close', () => {
      active--;
    });
  };
  // One DownstreamConnection per transport connection: the socket for HTTP/1, the session for HTTP/2.
  const connections = new WeakMap<object, DownstreamConnection>();
  const connectionOf = (req: DownstreamRequest): DownstreamConnection => {
    const key: object = 'stream' in req ? req.stream.session ?? req.socket : req.socket;
    let conn = connections.get(key);
    if (!conn) {
      const socket = ('stream' in req ? req.stream.session?.socket ?? req.socket : req.socket) as Socket;
      conn = {
        id: nextId(),
        scheme: listener.tls ? 'https' : 'http',
        remoteAddress: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        remotePort: socket.remotePort ?? 0,
        localAddress: (socket.localAddress ?? '').replace(/^::ffff:/, ''),
        localPort: socket.localPort ?? 0,
        tls: listener.tls ? tlsInfo(socket as TLSSocket) : undefined,
      };
      connections.set(key, conn);
    }
    return conn;
  };
  // A bug in the emulator must not take the process down: the stream is reset and the error logged.
  const serve = (req: DownstreamRequest, res: DownstreamResponse): void => {
    try {
      handleRequest(rt, req, res, connectionOf(req));
    } catch (error) {
      onError(error);
      res.destroy();
    }
  };
  return createListenerServer(listener, serve, onConnection);
}

function listen(server: NetServer, address: string, port: number, what: string): Promise<{ address: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`${what}: cannot bind ${address}:${port}: ${error.message}`, { cause: error })));
    server.listen(port, address, () => {
      const info = server.address() as AddressInfo;
      resolve({ address: info.address, port: info.port });
    });
  });
}

/** Bootstrap `node` as Envoy's `node.*` (and, since 1.33, `xds.node.*`) properties. */
function nodeProperties(node: DataPlaneConfig['node']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const prefix of ['node', 'xds.node']) {
    if (node.id) out[`${prefix}.id`] = node.id;
    if (node.cluster) out[`${prefix}.cluster`] = node.cluster;
  }
  return out;
}

function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
