/**
 * Local replies built like Envoy's `Http::Utility::prepareLocalReply` (reference §5.3): `:status`, the plugin's
 * extra headers, then content-length/content-type rules; gRPC requests get a trailers-only 200 reply.
 */
import { HeaderMap } from './header-map.ts';
import type { LocalReplyRequest } from './types.ts';

export interface BuiltLocalReply {
  headers: HeaderMap;
  /** Empty for HEAD requests and gRPC (trailers-only). */
  body: Uint8Array;
  grpcStatus: number | null;
}

/** Envoy `Grpc::Utility::httpToGrpcStatus`. */
export function httpToGrpcStatus(code: number): number {
  switch (code) {
    case 400: return 13;
    case 401: return 16;
    case 403: return 7;
    case 404: return 12;
    case 429: case 502: case 503: case 504: return 14;
    default: return 2;
  }
}

/** Envoy `PercentEncoding::encode`: bytes outside 0x20..0x7e and '%' become %XX. */
function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x20 || b > 0x7e || b === 0x25 ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

export function isGrpcRequest(requestHeaders: HeaderMap | null): boolean {
  return requestHeaders?.get('content-type')?.startsWith('application/grpc') ?? false;
}

export function buildLocalReply(reply: LocalReplyRequest, requestHeaders: HeaderMap | null): BuiltLocalReply {
  const headers = new HeaderMap();
  if (isGrpcRequest(requestHeaders)) {
    headers.set(':status', '200');
    for (const [k, v] of reply.extraHeaders) headers.add(k, v);
    headers.set('content-type', 'application/grpc');
    const grpcStatus = reply.grpcStatus ?? httpToGrpcStatus(reply.status);
    headers.set('grpc-status', String(grpcStatus));
    if (reply.body.length) headers.set('grpc-message', percentEncode(reply.body));
    headers.remove('content-length');
    return { headers, body: new Uint8Array(0), grpcStatus };
  }
  headers.set(':status', String(reply.status));
  for (const [k, v] of reply.extraHeaders) headers.add(k, v);
  if (reply.body.length) {
    headers.set('content-length', String(reply.body.length));
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain');
  } else {
    headers.remove('content-length');
    headers.remove('content-type');
  }
  const isHead = requestHeaders?.get(':method') === 'HEAD';
  return { headers, body: isHead ? new Uint8Array(0) : reply.body, grpcStatus: null };
}
