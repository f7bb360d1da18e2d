/**
 * Validated Envoy v3 bootstrap → the emulated data plane's model. Anything outside the supported subset is
 * refused with its field path (ConfigError listing every refusal); nothing is ignored silently.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../errors.ts';
import { readHcm, HCM_TYPE } from './config-hcm.ts';
import type { ClusterConfig, DataPlaneConfig, DataSource, ListenerConfig, SocketAddress, TlsConfig } from './config-types.ts';
import { NO_HEADER_CHANGES } from './header-mutation.ts';
import { durationMs, Fields, REFUSAL_HINT, Refusals, type Json } from './fields.ts';

const TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';

/** `bootstrap` is the normalised tree from `validateBootstrap` (proto field names). */
export function readDataPlaneConfig(bootstrap: Json, source: string): DataPlaneConfig {
  const refusals = new Refusals();
  const f = new Fields(bootstrap, '', refusals);
  const config: DataPlaneConfig = { node: { id: '', cluster: '' }, statsTags: [], listeners: [], clusters: new Map() };
  const node = f.message('node');
  if (node) {
    config.node = { id: node.string('id'), cluster: node.string('cluster') };
    node.done();
  }
  const admin = f.message('admin');
  if (admin) {
    const address = admin.message('address');
    if (address) config.admin = readSocketAddress(address);
    admin.done();
  }
  const stats = f.message('stats_config');
  if (stats) {
    config.statsTags = stats.messages('stats_tags').map((tag) => {
      const entry = { tagName: tag.string('tag_name'), regex: tag.string('regex') };
      if (!tag.has('regex')) tag.take('fixed_value');
      tag.done();
      return entry;
    });
    stats.done();
  }
  // The emulator renders histograms live, which is what `stats_flush_on_admin: true` asks of Envoy.
  f.only('stats_flush_on_admin', [true]);
  const resources = f.message('static_resources');
  if (resources) {
    config.listeners = resources.messages('listeners').map(readListener);
    for (const cluster of resources.messages('clusters').map(readCluster)) config.clusters.set(cluster.name, cluster);
    resources.done();
  }
  f.done();
  checkClusterReferences(config, refusals);
  if (refusals.list.length > 0) {
    throw new ConfigError(`${source}: the emulated data plane cannot run this bootstrap:\n${refusals.list.join('\n')}`, REFUSAL_HINT);
  }
  return config;
}

function readSocketAddress(f: Fields): SocketAddress {
  const socket = f.message('socket_address');
  if (!socket) {
    f.refusals.unsupported(f.path, 'only socket_address is supported by the emulated data plane');
    f.done();
    return { address: '127.0.0.1', port: 0 };
  }
  socket.only('protocol', ['TCP']);
  const address = { address: socket.string('address'), port: socket.number('port_value', 0) };
  socket.done();
  f.done();
  return address;
}

function readListener(f: Fields): ListenerConfig {
  const name = f.string('name');
  const address = f.message('address');
  const socket = address ? readSocketAddress(address) : { address: '127.0.0.1', port: 0 };
  const chains = f.messages('filter_chains');
  if (chains.length !== 1) f.refusals.unsupported(f.at('filter_chains'), 'exactly one filter chain is supported by the emulated data plane');
  let listener: ListenerConfig | undefined;
  for (const chain of chains.slice(0, 1)) {
    chain.take('name');
    const filters = chain.messages('filters');
    if (filters.length !== 1) chain.refusals.unsupported(chain.at('filters'), 'exactly one network filter (http_connection_manager) is supported');
    const hcmFilter = filters[0];
    const typed = hcmFilter?.message('typed_config');
    hcmFilter?.take('name');
    if (typed && typed.value['@type'] === HCM_TYPE) listener = { name, ...socket, hcm: readHcm(typed) };
    else if (hcmFilter) hcmFilter.refusals.unsupported(hcmFilter.at('typed_config'), 'only envoy.filters.network.http_connection_manager is supported');
    hcmFilter?.done();
    const transport = chain.message('transport_socket');
    if (transport && listener) listener.tls = readTransportSocket(transport);
    // Node cannot speak HTTP/2 over TLS without ALPN (Envoy would accept prior knowledge there).
    if (listener?.tls && listener.hcm.codec === 'HTTP2' && !listener.tls.alpnProtocols.includes('h2'))
      chain.refusals.unsupported(chain.at('transport_socket'), 'codec_type HTTP2 on a TLS listener needs common_tls_context.alpn_protocols with "h2" in the emulated data plane');
    chain.done();
  }
  f.done();
  return listener ?? { name, ...socket, hcm: emptyHcm() };
}

