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
}

export interface HcmConfig {
  statPrefix: string;
  routeConfig: RouteConfig;
  filters: WasmFilterConfig[];
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
}

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: Route[];
}

export interface Route {
  name: string;
  match: RouteMatch;
  action: RouteAction;
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

export type RouteAction =
  | { kind: 'cluster'; cluster: string; timeoutMs: number }
  | { kind: 'weighted'; clusters: { name: string; weight: number }[]; timeoutMs: number }
  | { kind: 'direct'; status: number; body: string };

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
  connectTimeoutMs: number;
  endpoints: SocketAddress[];
}

/** Envoy's default route timeout (15 s); 0 disables it. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;
