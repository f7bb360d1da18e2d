// Allocation-free scanners over request strings: the path part of :path, query parameters,
// cookies, and the mirror's `-shadow` authority.
import { regionMatches } from "../common/text";

/** Length of the path part of a :path value (up to the first '?' or '#'). */
export function pathEnd(path: string): i32 {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c == 63 /* ? */ || c == 35 /* # */) return i;
  }
  return path.length;
}

/**
 * Start index of the value of query parameter `name` in `path` (first occurrence), or -1 when
 * absent. A parameter without '=' ("?debug") is present with an empty value. Names and values
 * are compared as sent (no percent-decoding).
 */
export function queryValueStart(path: string, name: string): i32 {
  let i = pathEnd(path);
  if (i >= path.length || path.charCodeAt(i) != 63) return -1;
  i++;
  const n = path.length;
  while (i <= n) {
    let end = i;
    while (end < n) {
      const c = path.charCodeAt(end);
      if (c == 38 /* & */ || c == 35 /* # */) break;
      end++;
    }
    // segment [i, end)
    const nameEnd = i + name.length;
    if (nameEnd <= end && regionMatches(path, i, name, false)) {
      if (nameEnd == end) return end;
      if (path.charCodeAt(nameEnd) == 61 /* = */) return nameEnd + 1;
    }
    if (end >= n || path.charCodeAt(end) == 35) break;
    i = end + 1;
  }
  return -1;
}

/** End index of the query value starting at `start`. */
export function queryValueEnd(path: string, start: i32): i32 {
  let i = start;
  while (i < path.length) {
    const c = path.charCodeAt(i);
    if (c == 38 || c == 35) break;
    i++;
  }
  return i;
}

/** Does s[start,end) equal v exactly? */
export function rangeEquals(s: string, start: i32, end: i32, v: string): bool {
  return end - start == v.length && regionMatches(s, start, v, false);
}

/**
 * Start index of cookie `name`'s value in a Cookie header value ("a=1; b=2"), or -1.
 * Returns the value end through `cookieValueEnd`.
 */
export function cookieValueStart(header: string, name: string): i32 {
  const n = header.length;
  let i = 0;
  while (i < n) {
    while (i < n && (header.charCodeAt(i) == 32 || header.charCodeAt(i) == 9)) i++;
    const nameEnd = i + name.length;
    if (nameEnd < n && regionMatches(header, i, name, false) && header.charCodeAt(nameEnd) == 61) {
      return nameEnd + 1;
    }
    while (i < n && header.charCodeAt(i) != 59 /* ; */) i++;
    i++;
  }
  return -1;
}

export function cookieValueEnd(header: string, start: i32): i32 {
  let i = start;
  while (i < header.length && header.charCodeAt(i) != 59) i++;
  // trim trailing blanks
  while (i > start && (header.charCodeAt(i - 1) == 32 || header.charCodeAt(i - 1) == 9)) i--;
  return i;
}

/**
 * Envoy's shadow authority: "host:port" → "host-shadow:port", otherwise "<authority>-shadow"
 * (same rule as Envoy's request mirroring, which splits on ':' and only handles one colon).
 */
export function shadowAuthority(authority: string): string {
  let colon = -1;
  for (let i = 0; i < authority.length; i++) {
    if (authority.charCodeAt(i) == 58) {
      if (colon >= 0) return authority + "-shadow";
      colon = i;
    }
  }
  if (colon < 0) return authority + "-shadow";
  return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
}