function readTransportSocket(f: Fields): TlsConfig | undefined {
  f.take('name');
  const typed = f.message('typed_config');
  if (!typed || typed.value['@type'] !== TLS_TYPE) {
    f.refusals.unsupported(f.at('typed_config'), 'only envoy.transport_sockets.tls with DownstreamTlsContext is supported');
    f.done();
    return undefined;
  }
  const tls: TlsConfig = { certificateChain: { inline: '' }, privateKey: { inline: '' }, requireClientCertificate: typed.bool('require_client_certificate', false), alpnProtocols: [] };
  const common = typed.message('common_tls_context');
  if (common) {
    tls.alpnProtocols = common.strings('alpn_protocols');
    const certs = common.messages('tls_certificates');
    if (certs.length !== 1) common.refusals.unsupported(common.at('tls_certificates'), 'exactly one certificate is supported by the emulated data plane');
    for (const cert of certs.slice(0, 1)) {
      tls.certificateChain = readDataSource(cert.message('certificate_chain'), cert.at('certificate_chain'), cert);
      tls.privateKey = readDataSource(cert.message('private_key'), cert.at('private_key'), cert);
      cert.done();
    }
    const validation = common.message('validation_context');
    if (validation) {
      tls.trustedCa = readDataSource(validation.message('trusted_ca'), validation.at('trusted_ca'), validation);
      validation.done();
    }
    common.done();
  }
  typed.done();
  f.done();
  return tls;
}

function readDataSource(f: Fields | undefined, path: string, parent: Fields): DataSource {
  if (!f) {
    parent.refusals.unsupported(path, 'required by the emulated data plane');
    return { inline: '' };
  }
  let source: DataSource = { inline: '' };
  if (f.has('filename')) source = { filename: f.string('filename') };
  else if (f.has('inline_string')) source = { inline: f.string('inline_string') };
  else if (f.has('inline_bytes')) source = { inline: Buffer.from(f.string('inline_bytes'), 'base64').toString('utf8') };
  f.done();
  return source;
}

function readCluster(f: Fields): ClusterConfig {
  f.only('type', ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS']);
  f.only('lb_policy', ['ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST']);
  f.only('dns_lookup_family', ['AUTO', 'V4_ONLY', 'V6_ONLY', 'V4_PREFERRED', 'ALL']);
  const cluster: ClusterConfig = {
    name: f.string('name'),
    type: (f.value.type as ClusterConfig['type'] | undefined) ?? 'STATIC',
    lbPolicy: (f.value.lb_policy as ClusterConfig['lbPolicy'] | undefined) ?? 'ROUND_ROBIN',
    connectTimeoutMs: durationMs(f.take('connect_timeout'), 5000),
    endpoints: [],
    dnsLookupFamily: (f.value.dns_lookup_family as ClusterConfig['dnsLookupFamily'] | undefined) ?? 'AUTO',
    dnsRefreshMs: durationMs(f.take('dns_refresh_rate'), 5000),
  };
  const assignment = f.message('load_assignment');
  if (assignment) {
    assignment.take('cluster_name');
    for (const locality of assignment.messages('endpoints')) {
      for (const lb of locality.messages('lb_endpoints')) {
        const endpoint = lb.message('endpoint');
        const hostname = endpoint?.has('hostname') ? endpoint.string('hostname') : undefined;
        const address = endpoint?.message('address');
        if (address) {
          const at = address.path;
          const socket = readSocketAddress(address);
          if (cluster.type === 'STATIC' && isIP(socket.address) === 0) f.refusals.unsupported(`${at}.socket_address.address`, `${JSON.stringify(socket.address)} is not an IP address (Envoy rejects hostnames in STATIC clusters; use STRICT_DNS)`);
          cluster.endpoints.push(hostname === undefined ? socket : { ...socket, hostname });
        }
        endpoint?.done();
        lb.done();
      }
      locality.done();
    }
    assignment.done();
  }
  if (cluster.type === 'LOGICAL_DNS' && cluster.endpoints.length !== 1)
    f.refusals.unsupported(f.at('load_assignment'), 'LOGICAL_DNS clusters need exactly one endpoint (Envoy rejects others)');
  f.done();
  return cluster;
}

function checkClusterReferences(config: DataPlaneConfig, refusals: Refusals): void {
  config.listeners.forEach((listener, li) => {
    if (!listener.hcm.routeConfig.validateClusters) return;
    listener.hcm.routeConfig.virtualHosts.forEach((vh, vi) => {
      vh.routes.forEach((route, ri) => {
        const names = route.action.kind === 'cluster' ? [route.action.cluster] : route.action.kind === 'weighted' ? route.action.clusters.map((c) => c.name) : [];
        for (const name of names) {
          if (!config.clusters.has(name)) {
            // Envoy refuses unknown clusters in static route configs (validate_clusters defaults to true for static routes).
            refusals.unsupported(`static_resources.listeners[${li}]...virtual_hosts[${vi}].routes[${ri}].route`, `unknown cluster '${name}'`);
          }
        }
      });
    });
  });
}

function emptyHcm(): ListenerConfig['hcm'] {
  return {
    statPrefix: '', codec: 'AUTO', http2: {}, routeConfig: { name: '', virtualHosts: [], headers: NO_HEADER_CHANGES, mostSpecificHeaderMutationsWins: false, maxDirectResponseBodyBytes: 4096, validateClusters: true }, filters: [], accessLogs: [], generateRequestId: true, preserveExternalRequestId: false,
    useRemoteAddress: false, xffNumTrustedHops: 0, skipXffAppend: false, normalizePath: false, mergeSlashes: false, serverName: 'envoy',
  };
}
