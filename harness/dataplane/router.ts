/**
 * Envoy's router filter as the terminal of the emulated filter chain: re-selects the route when a filter
 * cleared the route cache, answers direct responses, picks the (weighted) cluster, proxies over HTTP/1.1 and
 * turns failures into Envoy's local replies (503 no healthy upstream / connection failure, 504 timeout).
 */
import { HeaderMap, type StreamInfo, type TerminalCallbacks, type TerminalFilter } from '../host/index.ts';
import type { ForwardRewrite, HeaderPolicy, Route, RouteConfig } from './config-types.ts';
import { applyHeaderPolicies, headerLevels } from './header-mutation.ts';
import { ResponseFlag } from './response-flags.ts';
import { pickWeighted, selectRoute, type RouteSelection } from './route-match.ts';
import { redirectLocation, rewritePrefix, rewriteRegex } from './route-rewrite.ts';
import { ClusterManager, CONNECTION_FAILURE, fromNodeResponse, HOP_BY_HOP, UPSTREAM_TIMEOUT, UpstreamError, type UpstreamCall } from './upstream.ts';
import type { DataPlaneStats } from './stats.ts';

export { ResponseFlag } from './response-flags.ts';

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
  /** Header policies of the selected route, most to least specific unless the route config reverses them. */
  private policies: HeaderPolicy[] = [];

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
    const { route, virtualHost } = selection;
    if (!route.tlsRedirect)
      this.policies = headerLevels({ routeConfig: this.ctx.routeConfig.headers, virtualHost: virtualHost.headers, route: route.headers }, this.ctx.routeConfig.mostSpecificHeaderMutationsWins);
    const action = route.action;
    if (action.kind === 'direct' || action.kind === 'redirect') return this.answerDirectly(stream, route, headers);
    this.cluster = action.kind === 'cluster' ? action.cluster : pickWeighted(action.clusters, this.ctx.random);
    // A weighted cluster entry's own headers come first, before the route's levels (Envoy's WeightedClusterEntry).
    const entryHeaders = action.kind === 'weighted' ? action.clusters.find((c) => c.name === this.cluster)?.headers : undefined;
    if (entryHeaders) this.policies = [entryHeaders, ...this.policies];
    this.timeoutMs = action.timeoutMs;
    info.clusterName = this.cluster;
    if (!this.ctx.clusters.has(this.cluster)) return this.fail(stream, 503, '', 'cluster_not_found', ResponseFlag.NoClusterFound);
    const rewrite = action.rewrite;
    this.finalizeRequestHeaders(headers, route, rewrite);
    try {
      this.upstream = this.ctx.clusters.open(this.cluster, headers.get(':method') ?? 'GET', (host) => {
        if (rewrite.autoHost && host.hostname) headers.set(':authority', host.hostname);
        return { path: headers.get(':path') ?? '/', headers: this.upstreamHeaders(headers) };
      });
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
        applyHeaderPolicies(this.policies, 'response', out, { streamInfo: info, requestHeaders: headers, responseHeaders: out });
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

  /** `direct_response` and `redirect`: a local reply carrying the route's response headers. */
  private answerDirectly(stream: TerminalCallbacks, route: Route, headers: HeaderMap): void {
    const action = route.action;
    if (action.kind === 'direct') return this.fail(stream, action.status, typeof action.body === 'string' ? action.body : '', 'direct_response', 0);
    if (action.kind !== 'redirect') return;
    const location = redirectLocation(action.redirect, route.match.path, { scheme: headers.get(':scheme') ?? 'http', authority: headers.get(':authority') ?? '', path: headers.get(':path') ?? '/' });
    this.fail(stream, action.redirect.status, '', 'direct_response', 0, [['location', location]]);
  }

  /** Envoy's finalizeRequestHeaders: header policies, then host rewrite, then path rewrite (x-envoy-original-path). */
  private finalizeRequestHeaders(headers: HeaderMap, route: Route, rewrite: ForwardRewrite): void {
    applyHeaderPolicies(this.policies, 'request', headers, { streamInfo: this.ctx.streamInfo, requestHeaders: headers });
    if (rewrite.hostLiteral !== undefined) headers.set(':authority', rewrite.hostLiteral);
    if (rewrite.prefix !== undefined || rewrite.regex) {
      const original = headers.get(':path') ?? '/';
      headers.set('x-envoy-original-path', original);
      headers.set(':path', rewrite.regex ? rewriteRegex(rewrite.regex, original) : rewritePrefix(route.match.path, rewrite.prefix!, original));
    }
  }

  private upstreamHeaders(headers: HeaderMap): [string, string][] {
    const out: [string, string][] = [['host', headers.get(':authority') ?? '']];
    for (const [k, v] of headers.entries()) if (!k.startsWith(':') && !HOP_BY_HOP.has(k)) out.push([k, v]);
    if (this.timeoutMs > 0) out.push(['x-envoy-expected-rq-timeout-ms', String(this.timeoutMs)]);
    return out;
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

  /** Local reply; a selected route's response header policies apply to it (Envoy's router `modify_headers`). */
  private fail(stream: TerminalCallbacks, status: number, body: string, details: string, flag: number, extra: [string, string][] = []): void {
    this.finish();
    if (flag) this.ctx.streamInfo.responseFlags = (this.ctx.streamInfo.responseFlags ?? 0) | flag;
    const modified = new HeaderMap(extra);
    applyHeaderPolicies(this.policies, 'response', modified, { streamInfo: this.ctx.streamInfo });
    stream.sendLocalReply({ status, body: new Uint8Array(Buffer.from(body)), extraHeaders: modified.entries().map(([k, v]) => [k, v]), grpcStatus: null, details });
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
