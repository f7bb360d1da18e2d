// Immutable router settings, built once by config.ts (no hostcalls). Stats live in stats.ts.
import { HeaderMatcher } from "../common/header-matcher";
import { HeaderSlots } from "../common/request-view";

export const DEFAULT_ROUTING_HEADER = "x-asmesh-route";

export const enum PathKind { None = 0, Exact = 1, Prefix = 2 }
export const enum QueryKind { Exact = 0, Present = 1 }
export const enum ActionKind { None = 0, Set = 1, Split = 2 }
export const enum StickyKind { None = 0, Header = 1, Cookie = 2 }

export class QueryMatcher {
  constructor(public name: string, public kind: QueryKind, public value: string) {}
}

export class RuleMatch {
  headers: HeaderMatcher[] = [];
  pathKind: PathKind = PathKind.None;
  path: string = "";
  methods: string[] = [];
  query: QueryMatcher[] = [];
}

export class Target {
  /** Cumulative weight in hundredths of a percent (last target: 10000). */
  cumulative: u32 = 0;
  constructor(public value: string, public weightHundredths: u32) {}
}

export class Mirror {
  cluster: string = "";
  /** Share of matching requests mirrored, in millionths. */
  perMillion: u32 = 1000000;
  maxBodyBytes: u32 = 0;
  timeoutMs: u32 = 5000;
}

export class Rule {
  name: string = "";
  match: RuleMatch = new RuleMatch();
  allowPassthrough: bool = false;
  actionKind: ActionKind = ActionKind.None;
  targets: Target[] = [];        // Set: one target with weight 10000
  stickyKind: StickyKind = StickyKind.None;
  stickyName: string = "";       // header name (lower-case) or cookie name
  mirror: Mirror | null = null;
}

export class RouterSettings {
  routingHeader: string = DEFAULT_ROUTING_HEADER;
  /** Header names the rules match on (one lookup per request each). */
  slots: HeaderSlots = new HeaderSlots();
  rules: Rule[] = [];
}
