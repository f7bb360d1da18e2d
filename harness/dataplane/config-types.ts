import type { AccessLogConfig } from './access-log.ts';
import type { Formatter } from './formatter.ts';

/** The bootstrap subset the emulated data plane runs, as read from a validated Envoy v3 bootstrap. */

export interface DataPlaneConfig {
  node: { id: string; cluster: string };
  admin?: SocketAddress;
  /** `stats_config.stats_tags`: regex tag extraction applied to metric names. */
  statsTags: { tagName: string; regex: string }[];
  listeners: ListenerConfig[];
  clusters: Map<string, ClusterConfig>;
}

export interface SocketAddress {
  address: string;
  port: number;
  /** `LbEndpoint.endpoint.hostname`, or the DNS name a DNS cluster resolved (used by `auto_host_rewrite`). */
  hostname?: string;
}

export interface ListenerConfig extends SocketAddress {
  name: string;
  tls?: TlsConfig;
  hcm: HcmConfig;
}

/** A certificate or key: a file path (resolved against the working directory, as Envoy does) or inline PEM. */
export type DataSource = { filename: string } | { inline: string };

export interface TlsConfig {
  certificateChain: DataSource;
  privateKey: DataSource;
  trustedCa?: DataSource;
  requireClientCertificate: boolean;
  /** `common_tls_context.alpn_protocols` (Envoy advertises none unless configured). */
  alpnProtocols: string[];
}

/** `http2_protocol_options` that map to HTTP/2 SETTINGS the emulator sends. */
export interface Http2Settings {
  maxConcurrentStreams?: number;
  initialWindowSize?: number;
  headerTableSize?: number;
  initialConnectionWindowSize?: number;
}

export interface HcmConfig {
  statPrefix: string;
  codec: 'AUTO' | 'HTTP1' | 'HTTP2';
  http2: Http2Settings;
  routeConfig: RouteConfig;
  filters: WasmFilterConfig[];
  accessLogs: AccessLogConfig[];
  generateRequestId: boolean;
  preserveExternalRequestId: boolean;
  useRemoteAddress: boolean;
  xffNumTrustedHops: number;
  skipXffAppend: boolean;
  normalizePath: boolean;
  mergeSlashes: boolean;
  serverName: string;
}

export interface RouteConfig {
  name: string;
  virtualHosts: VirtualHost[];
  headers: HeaderPolicy;
  mostSpecificHeaderMutationsWins: boolean;
  /** `max_direct_response_body_size_bytes` (Envoy's default 4096). */
  maxDirectResponseBodyBytes: number;
  /** `validate_clusters` (true for static route configs): unknown clusters are a config error rather than a 503. */
  validateClusters: boolean;
}

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: Route[];
  headers: HeaderPolicy;
  /** `require_tls`: requests not made over TLS (x-forwarded-proto) get a 301 to https. */
  requireTls: 'NONE' | 'EXTERNAL_ONLY' | 'ALL';
}

export interface Route {
  name: string;
  match: RouteMatch;
  action: RouteAction;
  headers: HeaderPolicy;
  /** The route `require_tls` synthesises: Envoy applies no header policies to its redirect. */
  tlsRedirect?: true;
}

/** `HeaderValueOption.append_action` (legacy `append: false` = OVERWRITE_IF_EXISTS_OR_ADD). */
export type AppendAction = 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';

export interface HeaderToAdd {
  name: string;
  value: Formatter;
  action: AppendAction;
  keepEmpty: boolean;
}

export interface HeaderMutations {
  remove: string[];
  add: HeaderToAdd[];
}

/** The header fields of one level (route configuration, virtual host or route). */
export interface HeaderPolicy {
  request: HeaderMutations;
  response: HeaderMutations;
}

export type PathMatch = { kind: 'prefix'; value: string } | { kind: 'path'; value: string } | { kind: 'regex'; regex: RegExp };

export interface RouteMatch {
  path: PathMatch;
  caseSensitive: boolean;
  headers: HeaderMatcher[];
}

export type StringMatcher =
  | { kind: 'exact' | 'prefix' | 'suffix' | 'contains'; value: string; ignoreCase: boolean }
  | { kind: 'regex'; regex: RegExp };

export interface HeaderMatcher {
  name: string;
  invert: boolean;
  treatMissingAsEmpty: boolean;
  /** `present: true` matches when the header exists (false: when it does not); otherwise `string`. */
  present?: boolean;
  string?: StringMatcher;
}

/** `regex_rewrite`: every match of `regex` (global) in the path, query excluded, becomes `substitution` (JS `$1` syntax). */
export interface RegexRewrite {
  regex: RegExp;
  substitution: string;
}

export interface WeightedCluster {
  name: string;
  weight: number;
  /** The entry's own header policy, evaluated before the route's levels (absent when it has none). */
  headers?: HeaderPolicy;
}

/** Path and host rewrites of a forwarding route. */
export interface ForwardRewrite {
  prefix?: string;
  regex?: RegexRewrite;
  hostLiteral?: string;
  autoHost: boolean;
}

export type RouteAction =
  | { kind: 'cluster'; cluster: string; timeoutMs: number; rewrite: ForwardRewrite }
  | { kind: 'weighted'; clusters: WeightedCluster[]; timeoutMs: number; rewrite: ForwardRewrite }
  /** `body` is the inline text, or a file read when the data plane starts (relative to its working directory). */
  | { kind: 'direct'; status: number; body: string | { filename: string } }
  | { kind: 'redirect'; redirect: Redirect };

/** `RedirectAction`. */
export interface Redirect {
  scheme?: string;
  host?: string;
  port?: number;
  path?: { kind: 'path'; value: string } | { kind: 'prefix'; value: string } | { kind: 'regex'; rewrite: RegexRewrite };
  stripQuery: boolean;
  status: number;
}

export interface WasmFilterConfig {
  /** `http_filters[i].name`. */
  filterName: string;
  pluginName: string;
  rootId: string;
  vmId: string;
  runtime: string;
  /** `vm_config.code.local.filename` as written (relative paths resolve against the working directory). */
  codeFilename: string;
  configuration?: string | Uint8Array;
  vmConfiguration?: string | Uint8Array;
  environment: Record<string, string>;
  failOpen: boolean;
}

export interface ClusterConfig {
  name: string;
  type: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS';
  lbPolicy: 'ROUND_ROBIN' | 'RANDOM' | 'LEAST_REQUEST';
  connectTimeoutMs: number;
  /** For STATIC clusters the hosts; for DNS clusters the names (and ports) to resolve. */
  endpoints: SocketAddress[];
  dnsLookupFamily: 'AUTO' | 'V4_ONLY' | 'V6_ONLY' | 'V4_PREFERRED' | 'ALL';
  /** `dns_refresh_rate` (Envoy's default 5 s). */
  dnsRefreshMs: number;
}

/** Envoy's default route timeout (15 s); 0 disables it. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;
