/** Reads `route_config` (virtual hosts, routes, matchers, actions, header policies) into the emulator's model. */
import {
  DEFAULT_ROUTE_TIMEOUT_MS,
  type ForwardRewrite, type HeaderMatcher, type PathMatch, type Redirect, type RegexRewrite, type Route, type RouteAction, type RouteConfig,
  type StringMatcher, type VirtualHost, type WeightedCluster,
} from './config-types.ts';
import { durationMs, type Fields } from './fields.ts';
import { readHeaderPolicy } from './header-mutation.ts';

/** Envoy's default `max_direct_response_body_size_bytes`. */
export const DEFAULT_MAX_DIRECT_RESPONSE_BODY = 4096;

const REDIRECT_CODES: Record<string, number> = { MOVED_PERMANENTLY: 301, FOUND: 302, SEE_OTHER: 303, TEMPORARY_REDIRECT: 307, PERMANENT_REDIRECT: 308 };

export function readRouteConfig(f: Fields): RouteConfig {
  const maxBody = f.number('max_direct_response_body_size_bytes', DEFAULT_MAX_DIRECT_RESPONSE_BODY);
  const config: RouteConfig = {
    name: f.string('name'),
    headers: readHeaderPolicy(f),
    mostSpecificHeaderMutationsWins: f.bool('most_specific_header_mutations_wins', false),
    maxDirectResponseBodyBytes: maxBody,
    validateClusters: f.bool('validate_clusters', true),
    virtualHosts: f.messages('virtual_hosts').map((vh) => readVirtualHost(vh, maxBody)),
  };
  f.done();
  return config;
}

function readVirtualHost(f: Fields, maxBody: number): VirtualHost {
  f.only('require_tls', ['NONE', 'EXTERNAL_ONLY', 'ALL']);
  const vh: VirtualHost = {
    name: f.string('name'), domains: f.strings('domains'), headers: readHeaderPolicy(f), routes: f.messages('routes').map((r) => readRoute(r, maxBody)),
    requireTls: (f.value.require_tls as VirtualHost['requireTls'] | undefined) ?? 'NONE',
  };
  f.done();
  return vh;
}

function readRoute(f: Fields, maxBody: number): Route {
  const name = f.string('name');
  const match = f.message('match');
  let path: PathMatch = { kind: 'prefix', value: '/' };
  let caseSensitive = true;
  let headers: HeaderMatcher[] = [];
  if (match) {
    if (match.has('prefix')) path = { kind: 'prefix', value: match.string('prefix') };
    else if (match.has('path')) path = { kind: 'path', value: match.string('path') };
    else if (match.has('safe_regex')) path = { kind: 'regex', regex: readRegex(match.message('safe_regex')!, true) };
    else match.refusals.unsupported(match.path, 'needs prefix, path or safe_regex in the emulated data plane');
    caseSensitive = match.bool('case_sensitive', true);
    headers = match.messages('headers').map(readHeaderMatcher);
    match.done();
  }
  let action: RouteAction = { kind: 'direct', status: 404, body: '' };
  const route = f.message('route');
  const direct = f.message('direct_response');
  const redirect = f.message('redirect');
  if (route) action = readRouteAction(route, path);
  else if (direct) action = readDirectResponse(direct, maxBody);
  else if (redirect) action = { kind: 'redirect', redirect: readRedirect(redirect, path) };
  else f.refusals.unsupported(f.path, 'needs route, redirect or direct_response in the emulated data plane');
  const policy = readHeaderPolicy(f);
  f.done();
  return { name, match: { path, caseSensitive, headers }, action, headers: policy };
}

function readDirectResponse(f: Fields, maxBody: number): RouteAction {
  const body = f.message('body');
  let text: string | { filename: string } = '';
  if (body?.has('filename')) text = { filename: body.string('filename') };
  else if (body?.has('inline_bytes')) text = Buffer.from(body.string('inline_bytes'), 'base64').toString('utf8');
  else if (body) text = body.string('inline_string');
  if (typeof text === 'string' && Buffer.byteLength(text) > maxBody)
    f.refusals.unsupported(f.at('body'), `response body size is ${Buffer.byteLength(text)} bytes; maximum is ${maxBody} (max_direct_response_body_size_bytes), as Envoy refuses`);
  body?.done();
  const action: RouteAction = { kind: 'direct', status: f.number('status', 200), body: text };
  f.done();
  return action;
}

