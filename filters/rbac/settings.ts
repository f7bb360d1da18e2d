// Immutable settings of the rbac filter (what config.ts builds from the JSON configuration).
// The shape follows Istio's AuthorizationPolicy: policy → rules → from/to/when.
import { CidrRange } from "./cidr";
import { StringMatcher } from "./string-match";

export const enum Action { Allow, Deny, Audit }

/** Istio `Source` (one entry of `rules[].from[]`): fields ANDed, values ORed. */
export class Source {
  principals: StringMatcher[] = [];
  notPrincipals: StringMatcher[] = [];
  namespaces: StringMatcher[] = [];
  notNamespaces: StringMatcher[] = [];
  ipBlocks: CidrRange[] = [];
  notIpBlocks: CidrRange[] = [];
  remoteIpBlocks: CidrRange[] = [];
  notRemoteIpBlocks: CidrRange[] = [];
}

/** Istio `Operation` (one entry of `rules[].to[]`). */
export class Operation {
  hosts: StringMatcher[] = [];
  notHosts: StringMatcher[] = [];
  ports: i32[] = [];
  notPorts: i32[] = [];
  methods: StringMatcher[] = [];
  notMethods: StringMatcher[] = [];
  paths: StringMatcher[] = [];
  notPaths: StringMatcher[] = [];
}

export const enum ConditionKey {
  RequestHeader, SourceIp, RemoteIp, SourceNamespace, SourcePrincipal, DestinationPort, ConnectionSni,
}

/** Istio `Condition` (one entry of `rules[].when[]`); only the lists that fit the key are filled. */
export class Condition {
  key: ConditionKey = ConditionKey.RequestHeader;
  header: string = "";
  values: StringMatcher[] = [];
  notValues: StringMatcher[] = [];
  cidrs: CidrRange[] = [];
  notCidrs: CidrRange[] = [];
  ports: i32[] = [];
  notPorts: i32[] = [];
}

/** Istio `Rule`: `from` → sources, `to` → operations, `when` → conditions. */
export class Rule {
  sources: Source[] = [];
  operations: Operation[] = [];
  conditions: Condition[] = [];
}

export class Policy {
  name: string = "";
  action: Action = Action.Allow;
  /** No rules: the policy never matches (Istio); `[{}]` matches every request. */
  rules: Rule[] = [];
  /** Position in Settings.policies (index of its stats). */
  index: i32 = 0;
}

/** Which request attributes the policies read (so the filter fetches only those). */
export class Needs {
  principal: bool = false;
  sourceIp: bool = false;
  remoteIp: bool = false;
  destinationPort: bool = false;
  sni: bool = false;
}

export class Settings {
  policies: Policy[] = [];
  deny: Policy[] = [];
  allow: Policy[] = [];
  audit: Policy[] = [];
  /** Evaluate, count and log, but never deny. */
  dryRun: bool = false;
  /** x-forwarded-for entries appended by trusted proxies; 0 = remote IP is the peer address. */
  xffNumTrustedHops: i32 = 0;
  /** `%2F`/`%5C` in the path: false = reject (deny), true = decode to `/` then normalise. */
  decodeEncodedSlashes: bool = false;
  needs: Needs = new Needs();
}
