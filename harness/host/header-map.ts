/**
 * Header map with Envoy semantics (reference §5.1): lower-cased keys, pseudo-headers first, insertion order
 * otherwise, "inline" headers comma-merged on add (cookie with "; "), get returns the first value.
 */

/** Envoy's statically-known headers: a second add appends to the existing entry instead of a new entry. */
export const INLINE_HEADERS: ReadonlySet<string> = new Set([
  ':authority', ':path', ':method', ':scheme', ':protocol', ':status',
  'user-agent', 'content-type', 'content-length', 'x-request-id', 'x-forwarded-for', 'x-forwarded-proto',
  'x-forwarded-host', 'te', 'expect', 'via', 'connection', 'transfer-encoding', 'upgrade', 'keep-alive',
  'date', 'server', 'location', 'grpc-status', 'grpc-message', 'grpc-timeout', 'cookie', 'host',
  'x-envoy-original-path', 'x-envoy-upstream-service-time', 'content-encoding', 'accept-encoding', 'etag',
  'cache-control', 'referer', 'authorization', 'proxy-status',
]);

export type HeaderInit = HeaderMap | Iterable<readonly [string, string]> | Record<string, string>;

function isPseudo(key: string): boolean {
  return key.charCodeAt(0) === 58; // ':'
}

export class HeaderMap {
  /** Entries in Envoy order; keys lower-case. Read-only view for callers: use the methods to mutate. */
  private readonly list: [string, string][] = [];

  constructor(init?: HeaderInit) {
    if (init === undefined) return;
    if (init instanceof HeaderMap) {
      for (const [k, v] of init.list) this.list.push([k, v]);
    } else if (Symbol.iterator in Object(init)) {
      for (const [k, v] of init as Iterable<readonly [string, string]>) this.add(k, v);
    } else {
      for (const [k, v] of Object.entries(init as Record<string, string>)) this.add(k, v);
    }
  }

  /** Number of entries (Envoy's `size()`; pseudo-headers included, a repeated custom header counts per entry). */
  get size(): number {
    return this.list.length;
  }

  /** Entries in order. Do not mutate the returned array. */
  entries(): readonly (readonly [string, string])[] {
    return this.list;
  }

  /** First value of `key` (lower-cased), or null. */
  get(key: string): string | null {
    const k = key.toLowerCase();
    for (const e of this.list) if (e[0] === k) return e[1];
    return null;
  }

  getAll(key: string): string[] {
    const k = key.toLowerCase();
    const out: string[] = [];
    for (const e of this.list) if (e[0] === k) out.push(e[1]);
    return out;
  }

  has(key: string): boolean {
    return this.get(key) !== null;
  }

  /** Envoy `addCopy`: inline header already present → value appended with "," ("; " for cookie); else new entry. */
  add(key: string, value: string): void {
    const k = key.toLowerCase();
    if (INLINE_HEADERS.has(k)) {
      for (const e of this.list) {
        if (e[0] === k) {
          e[1] = e[1] === '' ? value : e[1] + (k === 'cookie' ? '; ' : ',') + value;
          return;
        }
      }
    }
    this.insert(k, value);
  }

  /**
   * Replace all values of `key` with one value: Envoy `setCopy` with `http_set_copy_replace_all_headers`
   * (remove, then add — so the entry moves to the end of its section).
   */
  set(key: string, value: string): void {
    const k = key.toLowerCase();
    this.remove(k);
    this.insert(k, value);
  }

  /** Remove every value of `key`; returns how many entries were removed. */
  remove(key: string): number {
    const k = key.toLowerCase();
    let removed = 0;
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (this.list[i]![0] === k) {
        this.list.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Envoy `byteSize()`: sum of key and value lengths in bytes. */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.list) n += Buffer.byteLength(k) + Buffer.byteLength(v);
    return n;
  }

  /** Values of repeated keys comma-joined (what `request.headers` property and most tests want). */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.list) out[k] = k in out ? `${out[k]},${v}` : v;
    return out;
  }

  clone(): HeaderMap {
    return new HeaderMap(this);
  }

  /** Append a raw entry (key lower-cased) without inline merging; pseudo-headers stay before regular ones. */
  private insert(k: string, value: string): void {
    if (isPseudo(k)) {
      let i = 0;
      while (i < this.list.length && isPseudo(this.list[i]![0])) i++;
      this.list.splice(i, 0, [k, value]);
    } else {
      this.list.push([k, value]);
    }
  }
}
