/**
 * Clusters: a host from the cluster's load balancer (cluster-hosts.ts), HTTP/1.1 to the chosen host with the cluster's connect timeout,
 * and Envoy's replies when that fails. Also the transport the host uses for `proxy_http_call`.
 */
import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { HttpCallOutcome, HttpCallRequest, HttpCallTransport } from '../host/index.ts';
import { ClusterHosts, type Host } from './cluster-hosts.ts';
import type { ClusterConfig, SocketAddress } from './config-types.ts';
import type { DataPlaneStats } from './stats.ts';

export const NO_HEALTHY_UPSTREAM = 'no healthy upstream';
export const CONNECTION_FAILURE = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
export const UPSTREAM_TIMEOUT = 'upstream request timeout';

export type UpstreamFailure = 'no_healthy_upstream' | 'connection_failure' | 'reset';

export interface UpstreamCall {
  host: SocketAddress;
  request: ClientRequest;
  /** Resolves with the response, or rejects with an UpstreamError. */
  response: Promise<IncomingMessage>;
}

export class UpstreamError extends Error {
  constructor(readonly failure: UpstreamFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What to send once the host is known (auto_host_rewrite needs the host first). */
export type PrepareRequest = (host: SocketAddress) => { path: string; headers: [string, string][] };

export class ClusterManager implements HttpCallTransport {
  private readonly hosts = new Map<string, ClusterHosts>();
  /** One connection pool per upstream host, as Envoy keeps: HTTP/1.1 connections are reused between requests. */
  private readonly pools = new Map<string, Agent>();

  constructor(
    private readonly configs: Map<string, ClusterConfig>,
    private readonly stats: DataPlaneStats,
    random?: () => number,
  ) {
    for (const [name, config] of configs) {
      stats.declareCluster(name);
      this.hosts.set(name, new ClusterHosts(config, random));
    }
  }

  /** Initial DNS resolution of DNS clusters (Envoy's cluster warming). */
  async start(): Promise<void> {
    await Promise.all([...this.hosts.values()].map((h) => h.start()));
  }

  stop(): void {
    for (const h of this.hosts.values()) h.stop();
    for (const pool of this.pools.values()) pool.destroy();
    this.pools.clear();
  }

  private pool(host: SocketAddress): Agent {
    const key = `${host.address}:${host.port}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Agent({ keepAlive: true, noDelay: true });
      this.pools.set(key, pool);
    }
    return pool;
  }

  clusters(): Iterable<string> {
    return this.configs.keys();
  }

  has(name: string): boolean {
    return this.configs.has(name);
  }

  /** Current hosts of every cluster, in configuration order (admin `/clusters`). */
  hostsByCluster(): [string, readonly SocketAddress[]][] {
    return [...this.hosts].map(([name, hosts]) => [name, hosts.list()]);
  }

  /** The load balancer's choice, or undefined when the cluster has no hosts. */
  pickHost(name: string): Host | undefined {
    return this.hosts.get(name)?.pick();
  }

  /** Opens an HTTP/1.1 request to a host of `cluster`. Throws UpstreamError('no_healthy_upstream') when it has none. */
  open(cluster: string, method: string, prepare: PrepareRequest): UpstreamCall {
    const host = this.pickHost(cluster);
    if (!host) {
      this.stats.noHealthyUpstream(cluster);
      throw new UpstreamError('no_healthy_upstream', NO_HEALTHY_UPSTREAM);
    }
    this.stats.upstreamRequest(cluster);
    const { path, headers } = prepare(host);
    const connectTimeoutMs = this.configs.get(cluster)!.connectTimeoutMs;
    const request = httpRequest({ host: host.address, port: host.port, method, path, headers: toNodeHeaders(headers), agent: this.pool(host), setHost: false });
    host.active++;
    request.once('close', () => {
      host.active--;
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => {
        if (connected) return;
        this.stats.upstreamConnectFail(cluster);
        request.destroy();
        reject(new UpstreamError('connection_failure', CONNECTION_FAILURE));
      }, connectTimeoutMs);
      request.once('socket', (socket) => {
        if (!socket.connecting) {
          connected = true; // a pooled connection, already open
          clearTimeout(timer);
          return;
        }
        socket.once('connect', () => {
          connected = true;
          clearTimeout(timer);
        });
      });
      request.once('response', (res) => {
        clearTimeout(timer);
        this.stats.upstreamResponse(cluster, res.statusCode ?? 0);
        resolve(res);
      });
      request.once('error', (error) => {
        clearTimeout(timer);
        if (!connected) {
          this.stats.upstreamConnectFail(cluster);
          reject(new UpstreamError('connection_failure', CONNECTION_FAILURE, { cause: error }));
        } else reject(new UpstreamError('reset', 'upstream reset', { cause: error }));
      });
    });
    response.catch(() => undefined);
    return { host, request, response };
  }

  /** `proxy_http_call` transport: Envoy's async client answers failures with local 503s. */
  async send(call: HttpCallRequest, signal: AbortSignal): Promise<HttpCallOutcome> {
    const pseudo = new Map(call.headers.filter(([k]) => k.startsWith(':')));
    const headers: [string, string][] = call.headers.filter(([k]) => !k.startsWith(':'));
    headers.unshift(['host', pseudo.get(':authority') ?? '']);
    if (call.body.length > 0) headers.push(['content-length', String(call.body.length)]);
    let upstream: UpstreamCall;
    try {
      upstream = this.open(call.cluster, pseudo.get(':method') ?? 'GET', () => ({ path: pseudo.get(':path') ?? '/', headers }));
    } catch (error) {
      return localResponse(503, (error as Error).message);
    }
    signal.addEventListener('abort', () => upstream.request.destroy(), { once: true });
    upstream.request.end(Buffer.from(call.body));
    try {
      const res = await upstream.response;
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { kind: 'response', headers: fromNodeResponse(res), body: new Uint8Array(Buffer.concat(chunks)) };
    } catch (error) {
      if (error instanceof UpstreamError && error.failure === 'connection_failure') return localResponse(503, CONNECTION_FAILURE);
      return { kind: 'reset' };
    }
  }
}

function localResponse(status: number, body: string): HttpCallOutcome {
  return {
    kind: 'response',
    headers: [[':status', String(status)], ['content-length', String(Buffer.byteLength(body))], ['content-type', 'text/plain']],
    body: new Uint8Array(Buffer.from(body)),
  };
}

/** Upstream response headers in order, names lower-cased, `:status` first. */
export function fromNodeResponse(res: IncomingMessage): [string, string][] {
  const out: [string, string][] = [[':status', String(res.statusCode ?? 0)]];
  for (let i = 0; i < res.rawHeaders.length; i += 2) out.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
  return out;
}

/** Flat raw-headers array (`[name, value, …]`) without hop-by-hop headers. */
function toNodeHeaders(headers: [string, string][]): string[] {
  return headers.filter(([k]) => !HOP_BY_HOP.has(k)).flat();
}

export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);
