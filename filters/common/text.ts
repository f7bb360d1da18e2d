// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// Allocation-free ASCII-case-insensitive string predicates. Config values compared with
// `ignoreCase` are lower-cased once at load; only the request side is folded here.

// @ts-ignore: decorator
@inline
function lower(c: i32): i32 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Does s[at, at+needle.length) equal needle (needle already lower-cased when ci)? */
export function regionMatches(s: string, at: i32, needle: string, ci: bool): bool {
  const n = needle.length;
  if (at < 0 || at + n > s.length) return false;
  if (!ci) {
    for (let i = 0; i < n; i++) if (s.charCodeAt(at + i) != needle.charCodeAt(i)) return false;
    return true;
  }
  for (let i = 0; i < n; i++) if (lower(s.charCodeAt(at + i)) != needle.charCodeAt(i)) return false;
  return true;
}

export function equalsText(s: string, v: string, ci: bool): bool {
  return s.length == v.length && regionMatches(s, 0, v, ci);
}

export function startsWithText(s: string, v: string, ci: bool): bool {
  return regionMatches(s, 0, v, ci);
}

export function endsWithText(s: string, v: string, ci: bool): bool {
  return regionMatches(s, s.length - v.length, v, ci);
}

export function containsText(s: string, v: string, ci: bool): bool {
  const last = s.length - v.length;
  for (let at = 0; at <= last; at++) if (regionMatches(s, at, v, ci)) return true;
  return false;
}

/** ASCII lower-case copy (config load time only). */
export function asciiLower(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) { needs = true; break; }
  }
  if (!needs) return s;
  const codes = new Array<i32>(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = lower(s.charCodeAt(i));
  return String.fromCharCodes(codes);
}
