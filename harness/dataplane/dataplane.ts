/**
 * The emulated data plane: one emulated Envoy process running a validated v3 bootstrap — static listeners
 * (HTTP/1.1, optional TLS/mTLS), the HTTP connection manager with a Wasm filter chain, STATIC clusters and
 * the admin interface — on top of the host emulator. It is an emulator, not Envoy.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WasmHost, type HttpCallTransport, type LogEntry, type LogLevel } from '../host/index.ts';
import { readDataPlaneConfig } from './config.ts';
import type { DataPlaneConfig, ListenerConfig } from './config-types.ts';
import { handleRequest, type DownstreamConnection, type HcmRuntime } from './connection-manager.ts';
import { createAdminServer } from './admin.ts';
import { loadPlugins } from './plugins.ts';
import { DataPlaneStats, DEFAULT_STATS_TAGS } from './stats.ts';
import { tlsInfo, tlsServerOptions, verifyPeer } from './tls.ts';
import { ClusterManager } from './upstream.ts';

export interface DataPlaneOptions {
  /** Working directory for relative paths in the bootstrap (Wasm code, certificates). Default: process cwd. */
  cwd?: string;
  logLevel?: LogLevel;
  onLog?: (entry: LogEntry) => void;
  /** Random source for weighted clusters (tests). */
  random?: () => number;
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
    private readonly servers: Server[],
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
      s.closeAllConnections?.();
    })));
    this.host.dispose();
  }
}

/** Starts the data plane for a validated bootstrap (normalised tree from `validateBootstrap`). */
export async function startDataPlane(validated: { bootstrap: Record<string, unknown>; source: string }, options: DataPlaneOptions = {}): Promise<DataPlane> {
  const config = readDataPlaneConfig(validated.bootstrap, validated.source);
  const cwd = options.cwd ?? process.cwd();
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
  clusters = new ClusterManager(config.clusters, stats);
  const servers: Server[] = [];
  const bound: BoundListener[] = [];
  let plane: DataPlane | undefined;
  try {
    let connectionIds = 0;
    for (const [li, listener] of config.listeners.entries()) {
      stats.declareHcm(listener.hcm.statPrefix);
      const plugins = await loadPlugins(host, listener.hcm.filters, cwd, `static_resources.listeners[${li}].filter_chains[0].filters[0].typed_config`);
      const onError = (error: unknown): void =>
        options.onLog?.({ level: 'critical', message: `emulated data plane: request failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`, host: true });
      const rt: HcmRuntime = { config: listener.hcm, plugins, clusters, stats, random: options.random, onError };
      const server = createListenerServer(listener, rt, () => ++connectionIds, stats, onError);
      servers.push(server);
      const address = await listen(server, listener.address, listener.port, `listener ${listener.name}`);
      bound.push({ name: listener.name, ...address, url: `${listener.tls ? 'https' : 'http'}://${hostForUrl(address.address)}:${address.port}` });
    }
    let adminAddress: string | undefined;
    if (config.admin) {
      const admin = createAdminServer({ metrics: host.metrics, listeners: () => bound, clusters: config.clusters, onQuit: () => plane?.quit() });
      servers.push(admin);
      const address = await listen(admin, config.admin.address, config.admin.port, 'admin');
      adminAddress = `${address.address}:${address.port}`;
    }
    plane = new DataPlane(host, config, bound, adminAddress, servers);
    return plane;
  } catch (error) {
    for (const s of servers) s.close();
    host.dispose();
    throw error;
  }
}

function createListenerServer(listener: ListenerConfig, rt: HcmRuntime, nextId: () => number, stats: DataPlaneStats, onError: (error: unknown) => void): Server {
  let active = 0;
  const onConnection = (socket: Socket): void => {
    active++;
    stats.downstreamConnection(rt.config.statPrefix, active);
    socket.once('close', () => {
      active--;
    });
  };
  const connections = new WeakMap<Socket, DownstreamConnection>();
  const connectionOf = (socket: Socket): DownstreamConnection => {
    let conn = connections.get(socket);
    if (!conn) {
      conn = {
        id: nextId(),
        scheme: listener.tls ? 'https' : 'http',
        remoteAddress: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        remotePort: socket.remotePort ?? 0,
        localAddress: (socket.localAddress ?? '').replace(/^::ffff:/, ''),
        localPort: socket.localPort ?? 0,
        tls: listener.tls ? tlsInfo(socket as TLSSocket) : undefined,
      };
      connections.set(socket, conn);
    }
    return conn;
  };
  // A bug in the emulator must not take the process down: the stream is reset and the error logged.
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handleRequest(rt, req, res, connectionOf(req.socket));
    } catch (error) {
      onError(error);
      res.destroy();
    }
  };
  if (!listener.tls) {
    const server = createHttpServer(serve);
    server.on('connection', onConnection);
    return server;
  }
  const server = createHttpsServer(tlsServerOptions(listener.tls, listener.name), serve);
  server.on('connection', onConnection);
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!verifyPeer(socket)) socket.destroy();
  });
  return server;
}

function listen(server: Server, address: string, port: number, what: string): Promise<{ address: string; port: number }> {
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
