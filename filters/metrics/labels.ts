// Label values and stat names. A stat name carries its labels as `<label>=.=<value>;.;` segments ahead of
// the metric name (the form Istio's sidecar bootstrap extracts with `(<label>=\.=(.*?);\.;)` stats_tags),
// e.g. `response_code=.=200;.;request_method=.=GET;.;asmesh_requests_total`.

const codeCache = new Array<string>(600);
let codeCacheReady = false;

/** Decimal form of an HTTP status (cached for 0..599). */
export function codeLabel(code: i64): string {
  if (code < 0 || code >= 600) return code.toString();
  if (!codeCacheReady) {
    for (let i = 0; i < 600; i++) codeCache[i] = "";
    codeCacheReady = true;
  }
  const i = <i32>code;
  let s = codeCache[i];
  if (s.length == 0) {
    s = i.toString();
    codeCache[i] = s;
  }
  return s;
}

/** A value safe inside a stat name: ';' and '=' become '_', empty becomes "unknown". No copy when clean. */
export function sanitizeValue(v: string): string {
  if (v.length == 0) return "unknown";
  let clean = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c == 59 || c == 61) { clean = false; break; }
  }
  if (clean) return v;
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c == 59 || c == 61) out += "_";
    else out += String.fromCharCode(c);
  }
  return out;
}

/** `name=.=value;.;` for each label, in order (built once per label combination). */
export function labelSegments(names: string[], values: string[]): string {
  let out = "";
  for (let i = 0; i < names.length; i++) out += names[i] + "=.=" + values[i] + ";.;";
  return out;
}

/** Host part of an authority (`[v6]:port` and `host:port` lose the port), lower-cased. */
export function authorityHost(authority: string): string {
  let end = authority.length;
  const colon = authority.lastIndexOf(":");
  if (colon > 0 && authority.indexOf("]") < colon) end = colon;
  let host = authority;
  if (end < authority.length) host = authority.substring(0, end);
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c >= 65 && c <= 90) return host.toLowerCase();
  }
  return host;
}

/** Namespace of a SPIFFE URI `spiffe://<td>/ns/<ns>/...` ("" when absent). */
export function spiffeNamespace(uri: string): string {
  if (!uri.startsWith("spiffe://")) return "";
  const marker = uri.indexOf("/ns/", 9);
  if (marker < 0 || uri.indexOf("/", 9) != marker) return "";
  const start = marker + 4;
  let end = uri.indexOf("/", start);
  if (end < 0) end = uri.length;
  if (end <= start) return "";
  return uri.substring(start, end);
}
