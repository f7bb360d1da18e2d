// Request mirroring: a copy of the request (method, path, headers, optionally the body) sent with
// proxy_http_call to a cluster, fire and forget. The call's origin is the root context, so the
// response (or failure) never touches the stream; nothing here can delay, alter or fail the request.
import { BaseContext, HeaderPairs, Headers, RootContext } from "../sdk";
import { shadowAuthority } from "./request-text";
import { Mirror } from "./settings";

/** Headers not copied: hop-by-hop ones, and the body framing (the host sets content-length itself). */
function isSkippedHeader(name: string): bool {
  return name == "content-length" || name == "transfer-encoding" || name == "connection" || name == "keep-alive"
    || name == "upgrade" || name == "te" || name == "proxy-connection";
}

/**
 * Copy of the request headers for the mirror: `:authority` gets the `-shadow` mark, the routing header
 * carries the value the router decided (`route`, or none when null). Null when :method, :path or
 * :authority is missing (the host would refuse the call).
 */
export function mirrorHeaders(h: Headers, routingHeader: string, route: string | null): HeaderPairs | null {
  const pairs = new HeaderPairs();
  let required = 0;
  const n = h.size;
  for (let i = 0; i < n; i++) {
    const name = h.keyAt(i);
    if (name == routingHeader || isSkippedHeader(name)) continue;
    if (name == ":authority") {
      pairs.add(name, shadowAuthority(h.valueAt(i)));
      required++;
      continue;
    }
    if (name == ":method" || name == ":path") required++;
    pairs.add(name, h.valueAt(i));
  }
  if (required < 3) return null;
  if (route !== null) pairs.add(routingHeader, <string>route);
  return pairs;
}

function onMirrorResponse(origin: BaseContext, numHeaders: u32, bodySize: usize, numTrailers: u32): void {
  // Fire and forget: the response is dropped.
}

/** Start the mirrored call; true when the host accepted it. */
export function sendMirror(root: RootContext, mirror: Mirror, headers: HeaderPairs, body: ArrayBuffer | null): bool {
  return root.callHttp(mirror.cluster, headers, body, mirror.timeoutMs, root, onMirrorResponse) != 0;
}

/** Request body bytes collected for a mirror, up to a limit. */
export class BodyCopy {
  private chunks: ArrayBuffer[] = [];
  size: i32 = 0;
  overflow: bool = false;
  constructor(public limit: i32) {}

  /** Append a chunk; false (and the copy dropped) once the total exceeds the limit. */
  append(chunk: ArrayBuffer | null): bool {
    if (this.overflow || chunk === null) return !this.overflow;
    const c = <ArrayBuffer>chunk;
    if (this.size + c.byteLength > this.limit) {
      this.overflow = true;
      this.chunks = [];
      return false;
    }
    this.chunks.push(c);
    this.size += c.byteLength;
    return true;
  }

  /** The collected bytes (null when empty). */
  bytes(): ArrayBuffer | null {
    if (this.size == 0) return null;
    if (this.chunks.length == 1) return this.chunks[0];
    const out = new Uint8Array(this.size);
    let at = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      out.set(Uint8Array.wrap(this.chunks[i]), at);
      at += this.chunks[i].byteLength;
    }
    return out.buffer;
  }
}
