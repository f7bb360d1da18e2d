// Pure predicates: does a policy / rule / source / operation / condition match a request?
// The request is seen through RequestAttributes, which the stream fills lazily from the host.
import { anyContains, CidrRange, IpAddress } from "./cidr";
import { anyMatches, StringMatcher } from "./string-match";
import { Condition, ConditionKey, Operation, Policy, Rule, Settings, Source } from "./settings";

// The loops below read array elements with a raw load passed straight to the callee: `list[i]` would add a
// bounds check, a null check and a retain/release pair per element (AssemblyScript 0.17), which dominated
// the cost of walking many policies. Indices stay below `length`, and config arrays hold no nulls.
// @ts-ignore: decorator
@inline function slot(dataStart: usize, i: i32): usize { return load<usize>(dataStart + (<usize>i << alignof<usize>())); }

/** What the matchers read. The stream subclass loads values on first use; a failed load sets `failed`. */
export class RequestAttributes {
  failed: bool = false;
  principal(): string { return ""; }              // "" without an mTLS SPIFFE peer
  namespace(): string { return ""; }              // "" without an mTLS SPIFFE peer
  sourceIp(): IpAddress | null { return null; }
  remoteIp(): IpAddress | null { return null; }
  destinationPort(): i32 { return -1; }           // -1 when unknown
  sni(): string { return ""; }
  path(): string { return ""; }                   // normalised
  host(): string { return ""; }                   // lower-case :authority
  method(): string { return ""; }
  header(name: string): string | null { return null; }
}

function matchesList(list: StringMatcher[], notList: StringMatcher[], v: string): bool {
  if (list.length > 0 && !anyMatches(list, v)) return false;
  if (notList.length > 0 && anyMatches(notList, v)) return false;
  return true;
}

function matchesIp(ranges: CidrRange[], notRanges: CidrRange[], ip: IpAddress | null): bool {
  if (ranges.length == 0 && notRanges.length == 0) return true;
  if (ip == null) return ranges.length == 0; // unknown address: only a pure not-list can hold
  if (ranges.length > 0 && !anyContains(ranges, ip!)) return false;
  if (notRanges.length > 0 && anyContains(notRanges, ip!)) return false;
  return true;
}

function matchesPort(ports: i32[], notPorts: i32[], port: i32): bool {
  if (ports.length > 0 && !ports.includes(port)) return false;
  if (notPorts.length > 0 && notPorts.includes(port)) return false;
  return true;
}

/** Host matches with or without its `:port` suffix (case-insensitive: matchers are lower-case). */
function matchesHost(list: StringMatcher[], notList: StringMatcher[], host: string): bool {
  if (list.length == 0 && notList.length == 0) return true;
  const colon = host.lastIndexOf(":");
  let bare = host;
  if (colon > 0 && host.indexOf("]") < colon) bare = host.substring(0, colon);
  if (list.length > 0 && !anyMatches(list, host) && !anyMatches(list, bare)) return false;
  if (notList.length > 0 && (anyMatches(notList, host) || anyMatches(notList, bare))) return false;
  return true;
}

export function matchesSource(s: Source, r: RequestAttributes): bool {
  if (s.principals.length + s.notPrincipals.length > 0 &&
      !matchesList(s.principals, s.notPrincipals, r.principal())) return false;
  if (s.namespaces.length + s.notNamespaces.length > 0 &&
      !matchesList(s.namespaces, s.notNamespaces, r.namespace())) return false;
  if (s.ipBlocks.length + s.notIpBlocks.length > 0 &&
      !matchesIp(s.ipBlocks, s.notIpBlocks, r.sourceIp())) return false;
  if (s.remoteIpBlocks.length + s.notRemoteIpBlocks.length > 0 &&
      !matchesIp(s.remoteIpBlocks, s.notRemoteIpBlocks, r.remoteIp())) return false;
  return true;
}