function readRouteAction(f: Fields, path: PathMatch): RouteAction {
  const timeoutMs = durationMs(f.take('timeout'), DEFAULT_ROUTE_TIMEOUT_MS);
  const rewrite: ForwardRewrite = { autoHost: false };
  if (f.has('prefix_rewrite')) {
    if (path.kind === 'regex') f.refusals.unsupported(f.at('prefix_rewrite'), 'prefix_rewrite with a safe_regex match is not supported by the emulated data plane');
    rewrite.prefix = f.string('prefix_rewrite');
  }
  const regex = f.message('regex_rewrite');
  if (regex) rewrite.regex = readRegexRewrite(regex);
  if (f.has('host_rewrite_literal')) rewrite.hostLiteral = f.string('host_rewrite_literal');
  rewrite.autoHost = f.bool('auto_host_rewrite', false);
  let action: RouteAction;
  if (f.has('cluster')) action = { kind: 'cluster', cluster: f.string('cluster'), timeoutMs, rewrite };
  else if (f.has('weighted_clusters')) {
    const w = f.message('weighted_clusters')!;
    const clusters = w.messages('clusters').map((c) => {
      const entry: WeightedCluster = { name: c.string('name'), weight: c.number('weight', 0) };
      const policy = readHeaderPolicy(c);
      if (policy.request.add.length + policy.request.remove.length + policy.response.add.length + policy.response.remove.length > 0) entry.headers = policy;
      c.done();
      return entry;
    });
    w.take('total_weight');
    w.done();
    action = { kind: 'weighted', clusters, timeoutMs, rewrite };
  } else {
    f.refusals.unsupported(f.path, 'needs cluster or weighted_clusters in the emulated data plane');
    action = { kind: 'cluster', cluster: '', timeoutMs, rewrite };
  }
  f.done();
  return action;
}

function readRedirect(f: Fields, path: PathMatch): Redirect {
  const redirect: Redirect = { stripQuery: f.bool('strip_query', false), status: 301 };
  if (f.bool('https_redirect', false)) redirect.scheme = 'https';
  if (f.has('scheme_redirect')) redirect.scheme = f.string('scheme_redirect').toLowerCase();
  if (f.has('host_redirect')) redirect.host = f.string('host_redirect');
  if (f.has('port_redirect')) redirect.port = f.number('port_redirect', 0);
  if (f.has('path_redirect')) redirect.path = { kind: 'path', value: f.string('path_redirect') };
  if (f.has('prefix_rewrite')) {
    if (path.kind === 'regex') f.refusals.unsupported(f.at('prefix_rewrite'), 'prefix_rewrite with a safe_regex match is not supported by the emulated data plane');
    redirect.path = { kind: 'prefix', value: f.string('prefix_rewrite') };
  }
  const regex = f.message('regex_rewrite');
  if (regex) redirect.path = { kind: 'regex', rewrite: readRegexRewrite(regex) };
  const code = f.take('response_code');
  if (code !== undefined) redirect.status = typeof code === 'number' ? [301, 302, 303, 307, 308][code] ?? 301 : REDIRECT_CODES[String(code)] ?? 301;
  f.done();
  return redirect;
}

/** `RegexMatchAndSubstitute`: RE2 `\N` group references become JS `$N`. */
function readRegexRewrite(f: Fields): RegexRewrite {
  const pattern = f.message('pattern');
  const regex = pattern ? readRegex(pattern, true, false, 'g') : /$^/g;
  const substitution = f.string('substitution')
    .replace(/\$/g, '$$$$')
    .replace(/\\(\\|\d)/g, (_all, c: string) => (c === '\\' ? '\\' : c === '0' ? '$&' : `$${c}`));
  f.done();
  return { regex, substitution };
}

function readHeaderMatcher(f: Fields): HeaderMatcher {
  const m: HeaderMatcher = { name: f.string('name').toLowerCase(), invert: f.bool('invert_match', false), treatMissingAsEmpty: f.bool('treat_missing_header_as_empty', false) };
  const legacy: Record<string, 'exact' | 'prefix' | 'suffix' | 'contains'> = { exact_match: 'exact', prefix_match: 'prefix', suffix_match: 'suffix', contains_match: 'contains' };
  for (const [key, kind] of Object.entries(legacy)) if (f.has(key)) m.string = { kind, value: f.string(key), ignoreCase: false };
  if (f.has('safe_regex_match')) m.string = { kind: 'regex', regex: readRegex(f.message('safe_regex_match')!, true) };
  if (f.has('present_match')) m.present = f.bool('present_match', true);
  if (f.has('string_match')) m.string = readStringMatcher(f.message('string_match')!);
  if (!m.string && m.present === undefined) m.present = true; // Envoy: no match specifier = header must be present
  f.done();
  return m;
}

function readStringMatcher(f: Fields): StringMatcher {
  const ignoreCase = f.bool('ignore_case', false);
  let matcher: StringMatcher = { kind: 'exact', value: '', ignoreCase };
  for (const kind of ['exact', 'prefix', 'suffix', 'contains'] as const) if (f.has(kind)) matcher = { kind, value: f.string(kind), ignoreCase };
  if (f.has('safe_regex')) matcher = { kind: 'regex', regex: readRegex(f.message('safe_regex')!, !ignoreCase, ignoreCase) };
  f.done();
  return matcher;
}

/**
 * RE2 `RegexMatcher` → JS RegExp. Matchers get full-match semantics (Envoy's safe_regex matches the whole
 * value); rewrites (`flags` containing `g`) search anywhere.
 */
function readRegex(f: Fields, _caseSensitive: boolean, ignoreCase = false, flags = ''): RegExp {
  const engine = f.message('google_re2');
  engine?.done();
  const source = f.string('regex');
  f.done();
  try {
    return new RegExp(flags.includes('g') ? source : `^(?:${source})$`, `${flags}${ignoreCase ? 'i' : ''}`);
  } catch (error) {
    f.refusals.unsupported(f.at('regex'), `regex ${JSON.stringify(source)} is not valid here: ${(error as Error).message}`);
    return /$^/;
  }
}
