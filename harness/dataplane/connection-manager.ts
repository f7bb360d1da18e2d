/**
 * Envoy's HTTP connection manager for one HTTP/1.1 request: builds the header map as Envoy's codec does,
 * applies path normalisation, x-forwarded-* and x-request-id handling, selects the route, runs the Wasm
 * filter chain through the host's FilterManager with the router as terminal, and writes the response.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { FilterManager, HeaderMap, type DownstreamSink, type HttpFilter, type Plugin, type StreamInfo, type TlsInfo } from '../host/index.ts';
import type { AccessLogs } from './access-log.ts';
import type { HcmConfig } from './config-types.ts';
import type { DownstreamRequest, DownstreamResponse } from './listener-server.ts';
import { ResponseFlag } from './response-flags.ts';
import { normalizeRequestPath, selectRoute } from './route-match.ts';
import { RouterFilter } from './router.ts';
import type { DataPlaneStats } from './stats.ts';
import type { ClusterManager } from './upstream.ts';

export interface HcmRuntime {
  config: HcmConfig;
  /** Wasm plugins in filter-chain order. */
  plugins: Plugin[];
  clusters: ClusterManager;
  stats: DataPlaneStats;
  accessLogs?: AccessLogs;
  random?: () => number;
  onError?: (error: unknown) => void;
}

export interface DownstreamConnection {
  id: number;
  scheme: 'http' | 'https';
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  tls?: TlsInfo;
}

export function handleRequest(rt: HcmRuntime, req: DownstreamRequest, res: DownstreamResponse, conn: DownstreamConnection): void {
  const h2 = 'stream' in req;
  const cfg = rt.config;
  rt.stats.downstreamRequest(cfg.statPrefix);
  const headers = requestHeaderMap(req, conn.scheme);
  headers.set(':path', normalizeRequestPath(headers.get(':path') ?? '/', cfg.normalizePath, cfg.mergeSlashes));
  const clientAddress = applyForwardedFor(cfg, headers, conn);
  applyRequestId(cfg, headers, clientAddress);
  const streamInfo: StreamInfo = {
    sourceAddress: `${clientAddress}:${clientAddress === conn.remoteAddress ? conn.remotePort : 0}`,
    destinationAddress: `${conn.localAddress}:${conn.localPort}`,
    connectionId: conn.id,
    tls: conn.tls,
    protocol: h2 ? 'HTTP/2' : req.httpVersion === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1',
    startTimeMs: Date.now(),
    bytesReceived: 0,
    bytesSent: 0,
  };
  const initialRoute = selectRoute(cfg.routeConfig, headers);
  streamInfo.routeName = initialRoute?.route.name;
  const filters = rt.plugins.map((p) => p.createFilter()).filter((f): f is HttpFilter => f !== null);
  let finished = false;
  let responseHeaders: HeaderMap | undefined;
  const finish = (status: number): void => {
    if (finished) return;
    finished = true;
    rt.stats.downstreamResponse(cfg.statPrefix, status);
    manager.complete();
    rt.accessLogs?.log({ streamInfo, requestHeaders: headers, responseHeaders, endTimeMs: Date.now() });
  };
  const sink: DownstreamSink = {
    headers: (h, endStream) => {
      responseHeaders = h;
      const status = Number(h.get(':status') ?? 200);
      streamInfo.responseCode = status;
      const out: [string, string][] = [];
      for (const [k, v] of h.entries()) if (!k.startsWith(':') && k !== 'server' && k !== 'date') out.push([k, v]);
      out.push(['date', new Date().toUTCString()], ['server', cfg.serverName]);
      writeResponseHead(res, status, out);
      if (endStream) {
        res.end();
        finish(status);
      }
    },
    data: (d, endStream) => {
      if (d.length > 0) (res as NodeJS.WritableStream).write(d);
      if (endStream) {
        res.end();
        finish(streamInfo.responseCode ?? 200);
      }
    },
    trailers: () => {
      res.end();
      finish(streamInfo.responseCode ?? 200);
    },
    reset: () => {
      res.destroy();
      finish(streamInfo.responseCode ?? 0);
    },
  };
  const terminal = new RouterFilter({ routeConfig: cfg.routeConfig, clusters: rt.clusters, stats: rt.stats, streamInfo, initialRoute, random: rt.random, onError: rt.onError });
  const manager = new FilterManager({ filters, streamInfo, terminal, onReply: sink });
  const hasBody = 'stream' in req ? !req.stream.endAfterHeaders
    : req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
  manager.decodeHeaders(headers, !hasBody);
  const guarded = <T extends unknown[]>(fn: (...args: T) => void) => (...args: T): void => {
    try {
      fn(...args);
    } catch (error) {
      rt.onError?.(error);
      res.destroy();
    }
  };
  if (hasBody) {
    req.on('data', guarded((chunk: Buffer) => {
      if (!finished) manager.decodeData(new Uint8Array(chunk), false);
    }));
    req.on('end', guarded(() => {
      if (!finished) manager.decodeData(new Uint8Array(0), true);
    }));
  } else req.resume();
  res.on('close', guarded(() => {
    if (!finished) {
      // Downstream went away before the response completed: Envoy resets the stream, then logs.
      streamInfo.responseFlags = (streamInfo.responseFlags ?? 0) | ResponseFlag.DownstreamConnectionTermination;
      terminal.onStreamEnd();
      finish(0);
    }
  }));
}