export function matchesOperation(o: Operation, r: RequestAttributes): bool {
  if (o.methods.length + o.notMethods.length > 0 && !matchesList(o.methods, o.notMethods, r.method())) return false;
  if (o.paths.length + o.notPaths.length > 0 && !matchesList(o.paths, o.notPaths, r.path())) return false;
  if (o.hosts.length + o.notHosts.length > 0 && !matchesHost(o.hosts, o.notHosts, r.host())) return false;
  if (o.ports.length + o.notPorts.length > 0 && !matchesPort(o.ports, o.notPorts, r.destinationPort())) return false;
  return true;
}

export function matchesCondition(c: Condition, r: RequestAttributes): bool {
  switch (c.key) {
    case ConditionKey.RequestHeader: {
      const v = r.header(c.header);
      if (c.values.length > 0 && (v == null || !anyMatches(c.values, v!))) return false;
      if (c.notValues.length > 0 && v != null && anyMatches(c.notValues, v!)) return false;
      return true;
    }
    case ConditionKey.SourceIp: return matchesIp(c.cidrs, c.notCidrs, r.sourceIp());
    case ConditionKey.RemoteIp: return matchesIp(c.cidrs, c.notCidrs, r.remoteIp());
    case ConditionKey.SourceNamespace: return matchesList(c.values, c.notValues, r.namespace());
    case ConditionKey.SourcePrincipal: return matchesList(c.values, c.notValues, r.principal());
    case ConditionKey.DestinationPort: return matchesPort(c.ports, c.notPorts, r.destinationPort());
    default: return matchesList(c.values, c.notValues, r.sni());
  }
}

/** A rule matches when any `from` matches (or none given), any `to` matches (or none) and every `when` holds. */
export function matchesRule(rule: Rule, r: RequestAttributes): bool {
  if (rule.sources.length > 0) {
    let ok = false;
    for (let i = 0; i < rule.sources.length && !ok; i++) ok = matchesSource(changetype<Source>(slot(rule.sources.dataStart, i)), r);
    if (!ok) return false;
  }
  if (rule.operations.length > 0) {
    let ok = false;
    for (let i = 0; i < rule.operations.length && !ok; i++) ok = matchesOperation(changetype<Operation>(slot(rule.operations.dataStart, i)), r);
    if (!ok) return false;
  }
  for (let i = 0; i < rule.conditions.length; i++) {
    if (!matchesCondition(changetype<Condition>(slot(rule.conditions.dataStart, i)), r)) return false;
  }
  return true;
}

/** A policy matches when one of its rules matches; a policy without rules never matches. */
export function matchesPolicy(p: Policy, r: RequestAttributes): bool {
  for (let i = 0; i < p.rules.length; i++) {
    if (matchesRule(changetype<Rule>(slot(p.rules.dataStart, i)), r)) return true;
  }
  return false;
}

/** The outcome of evaluating all policies for one request. */
export class Decision {
  allowed: bool = true;
  /** Policy that decided (the matching DENY or ALLOW policy); null for "no ALLOW matched" or "no ALLOW exists". */
  policy: Policy | null = null;
}

/** Istio order: any matching DENY denies; else if ALLOW policies exist one must match; else allow. */
export function decide(settings: Settings, r: RequestAttributes, out: Decision): void {
  out.allowed = true;
  out.policy = null;
  for (let i = 0; i < settings.deny.length; i++) {
    if (matchesPolicy(changetype<Policy>(slot(settings.deny.dataStart, i)), r)) {
      out.allowed = false;
      out.policy = settings.deny[i];
      return;
    }
  }
  if (settings.allow.length == 0) return;
  for (let i = 0; i < settings.allow.length; i++) {
    if (matchesPolicy(changetype<Policy>(slot(settings.allow.dataStart, i)), r)) {
      out.policy = settings.allow[i];
      return;
    }
  }
  out.allowed = false;
}
