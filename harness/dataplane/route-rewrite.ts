/** Pure path/host computations of route actions: `prefix_rewrite`, `regex_rewrite` and redirect locations. */
import type { PathMatch, Redirect, RegexRewrite } from './config-types.ts';

function splitQuery(fullPath: string): [string, string] {
  const q = fullPath.indexOf('?');
  return q >= 0 ? [fullPath.slice(0, q), fullPath.slice(q)] : [fullPath, ''];
}

/** The prefix (or whole path) a `prefix`/`path` match consumed is swapped for `replacement`; the rest and the query stay. */
export function rewritePrefix(match: PathMatch, replacement: string, fullPath: string): string {
  const consumed = match.kind === 'regex' ? 0 : match.value.length;
  const [path, query] = splitQuery(fullPath);
  return replacement + path.slice(consumed) + query;
}

/** Every match in the path (query excluded) is substituted, as RE2::GlobalReplace does. */
export function rewriteRegex(rewrite: RegexRewrite, fullPath: string): string {
  const [path, query] = splitQuery(fullPath);
  rewrite.regex.lastIndex = 0;
  return path.replace(rewrite.regex, rewrite.substitution) + query;
}

/** The `location` of a redirect for a request with these pseudo-headers. */
export function redirectLocation(r: Redirect, match: PathMatch, request: { scheme: string; authority: string; path: string }): string {
  const scheme = r.scheme ?? request.scheme;
  let host = r.host ?? request.authority;
  const portAt = host.lastIndexOf(':');
  const hasPort = portAt > host.lastIndexOf(']') && portAt >= 0;
  if (r.port) host = `${hasPort ? host.slice(0, portAt) : host}:${r.port}`;
  else if (hasPort && r.host === undefined) {
    // Envoy drops the default port of the other scheme when a redirect switches it (http://h:80 → https://h).
    const port = host.slice(portAt + 1);
    if ((scheme === 'https' && port === '80') || (scheme === 'http' && port === '443')) host = host.slice(0, portAt);
  }
  let [path, query] = splitQuery(request.path);
  if (r.path?.kind === 'path') {
    const [newPath, newQuery] = splitQuery(r.path.value);
    path = newPath;
    if (newQuery) return `${scheme}://${host}${newPath}${newQuery}`;
  } else if (r.path?.kind === 'prefix') path = rewritePrefix(match, r.path.value, path);
  else if (r.path?.kind === 'regex') path = rewriteRegex(r.path.rewrite, path);
  return `${scheme}://${host}${path}${r.stripQuery ? '' : query}`;
}