/**
 * Envoy's codec view of the request: pseudo-headers first, names lower-cased, inline headers merged. HTTP/1:
 * `host` becomes `:authority` and `:scheme` is the connection's; HTTP/2: the pseudo-headers as the client sent them.
 */
export function requestHeaderMap(req: DownstreamRequest, scheme: string): HeaderMap {
  if ('stream' in req) {
    const map = new HeaderMap();
    for (let i = 0; i < req.rawHeaders.length; i += 2) map.add(req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!);
    if (!map.has(':authority') && map.has('host')) map.set(':authority', map.get('host')!);
    map.remove('host');
    return map;
  }
  const map = new HeaderMap([
    [':authority', req.headers.host ?? ''],
    [':path', req.url ?? '/'],
    [':method', req.method ?? 'GET'],
    [':scheme', scheme],
  ]);
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (name !== 'host') map.add(name, req.rawHeaders[i + 1]!);
  }
  return map;
}

/** Connection-specific headers are not allowed in HTTP/2 (Envoy's codec drops them). */
const H2_FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function writeResponseHead(res: DownstreamResponse, status: number, headers: [string, string][]): void {
  if (!('stream' in res)) {
    res.writeHead(status, headers.flat());
    return;
  }
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of headers) {
    if (H2_FORBIDDEN.has(k)) continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  res.writeHead(status, out);
}

/**
 * x-forwarded-proto / x-forwarded-for / x-envoy-internal per `use_remote_address` and `xff_num_trusted_hops`.
 * Returns the address Envoy treats as the downstream client.
 */
export function applyForwardedFor(cfg: HcmConfig, headers: HeaderMap, conn: DownstreamConnection): string {
  const xff = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  headers.remove('x-envoy-internal');
  if (cfg.useRemoteAddress) {
    headers.set('x-forwarded-proto', conn.scheme);
    const trusted = cfg.xffNumTrustedHops > 0 && xff.length >= cfg.xffNumTrustedHops ? xff[xff.length - cfg.xffNumTrustedHops] : undefined;
    const client = trusted ?? conn.remoteAddress;
    if (!cfg.skipXffAppend) headers.set('x-forwarded-for', [...xff, conn.remoteAddress].join(','));
    if (xff.length === 0 && isInternal(conn.remoteAddress)) headers.set('x-envoy-internal', 'true');
    return client;
  }
  if (!headers.has('x-forwarded-proto')) headers.set('x-forwarded-proto', conn.scheme);
  const index = xff.length - 1 - cfg.xffNumTrustedHops;
  return index >= 0 && isIP(xff[index]!) ? xff[index]! : conn.remoteAddress;
}

/** Generates x-request-id unless a trusted one is present (Envoy's `generate_request_id` / `preserve_external_request_id`). */
export function applyRequestId(cfg: HcmConfig, headers: HeaderMap, clientAddress: string): void {
  if (!cfg.generateRequestId) return;
  const external = cfg.useRemoteAddress && !isInternal(clientAddress);
  if (!headers.has('x-request-id') || (external && !cfg.preserveExternalRequestId)) headers.set('x-request-id', randomUUID());
}

/** RFC 1918 / loopback / unique-local addresses count as internal, as in Envoy. */
export function isInternal(address: string): boolean {
  const a = address.replace(/^::ffff:/, '');
  return /^(10\.|127\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a) || a === '::1' || /^f[cd]/i.test(a);
}
