// Request attributes read from the host on first use (properties) or from the one request-header view.
// A property that must exist but cannot be read, or a malformed value, sets `failed` (→ the stream denies).
import { encodePropertyPath, getPropertyEncoded, Headers, lastStatus, WasmResultValues } from "../sdk";
import { IpAddress, parseAddress } from "./cidr";
import { RequestAttributes } from "./match";
import { principalNamespace, spiffePrincipal } from "./spiffe";

/** Property paths, encoded once (onConfigure) and reused. */
export class PropertyPaths {
  uriSan: ArrayBuffer = encodePropertyPath(["connection", "uri_san_peer_certificate"]);
  sourceAddress: ArrayBuffer = encodePropertyPath(["source", "address"]);
  destinationPort: ArrayBuffer = encodePropertyPath(["destination", "port"]);
  sni: ArrayBuffer = encodePropertyPath(["connection", "requested_server_name"]);
}

const UNLOADED: i32 = 0;
const LOADED: i32 = 1;

export class StreamAttributes extends RequestAttributes {
  private principalState: i32 = UNLOADED;
  private principal_: string = "";
  private namespace_: string = "";
  private sourceState: i32 = UNLOADED;
  // Allocated on first use: most requests never read an address.
  private sourceIp_: IpAddress | null = null;
  private sourceOk: bool = false;
  private remoteState: i32 = UNLOADED;
  private remoteIp_: IpAddress | null = null;
  private remoteOk: bool = false;
  private port_: i32 = -2;
  private sniState: i32 = UNLOADED;
  private sni_: string = "";
  private host_: string | null = null;
  private method_: string | null = null;
  /** Set by the stream after normalisation. */
  normalizedPath: string = "";

  constructor(private headers: Headers, private paths: PropertyPaths, private xffNumTrustedHops: i32) {
    super();
  }

  principal(): string {
    this.loadPrincipal();
    return this.principal_;
  }

  namespace(): string {
    this.loadPrincipal();
    return this.namespace_;
  }

  private loadPrincipal(): void {
    if (this.principalState == LOADED) return;
    this.principalState = LOADED;
    const v = getPropertyEncoded(this.paths.uriSan);
    if (v === null) {
      if (lastStatus() != WasmResultValues.NotFound) this.failed = true; // NotFound = no mTLS peer
      return;
    }
    this.principal_ = spiffePrincipal(String.UTF8.decode(v));
    this.namespace_ = principalNamespace(this.principal_);
  }

  sourceIp(): IpAddress | null {
    if (this.sourceState == UNLOADED) {
      this.sourceState = LOADED;
      const v = getPropertyEncoded(this.paths.sourceAddress);
      if (v === null) {
        this.failed = true;
      } else {
        const s = String.UTF8.decode(v);
        const ip = new IpAddress();
        this.sourceIp_ = ip;
        this.sourceOk = parseAddress(s, 0, s.length, ip);
        if (!this.sourceOk) this.failed = true;
      }
    }
    if (!this.sourceOk) return null;
    return this.sourceIp_;
  }

  /** The client address: the xffNumTrustedHops-th x-forwarded-for entry from the right, else the peer. */
  remoteIp(): IpAddress | null {
    if (this.remoteState == LOADED) {
      if (!this.remoteOk) return null;
      return this.remoteIp_;
    }
    this.remoteState = LOADED;
    const n = this.xffNumTrustedHops;
    if (n == 0) return this.remoteFromPeer();
    const xff = this.header("x-forwarded-for");
    if (xff === null) return this.remoteFromPeer();
    // walk from the right to the n-th comma-separated entry
    let end = xff.length;
    let seen = 0;
    for (let i = xff.length - 1; i >= -1; i--) {
      if (i >= 0 && xff.charCodeAt(i) != 44) continue;
      seen++;
      if (seen == n) {
        const ip = new IpAddress();
        this.remoteIp_ = ip;
        this.remoteOk = parseAddress(xff, i + 1, end, ip);
        if (!this.remoteOk) {
          this.failed = true;
          return null;
        }
        return ip;
      }
      end = i;
    }
    return this.remoteFromPeer(); // fewer entries than trusted hops
  }

  private remoteFromPeer(): IpAddress | null {
    const ip = this.sourceIp();
    if (ip === null) return null;
    this.remoteIp_ = ip;
    this.remoteOk = true;
    return ip;
  }

  destinationPort(): i32 {
    if (this.port_ == -2) {
      this.port_ = -1;
      const v = getPropertyEncoded(this.paths.destinationPort);
      if (v === null || v.byteLength != 8) {
        this.failed = true;
      } else {
        const n = load<i64>(changetype<usize>(v));
        if (n < 0 || n > 65535) this.failed = true;
        else this.port_ = <i32>n;
      }
    }
    return this.port_;
  }

  sni(): string {
    if (this.sniState == UNLOADED) {
      this.sniState = LOADED;
      const v = getPropertyEncoded(this.paths.sni);
      if (v === null) {
        if (lastStatus() != WasmResultValues.NotFound) this.failed = true; // NotFound = plain text
      } else {
        this.sni_ = String.UTF8.decode(v);
      }
    }
    return this.sni_;
  }

  path(): string { return this.normalizedPath; }

  host(): string {
    if (this.host_ === null) {
      const h = this.headers.get(":authority");
      if (h === null) this.host_ = "";
      else this.host_ = h.toLowerCase();
    }
    return this.host_!;
  }

  method(): string {
    if (this.method_ === null) {
      const m = this.headers.get(":method");
      if (m === null) this.method_ = "";
      else this.method_ = m;
    }
    return this.method_!;
  }

  /** Header value; repeated headers are joined with "," (as Envoy's header matcher sees them). */
  header(name: string): string | null {
    const first = this.headers.indexOf(name);
    if (first < 0) return null;
    if (this.headers.indexOf(name, first + 1) < 0) return this.headers.valueAt(first);
    return this.headers.getAll(name).join(",");
  }
}
