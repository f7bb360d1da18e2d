/**
 * Envoy's router filter as the terminal of the emulated filter chain: re-selects the route when a filter
 * cleared the route cache, answers direct responses, picks the (weighted) cluster, proxies over HTTP/1.1 and
 * turns failures into Envoy's local replies (503 no healthy upstream / connection failure, 504 timeout).
 */
import { HeaderMap, type StreamInfo, type TerminalCallbacks, type TerminalFilter } from '../host/index.ts';
import type { RouteConfig } from './config-types.ts';
import { pickWeighted, selectRoute, type RouteSelection } from './route-match.ts';
import { ClusterManager, CONNECTION_FAILURE, fromNodeResponse, HOP_BY_HOP, UPSTREAM_TIMEOUT, UpstreamError, type UpstreamCall } from './upstream.ts';
import type { DataPlaneStats } from './stats.ts';

/** Envoy StreamInfo::ResponseFlag bits used here. */
export const ResponseFlag = {
  NoHealthyUpstream: 0x2,
  UpstreamRequestTimeout: 0x4,
  UpstreamRemoteReset: 0x10,
  UpstreamConnectionFailure: 0x20,
  NoRouteFound: 0x100,
  NoClusterFound: 0x1000000,
} as const;

export interface RouterContext {
  routeConfig: RouteConfig;
  clusters: ClusterManager;
  stats: DataPlaneStats;
  streamInfo: StreamInfo;
  /** Route selected when the request arrived (before the filters ran). */
  initialRoute: RouteSelection | undefined;
  random?: () => number;
  /** Emulator bugs surfacing in asynchronous upstream callbacks (the stream is reset). */
  onError?: (error: unknown) => void;
}

export class RouterFilter implements TerminalFilter {
  private upstream: UpstreamCall | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timeoutMs = 0;
  private cluster = '';
  private responseStarted = false;
  private done = false;

  constructor(private readonly ctx: RouterContext) {}

  decodeHeaders(headers: HeaderMap, endStream: boolean, stream: TerminalCallbacks): void {
    let selection = this.ctx.initialRoute;
    if (stream.routeCacheCleared) {
      selection = selectRoute(this.ctx.routeConfig, headers);
      stream.markRouteResolved();
    }
    const info = this.ctx.streamInfo;
    info.routeName = selection?.route.name;
    info.virtualHostName = selection?.virtualHost.name;
    if (!selection) return this.fail(stream, 404, '', 'route_not_found', ResponseFlag.NoRouteFound);
    const action = selection.route.action;
    if (action.kind === 'direct') return this.fail(stream, action.status, action.body, 'direct_response', 0);
    this.cluster = action.kind === 'cluster' ? action.cluster : pickWeighted(action.clusters, this.ctx.random);
    this.timeoutMs = action.timeoutMs;
    info.clusterName = this.cluster;
    if (!this.ctx.clusters.has(this.cluster)) return this.fail(stream, 503, '', 'cluster_not_found', ResponseFlag.NoClusterFound);
    const upstreamHeaders: [string, string][] = [['host', headers.get(':authority') ?? '']];
    for (const [k, v] of headers.entries()) if (!k.startsWith(':') && !HOP_BY_HOP.has(k)) upstreamHeaders.push([k, v]);
    if (this.timeoutMs > 0) upstreamHeaders.push(['x-envoy-expected-rq-timeout-ms', String(this.timeoutMs)]);
    try {
      this.upstream = this.ctx.clusters.open(this.cluster, headers.get(':method') ?? 'GET', headers.get(':path') ?? '/', upstreamHeaders);
    } catch (error) {
      if (error instanceof UpstreamError) return this.fail(stream, 503, error.message, 'no_healthy_upstream', ResponseFlag.NoHealthyUpstream);
      throw error;
    }
    info.upstreamAddress = `${this.upstream.host.address}:${this.upstream.host.port}`;
    const started = Date.now();
    const method = headers.get(':method');
    const guarded = <T>(fn: (value: T) => void) => (value: T): void => {
      try {
        fn(value);
      } catch (error) {
        this.ctx.onError?.(error);
        this.reset(stream, 'emulator_internal_error');
      }
    };
    this.upstream.response.then(
      guarded((res) => {
        if (this.done) return;
        this.responseStarted = true;
        const out = new HeaderMap(fromNodeResponse(res).filter(([k]) => !HOP_BY_HOP.has(k)));
        out.set('x-envoy-upstream-service-time', String(Date.now() - started));
        const status = res.statusCode ?? 0;
        const empty = method === 'HEAD' || status === 204 || status === 304 || res.headers['content-length'] === '0';
        stream.encodeHeaders(out, empty);
        if (empty) {
          res.resume();
          return this.finish();
        }
        res.on('data', guarded((chunk: Buffer) => {
          if (!this.done) stream.encodeData(new Uint8Array(chunk), false);
        }));
        res.on('end', guarded(() => {
          if (this.done) return;
          stream.encodeData(new Uint8Array(0), true);
          this.finish();
        }));
        res.on('error', () => this.reset(stream, 'upstream_reset_after_response_started{remote_reset}'));
      }),
      guarded((error: unknown) => {
        if (this.done) return;
        if (error instanceof UpstreamError && error.failure === 'connection_failure')
          this.fail(stream, 503, CONNECTION_FAILURE, 'upstream_reset_before_response_started{connection_failure}', ResponseFlag.UpstreamConnectionFailure);
        else if (this.responseStarted) this.reset(stream, 'upstream_reset_after_response_started{remote_reset}');
        else this.fail(stream, 503, 'upstream connect error or disconnect/reset before headers. reset reason: remote reset', 'upstream_reset_before_response_started{remote_reset}', ResponseFlag.UpstreamRemoteReset);
      }),
    );
    if (endStream) this.endRequest(stream);
  }

  decodeData(data: Uint8Array, endStream: boolean, stream: TerminalCallbacks): void {
    if (!this.upstream || this.done) return;
    if (data.length > 0) this.upstream.request.write(data);
    if (endStream) this.endRequest(stream);
  }

  decodeTrailers(_trailers: HeaderMap, stream: TerminalCallbacks): void {
    if (this.upstream && !this.done) this.endRequest(stream);
  }

  onStreamEnd(): void {
    this.finish();
    this.upstream?.request.destroy();
  }

  /** The route timeout runs from the end of the downstream request (Envoy's global route timeout). */
  private endRequest(stream: TerminalCallbacks): void {
    this.upstream!.request.end();
    if (this.timeoutMs <= 0) return;
    this.timer = setTimeout(() => {
      if (this.done) return;
      this.ctx.stats.upstreamTimeout(this.cluster);
      this.upstream?.request.destroy();
      if (this.responseStarted) this.reset(stream, 'upstream_response_timeout');
      else this.fail(stream, 504, UPSTREAM_TIMEOUT, 'upstream_response_timeout', ResponseFlag.UpstreamRequestTimeout);
    }, this.timeoutMs);
  }

  private fail(stream: TerminalCallbacks, status: number, body: string, details: string, flag: number): void {
    this.finish();
    if (flag) this.ctx.streamInfo.responseFlags = (this.ctx.streamInfo.responseFlags ?? 0) | flag;
    stream.sendLocalReply({ status, body: new Uint8Array(Buffer.from(body)), extraHeaders: [], grpcStatus: null, details });
  }

  private reset(stream: TerminalCallbacks, details: string): void {
    this.finish();
    stream.resetStream(details);
  }

  private finish(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
