// Request path normalisation done by the filter itself, so that a rule on `/admin` cannot be bypassed
// with `//admin`, `/./admin`, `/a/../admin`, `/%61dmin` or `\admin` even when the connection manager
// does not normalise (`normalize_path`/`merge_slashes` off).
//
// Steps (in order): cut at `?` / `#`; percent-decode RFC 3986 unreserved characters (other escapes are
// kept, hex upper-cased); encoded slashes `%2F` / `%5C` are REJECTED (returned as null → the request is
// denied), or decoded to `/` when `encodedSlashes` is DECODE (Istio DECODE_AND_MERGE_SLASHES);
// an invalid escape (`%zz`, `%4`) is rejected; `\` becomes `/`; repeated slashes are merged;
// `.` and `..` segments are resolved (never above the root); a path not starting with `/` gets one.

const PERCENT: i32 = 37;
const SLASH: i32 = 47;
const BACKSLASH: i32 = 92;
const DOT: i32 = 46;

function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isUnreserved(c: i32): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ||
    c == 45 || c == 46 || c == 95 || c == 126;
}

/** Whether the path can be used as is (no escapes, backslashes, empty or dot segments). */
function isCanonical(raw: string, end: i32): bool {
  if (end == 0 || raw.charCodeAt(0) != SLASH) return false;
  let prev = 0;
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c == PERCENT || c == BACKSLASH) return false;
    if (prev == SLASH && (c == SLASH || c == DOT)) return false;
    prev = c;
  }
  return true;
}

function queryStart(raw: string): i32 {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c == 63 || c == 35) return i;
  }
  return raw.length;
}

const HEX = "0123456789ABCDEF";

/** Percent-decoding step; null when an escape is invalid or an encoded slash is rejected. */
function decodeEscapes(raw: string, end: i32, decodeSlashes: bool): string | null {
  let out = "";
  let runStart = 0;
  let i = 0;
  while (i < end) {
    const c = raw.charCodeAt(i);
    if (c != PERCENT) { i++; continue; }
    if (i + 2 >= end) return null;
    const h = hexValue(raw.charCodeAt(i + 1));
    const l = hexValue(raw.charCodeAt(i + 2));
    if (h < 0 || l < 0) return null;
    const v = (h << 4) | l;
    out += raw.substring(runStart, i);
    if (isUnreserved(v)) {
      out += String.fromCharCode(v);
    } else if (v == SLASH || v == BACKSLASH) {
      if (!decodeSlashes) return null;
      out += "/";
    } else {
      out += "%" + HEX.charAt(h) + HEX.charAt(l);
    }
    i += 3;
    runStart = i;
  }
  out += raw.substring(runStart, end);
  return out;
}

/**
 * The normalised form of `raw` (a `:path` value), or null when the path must be refused
 * (invalid percent escape, or an encoded slash while `decodeSlashes` is false).
 */
export function normalizePath(raw: string, decodeSlashes: bool): string | null {
  const end = queryStart(raw);
  if (isCanonical(raw, end)) {
    if (end == raw.length) return raw;
    return raw.substring(0, end);
  }
  const decoded = decodeEscapes(raw, end, decodeSlashes);
  if (decoded == null) return null;
  return resolveSegments(decoded!);
}

/** Backslashes to slashes, slashes merged, dot segments resolved. */
function resolveSegments(path: string): string {
  const segments = new Array<string>();
  let segStart = 0;
  let trailingSlash = false;
  const n = path.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? path.charCodeAt(i) : SLASH;
    if (c != SLASH && c != BACKSLASH) continue;
    const len = i - segStart;
    trailingSlash = false;
    if (len == 1 && path.charCodeAt(segStart) == DOT) {
      trailingSlash = true;
    } else if (len == 2 && path.charCodeAt(segStart) == DOT && path.charCodeAt(segStart + 1) == DOT) {
      if (segments.length > 0) segments.pop();
      trailingSlash = true;
    } else if (len > 0) {
      segments.push(path.substring(segStart, i));
    } else if (i == n && n > 0) {
      trailingSlash = true; // path ended with a slash
    }
    segStart = i + 1;
  }
  if (segments.length == 0) return "/";
  let out = "/" + segments.join("/");
  if (trailingSlash) out += "/";
  return out;
}
