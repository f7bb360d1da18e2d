/** Pure route selection over request headers, as Envoy's route table does it (first matching route wins). */
import type { HeaderMap } from '../host/header-map.ts';
import type { HeaderMatcher, Route, RouteConfig, StringMatcher, VirtualHost } from './config-types.ts';
import { NO_HEADER_CHANGES } from './header-mutation.ts';

export interface RouteSelection {
  virtualHost: VirtualHost;
  route: Route;
}

/** Virtual host by `:authority`: exact domain, then longest `*.suffix`, then longest `prefix.*`, then `*`. */
export function selectVirtualHost(config: RouteConfig, authority: string): VirtualHost | undefined {
  const host = authority.toLowerCase();
  let suffixBest: [number, VirtualHost] | undefined;
  let prefixBest: [number, VirtualHost] | undefined;
  let star: VirtualHost | undefined;
  for (const vh of config.virtualHosts) {
    for (const raw of vh.domains) {
      const domain = raw.toLowerCase();
      if (domain === '*') star ??= vh;
      else if (domain === host) return vh;
      else if (domain.startsWith('*') && host.endsWith(domain.slice(1)) && host.length > domain.length - 1) {
        if (!suffixBest || domain.length > suffixBest[0]) suffixBest = [domain.length, vh];
      } else if (domain.endsWith('*') && host.startsWith(domain.slice(0, -1)) && host.length > domain.length - 1) {
        if (!prefixBest || domain.length > prefixBest[0]) prefixBest = [domain.length, vh];
      }
    }
  }
  return suffixBest?.[1] ?? prefixBest?.[1] ?? star;
}

export function selectRoute(config: RouteConfig, headers: HeaderMap): RouteSelection | undefined {
  const vh = selectVirtualHost(config, headers.get(':authority') ?? '');
  if (!vh) return undefined;
  if (needsTlsRedirect(vh, headers)) return { virtualHost: vh, route: tlsRedirect(headers.get(':authority') ?? '') };
  const route = vh.routes.find((r) => matchesRoute(r, headers));
  return route ? { virtualHost: vh, route } : undefined;
}

/** Envoy's `require_tls` check on x-forwarded-proto (EXTERNAL_ONLY spares requests marked x-envoy-internal). */
function needsTlsRedirect(vh: VirtualHost, headers: HeaderMap): boolean {
  if (vh.requireTls === 'NONE' || headers.get('x-forwarded-proto') === 'https') return false;
  return vh.requireTls === 'ALL' || headers.get('x-envoy-internal') !== 'true';
}

/** Envoy's SSL redirect route: 301 to `https://<authority as sent><path>`. */
function tlsRedirect(authority: string): Route {
  return {
    name: '', match: { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [] }, headers: NO_HEADER_CHANGES, tlsRedirect: true,
    action: { kind: 'redirect', redirect: { scheme: 'https', host: authority, stripQuery: false, status: 301 } },
  };
}

export function matchesRoute(route: Route, headers: HeaderMap): boolean {
  const fullPath = headers.get(':path') ?? '';
  const q = fullPath.indexOf('?');
  const path = q >= 0 ? fullPath.slice(0, q) : fullPath;
  const m = route.match;
  switch (m.path.kind) {
    case 'prefix':
      if (!(m.caseSensitive ? path.startsWith(m.path.value) : path.toLowerCase().startsWith(m.path.value.toLowerCase()))) return false;
      break;
    case 'path':
      if (!(m.caseSensitive ? path === m.path.value : path.toLowerCase() === m.path.value.toLowerCase())) return false;
      break;
    case 'regex':
      if (!m.path.regex.test(path)) return false;
      break;
  }
  return m.headers.every((h) => matchesHeader(h, headers));
}

/**
 * Envoy HeaderMatcher: repeated values are comma-joined; an absent header fails string matchers even when
 * inverted (unless treat_missing_header_as_empty); `present_match` and `invert_match` combine.
 */
export function matchesHeader(matcher: HeaderMatcher, headers: HeaderMap): boolean {
  const values = headers.getAll(matcher.name);
  let value: string | null = values.length > 0 ? values.join(',') : null;
  if (value === null && matcher.treatMissingAsEmpty) value = '';
  if (matcher.string === undefined) {
    const present = value !== null;
    return (present === (matcher.present ?? true)) !== matcher.invert;
  }
  if (value === null) return false;
  return matchesString(matcher.string, value) !== matcher.invert;
}

export function matchesString(m: StringMatcher, input: string): boolean {
  if (m.kind === 'regex') return m.regex.test(input);
  const value = m.ignoreCase ? input.toLowerCase() : input;
  const want = m.ignoreCase ? m.value.toLowerCase() : m.value;
  switch (m.kind) {
    case 'exact':
      return value === want;
    case 'prefix':
      return value.startsWith(want);
    case 'suffix':
      return value.endsWith(want);
    case 'contains':
      return value.includes(want);
  }
}

/** Weighted cluster choice with a random value in [0, total). */
export function pickWeighted(clusters: { name: string; weight: number }[], random: () => number = Math.random): string {
  const total = clusters.reduce((sum, c) => sum + c.weight, 0);
  let point = Math.floor(random() * total);
  for (const c of clusters) {
    if (point < c.weight) return c.name;
    point -= c.weight;
  }
  return clusters.at(-1)?.name ?? '';
}

/**
 * HCM path handling on `:path` (query kept): `normalize_path` removes dot segments and decodes
 * percent-encoded unreserved characters (RFC 3986); `merge_slashes` collapses repeated slashes.
 */
export function normalizeRequestPath(fullPath: string, normalize: boolean, mergeSlashes: boolean): string {
  const q = fullPath.indexOf('?');
  let path = q >= 0 ? fullPath.slice(0, q) : fullPath;
  const query = q >= 0 ? fullPath.slice(q) : '';
  if (normalize) {
    path = path.replace(/%([0-9A-Fa-f]{2})/g, (all, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16));
      return /[A-Za-z0-9\-._~]/.test(c) ? c : all.toUpperCase();
    });
    path = removeDotSegments(path.replace(/\\/g, '/'));
  }
  if (mergeSlashes) path = path.replace(/\/{2,}/g, '/');
  return path + query;
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i]!;
    if (s === '.') {
      if (i === segments.length - 1) out.push('');
    } else if (s === '..') {
      out.pop();
      if (i === segments.length - 1) out.push('');
    } else out.push(s);
  }
  return '/' + out.join('/');
}
