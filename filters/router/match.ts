// Pure predicates and picks over a request view: which rule matches, which target a split picks.
import { Headers } from "../sdk";
import { RequestView } from "../common/request-view";
import { matchesMethod } from "../common/methods";
import { HeaderMatcher, matchesHeader } from "../common/header-matcher";
import { Rule, RuleMatch, PathKind, QueryKind, StickyKind, Target } from "./settings";
import { pathEnd, queryValueStart, queryValueEnd, rangeEquals, cookieValueStart, cookieValueEnd } from "./request-text";
import { regionMatches } from "../common/text";
import { FNV_OFFSET, fnv1aUpdate } from "../common/fnv1a";

export const BUCKETS: u32 = 10000;

/** Do all header conditions hold? The routing header reads as absent (it is removed before rules run). */
export function matchesHeaders(matchers: HeaderMatcher[], view: RequestView, routingHeader: string): bool {
  // Elements are read as raw pointers: no retain/release pair per matcher (AssemblyScript 0.17).
  const data = matchers.dataStart;
  for (let i = 0; i < matchers.length; i++) {
    const m = load<usize>(data + (<usize>i << alignof<usize>()));
    let value: string | null = null;
    if (changetype<HeaderMatcher>(m).name != routingHeader) value = view.value(changetype<HeaderMatcher>(m).slot);
    if (!matchesHeader(changetype<HeaderMatcher>(m), value)) return false;
  }
  return true;
}

/** Does the path part of :path (before '?') satisfy the rule's path condition? */
export function matchesPath(m: RuleMatch, path: string | null): bool {
  if (m.pathKind == PathKind.None) return true;
  if (path === null) return false;
  const p = <string>path;
  const end = pathEnd(p);
  if (m.pathKind == PathKind.Exact) return end == m.path.length && regionMatches(p, 0, m.path, false);
  return end >= m.path.length && regionMatches(p, 0, m.path, false);
}

export function matchesQuery(m: RuleMatch, path: string | null): bool {
  const q = m.query;
  if (q.length == 0) return true;
  if (path === null) return false;
  const p = <string>path;
  for (let i = 0; i < q.length; i++) {
    const c = unchecked(q[i]);
    const start = queryValueStart(p, c.name);
    if (start < 0) return false;
    if (c.kind == QueryKind.Exact && !rangeEquals(p, start, queryValueEnd(p, start), c.value)) return false;
  }
  return true;
}

/** Does `rule` match? `path`/`method` are the :path and :method values (null when absent). */
export function matchesRule(rule: Rule, view: RequestView, path: string | null, method: string | null, routingHeader: string): bool {
  const m = rule.match;
  return matchesMethod(m.methods, method)
    && matchesPath(m, path)
    && matchesQuery(m, path)
    && matchesHeaders(m.headers, view, routingHeader);
}

/**
 * Sticky bucket in [0, 10000): FNV-1a 32 of the key's UTF-8 bytes mod 10000, or -1 when the key
 * (header, or cookie in any Cookie entry) is absent or empty.
 */
export function stickyBucket(rule: Rule, h: Headers): i32 {
  if (rule.stickyKind == StickyKind.Header) {
    const v = h.get(rule.stickyName);
    if (v === null || (<string>v).length == 0) return -1;
    return <i32>(fnv1aUpdate(FNV_OFFSET, <string>v, 0, (<string>v).length) % BUCKETS);
  }
  if (rule.stickyKind == StickyKind.Cookie) {
    for (let i = h.indexOf("cookie"); i >= 0; i = h.indexOf("cookie", i + 1)) {
      const v = h.valueAt(i);
      const start = cookieValueStart(v, rule.stickyName);
      if (start < 0) continue;
      const end = cookieValueEnd(v, start);
      if (end == start) return -1;
      return <i32>(fnv1aUpdate(FNV_OFFSET, v, start, end) % BUCKETS);
    }
  }
  return -1;
}

/** Index of the target whose cumulative weight range holds `bucket` (0 ≤ bucket < 10000). */
export function targetForBucket(targets: Target[], bucket: u32): i32 {
  const n = targets.length;
  for (let i = 0; i < n; i++) if (bucket < unchecked(targets[i]).cumulative) return i;
  return n - 1;
}
