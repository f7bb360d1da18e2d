// Shared file: filters/router and filters/fault hold identical copies (each filter folder builds on its own);
// test/filters/router/shared-copies.test.ts keeps them equal.
// One header predicate (shared by the router and fault filters). Pure: takes the header's
// value as read from the request view (null = header absent).
import { ObjectReader } from "../sdk";
import { HeaderSlots } from "./request-view";
import { equalsText, startsWithText, endsWithText, containsText, asciiLower } from "./text";

export const enum HeaderMatchKind { Exact = 0, Prefix = 1, Suffix = 2, Contains = 3, Present = 4, Absent = 5 }

export class HeaderMatcher {
  constructor(
    public name: string,          // lower-cased at load
    public kind: HeaderMatchKind,
    public value: string,         // lower-cased at load when ignoreCase
    public ignoreCase: bool,
    public slot: i32 = -1,       // RequestView slot of `name`
  ) {}
}

/** Does a header whose (first) value is `value` (null when absent) satisfy `m`? */
export function matchesHeader(m: HeaderMatcher, value: string | null): bool {
  if (m.kind == HeaderMatchKind.Absent) return value === null;
  if (value === null) return false;
  const v = <string>value;
  switch (m.kind) {
    case HeaderMatchKind.Present: return true;
    case HeaderMatchKind.Exact: return equalsText(v, m.value, m.ignoreCase);
    case HeaderMatchKind.Prefix: return startsWithText(v, m.value, m.ignoreCase);
    case HeaderMatchKind.Suffix: return endsWithText(v, m.value, m.ignoreCase);
    case HeaderMatchKind.Contains: return containsText(v, m.value, m.ignoreCase);
  }
  return false;
}

// --- configuration ------------------------------------------------------------------------------

const KINDS: string[] = ["exact", "prefix", "suffix", "contains", "present", "absent"];

/** Is `s` an HTTP header name (RFC 9110 token, optionally with a leading ':' for pseudo-headers)? */
export function isHeaderName(s: string, allowPseudo: bool): bool {
  if (s.length == 0) return false;
  let i = 0;
  if (allowPseudo && s.charCodeAt(0) == 58) i = 1;
  if (i == s.length) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      || c == 33 || c == 35 || c == 36 || c == 37 || c == 38 || c == 39 || c == 42 || c == 43
      || c == 45 || c == 46 || c == 94 || c == 95 || c == 96 || c == 124 || c == 126;
    if (!ok) return false;
  }
  return true;
}

/** Reads `[{name, exact|prefix|suffix|contains|present|absent, ignoreCase?}]` at `key` (absent → []). */
export function readHeaderMatchers(r: ObjectReader, key: string, slots: HeaderSlots): HeaderMatcher[] {
  const result: HeaderMatcher[] = [];
  const arr = r.array(key);
  if (arr === null) return result;
  for (let i = 0; i < arr.length; i++) {
    const o = arr.object(i);
    if (o === null) continue;
    const m = readHeaderMatcher(<ObjectReader>o);
    if (m === null) continue;
    const matcher = <HeaderMatcher>m;
    matcher.slot = slots.slotOf(matcher.name);
    result.push(matcher);
  }
  return result;
}

function readHeaderMatcher(o: ObjectReader): HeaderMatcher | null {
  const name = o.requiredString("name");
  const ignoreCase = o.bool("ignoreCase", false);
  let kind = -1;
  let count = 0;
  for (let k = 0; k < KINDS.length; k++) {
    if (o.has(KINDS[k])) { kind = k; count++; }
  }
  let value = "";
  if (kind == HeaderMatchKind.Present || kind == HeaderMatchKind.Absent) {
    if (!o.bool(KINDS[kind], false)) o.config.error(o.pathOf(KINDS[kind]), "expected true");
  } else if (kind >= 0) {
    const raw = o.obj.get(KINDS[kind]);
    value = o.string(KINDS[kind], "");
    if (kind != HeaderMatchKind.Exact && raw !== null && raw.isString && value.length == 0) {
      o.config.error(o.pathOf(KINDS[kind]), "expected a non-empty string");
    }
  }
  o.end();
  if (count != 1) {
    o.config.error(o.path, "expected exactly one of exact, prefix, suffix, contains, present, absent");
    return null;
  }
  if (name.length > 0 && !isHeaderName(name, true)) o.config.error(o.pathOf("name"), "expected a header name");
  return new HeaderMatcher(asciiLower(name), <HeaderMatchKind>kind, ignoreCase ? asciiLower(value) : value, ignoreCase);
}
