// SPIFFE identities as Istio uses them: the peer certificate's URI SAN `spiffe://<td>/ns/<ns>/sa/<sa>`
// gives the principal `<td>/ns/<ns>/sa/<sa>` (Istio's `source.principal`) and the namespace `<ns>`.

const SCHEME = "spiffe://";

/** The principal (URI without `spiffe://`), or "" when the URI is not a SPIFFE ID with a trust domain. */
export function spiffePrincipal(uri: string): string {
  if (!uri.startsWith(SCHEME)) return "";
  const rest = uri.substring(SCHEME.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return ""; // no trust domain, or no path
  return rest;
}

/** The namespace of a principal `<td>/ns/<ns>/...`, or "" when the path does not start with `ns/<ns>`. */
export function principalNamespace(principal: string): string {
  const slash = principal.indexOf("/");
  if (slash <= 0) return "";
  if (!principal.startsWith("ns/", slash + 1)) return "";
  const start = slash + 4;
  let end = principal.indexOf("/", start);
  if (end < 0) end = principal.length;
  if (end == start) return "";
  return principal.substring(start, end);
}
