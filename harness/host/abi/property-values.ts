/**
 * Envoy attribute values (reference §3.4) resolved from a context: `plugin_*`, `request.*` (from held headers
 * only), `response.*`, `source/destination.*`, `connection.*` (TLS description), `upstream.*`, `xds.*`,
 * `metadata`, `filter_state`, then filter state `wasm.<segment>`.
 */
import type { HostContext, StreamContext } from '../context.ts';
import type { HeaderMap } from '../header-map.ts';
import type { PropertyValue, StreamInfo, TlsInfo } from '../types.ts';
import type { WasmVm } from '../vm.ts';

type Lookup = PropertyValue | undefined;

function headersMap(h: HeaderMap): PropertyValue {
  return { map: Object.entries(h.toObject()) };
}

function splitHostPort(address: string | undefined): { host: string; port: number } | undefined {
  if (!address) return undefined;
  const i = address.lastIndexOf(':');
  if (i < 0) return { host: address, port: 0 };
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

/** Request headers Envoy still holds: during/while paused in request headers, or in the log phase. */
function heldRequestHeaders(ctx: StreamContext): HeaderMap | null {
  return ctx.requestHeaders ?? (ctx.inLog ? ctx.logMaps?.requestHeaders ?? null : null);
}

function request(ctx: StreamContext, vm: WasmVm, field: string): Lookup {
  const info = ctx.streamInfo;
  const h = heldRequestHeaders(ctx);
  const header = (name: string): Lookup => h?.get(name) ?? undefined;
  const path = h?.get(':path') ?? undefined;
  switch (field) {
    case 'path': return path;
    case 'url_path': return path === undefined ? undefined : path.split('?')[0];
    case 'query': return path === undefined ? undefined : path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
    case 'host': return header(':authority');
    case 'scheme': return header(':scheme');
    case 'method': return header(':method');
    case 'referer': return header('referer');
    case 'useragent': return header('user-agent');
    case 'id': return header('x-request-id');
    case 'headers': return h ? headersMap(h) : undefined;
    case 'protocol': return info.protocol;
    case 'time': return { timestampNs: BigInt(Math.trunc(info.startTimeMs ?? vm.services.clock.now())) * 1_000_000n };
    case 'size': {
      const cl = h?.get('content-length');
      if (cl) return { int: BigInt(cl) };
      return info.bytesReceived === undefined ? undefined : { int: info.bytesReceived };
    }
    case 'total_size': return info.bytesReceived === undefined ? undefined : { int: info.bytesReceived + (h?.byteSize() ?? 0) };
    case 'headers_bytes': return h ? { int: h.byteSize() } : undefined;
    case 'duration':
      return ctx.inLog && info.startTimeMs !== undefined ? { durationNs: BigInt(Math.trunc(vm.services.clock.now() - info.startTimeMs)) * 1_000_000n } : undefined;
    default: return undefined;
  }
}

function response(ctx: StreamContext, field: string): Lookup {
  const info = ctx.streamInfo;
  const headers = ctx.responseHeaders ?? (ctx.inLog ? ctx.logMaps?.responseHeaders ?? null : null);
  const trailers = ctx.responseTrailers ?? (ctx.inLog ? ctx.logMaps?.responseTrailers ?? null : null);
  switch (field) {
    case 'code': return info.responseCode === undefined ? undefined : { int: info.responseCode };
    case 'code_details': return info.responseCodeDetails;
    case 'flags': return info.responseFlags === undefined ? undefined : { int: info.responseFlags };
    case 'grpc_status': {
      const g = trailers?.get('grpc-status') ?? headers?.get('grpc-status');
      return g === null || g === undefined ? undefined : { int: Number(g) };
    }
    case 'headers': return headers ? headersMap(headers) : undefined;
    case 'trailers': return trailers ? headersMap(trailers) : undefined;
    case 'size': return info.bytesSent === undefined ? undefined : { int: info.bytesSent };
    case 'headers_bytes': return headers ? { int: headers.byteSize() } : undefined;
    default: return undefined;
  }
}

function tlsField(tls: TlsInfo | undefined, field: string, local: 'local' | 'peer'): Lookup {
  if (!tls) return undefined;
  const first = (xs: string[] | undefined): Lookup => (xs && xs.length ? xs[0] : undefined);
  switch (field) {
    case 'tls_version': return tls.version;
    case 'requested_server_name': return tls.sni;
    case 'mtls': return tls.mtls ?? false;
    case 'subject_peer_certificate': return tls.subjectPeerCertificate;
    case 'subject_local_certificate': return tls.subjectLocalCertificate;
    case 'uri_san_peer_certificate': return first(tls.uriSanPeerCertificate);
    case 'uri_san_local_certificate': return first(tls.uriSanLocalCertificate);
    case 'dns_san_peer_certificate': return first(tls.dnsSanPeerCertificate);
    case 'dns_san_local_certificate': return first(tls.dnsSanLocalCertificate);
    case 'sha256_peer_certificate_digest': return tls.sha256PeerCertificateDigest;
    case 'peer_certificate': return tls.peerCertificate;
    default: return local === 'peer' ? undefined : undefined;
  }
}

function connection(info: StreamInfo, field: string): Lookup {
  if (field === 'id') return info.connectionId === undefined ? undefined : { uint: info.connectionId };
  if (field === 'mtls') return info.tls ? info.tls.mtls ?? false : false;
  return tlsField(info.tls, field, 'peer');
}

function upstream(info: StreamInfo, field: string): Lookup {
  const addr = splitHostPort(info.upstreamAddress);
  switch (field) {
    case 'address': return info.upstreamAddress;
    case 'port': return addr ? { int: addr.port } : undefined;
    case 'local_address': return info.upstreamLocalAddress;
    case 'request_attempt_count': return info.upstreamRequestAttemptCount === undefined ? undefined : { uint: info.upstreamRequestAttemptCount };
    default: return tlsField(info.upstreamTls, field, 'peer');
  }
}

function xds(vm: WasmVm, info: StreamInfo | undefined, field: string): Lookup {
  const node = vm.services.nodeProperties?.[`xds.${field}`];
  if (node !== undefined) return node;
  if (!info) return undefined;
  switch (field) {
    case 'cluster_name': return info.clusterName;
    case 'route_name': return info.routeName;
    case 'virtual_host_name': return info.virtualHostName;
    case 'filter_chain_name': return info.filterChainName;
    case 'listener_direction': return info.listenerDirection === undefined ? undefined : { int: info.listenerDirection };
    default: return undefined;
  }
}

/**
 * Resolve path segments to a value; `consumed` tells how many segments the attribute itself used (the rest
 * index into maps/lists).
 */
export function resolveAttribute(vm: WasmVm, ctx: HostContext | undefined, segments: string[]): { value: Lookup; consumed: number } {
  const [first = '', second = ''] = segments;
  const extra = (ctx && !ctx.isRoot ? ctx.streamInfo.extraProperties : undefined) ?? {};
  for (let n = segments.length; n > 0; n--) {
    const key = segments.slice(0, n).join('.');
    const v = extra[key] ?? vm.services.nodeProperties?.[key];
    if (v !== undefined) return { value: v, consumed: n };
  }
  switch (first) {
    // Per root context: plugins sharing a VM each see their own name and root id (also in their root's on_context_create).
    case 'plugin_name': return { value: (ctx?.root.plugin ?? vm.plugin).name, consumed: 1 };
    case 'plugin_root_id': return { value: (ctx?.root.plugin ?? vm.plugin).rootId, consumed: 1 };
    case 'plugin_vm_id': return { value: (ctx?.root.plugin ?? vm.plugin).vmId, consumed: 1 };
    case 'xds': return { value: xds(vm, ctx && !ctx.isRoot ? ctx.streamInfo : undefined, second), consumed: 2 };
  }
  if (!ctx || ctx.isRoot) return { value: undefined, consumed: 1 };
  const info = ctx.streamInfo;
  switch (first) {
    case 'request': return { value: request(ctx, vm, second), consumed: 2 };
    case 'response': return { value: response(ctx, second), consumed: 2 };
    case 'source': {
      const a = splitHostPort(info.sourceAddress);
      return { value: second === 'address' ? info.sourceAddress : second === 'port' && a ? { int: a.port } : undefined, consumed: 2 };
    }
    case 'destination': {
      const a = splitHostPort(info.destinationAddress);
      return { value: second === 'address' ? info.destinationAddress : second === 'port' && a ? { int: a.port } : undefined, consumed: 2 };
    }
    case 'connection': return { value: connection(info, second), consumed: 2 };
    case 'connection_id': return { value: info.connectionId === undefined ? undefined : { uint: info.connectionId }, consumed: 1 };
    case 'upstream': return { value: upstream(info, second), consumed: 2 };
    case 'metadata': return { value: info.dynamicMetadata, consumed: 1 };
    case 'filter_state': {
      const fs = info.filterState;
      return { value: fs ? { map: [...fs.entries()].map(([k, v]): [string, PropertyValue] => [k, v]) } : undefined, consumed: 1 };
    }
  }
  const state = info.filterState?.get(`wasm.${first}`);
  return { value: state, consumed: 1 };
}
