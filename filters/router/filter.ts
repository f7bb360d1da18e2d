// Router filter: root context (settings, stats, random source) and stream context (hook code only).
// onRequestHeaders: read the request view once → first matching rule → route (set / split / sticky /
// passthrough) → maybe mirror → Continue. Never pauses the request.
import {
  RootContext, Context, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues,
  Headers, HeaderPairs, requestHeaders, setRequestHeader, removeRequestHeader, requestBody,
  pluginConfiguration, currentTimeNanos,
} from "../sdk";
import { parseRouterConfig } from "./config";
import { RouterSettings, Rule, ActionKind, StickyKind } from "./settings";
import { RouterStats, RuleStats, bump } from "./stats";
import { matchesRule, stickyBucket, targetForBucket, BUCKETS } from "./match";
import { isSelected, SALT_MIRROR } from "../common/decision";
import { Xorshift32 } from "../common/random";
import { mirrorHeaders, sendMirror, BodyCopy } from "./mirror";
import { RequestView } from "../common/request-view";

export class RouterRoot extends RootContext {
  settings: RouterSettings | null = null;
  stats: RouterStats | null = null;
  rng: Xorshift32 = new Xorshift32(1);

  onConfigure(size: u32): bool {
    const result = parseRouterConfig(pluginConfiguration(size));
    if (result.settings === null) {
      result.config.report("router");
      return false;
    }
    const settings = <RouterSettings>result.settings;
    this.settings = settings;
    this.stats = new RouterStats(settings);
    this.rng = new Xorshift32(currentTimeNanos());
    return true;
  }

  createContext(context_id: u32): Context {
    return new RouterStream(context_id, this);
  }
}

/** Index of the first rule that matches, or -1. */
function firstMatch(s: RouterSettings, h: Headers, path: string | null, method: string | null): i32 {
  const rules = s.rules;
  const view = new RequestView(h, s.slots);
  // Raw element load passed straight to the callee: no retain/release pair per rule (AssemblyScript 0.17).
  const data = rules.dataStart;
  for (let i = 0; i < rules.length; i++) {
    if (matchesRule(changetype<Rule>(load<usize>(data + (<usize>i << alignof<usize>()))), view, path, method, s.routingHeader)) return i;
  }
  return -1;
}

export class RouterStream extends Context {
  private router: RouterRoot;
  // Mirror waiting for the request body (null when none).
  private pendingMirror: HeaderPairs | null = null;
  private pendingRule: i32 = -1;
  private bodyCopy: BodyCopy | null = null;

  constructor(context_id: u32, root: RouterRoot) {
    super(context_id, root);
    this.router = root;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): FilterHeadersStatusValues {
    const s = this.router.settings;
    const stats = this.router.stats;
    if (s === null || stats === null) return FilterHeadersStatusValues.Continue;
    const h = requestHeaders();
    // An unreadable map (size 0: no request has zero headers) might still carry the header: strip blindly.
    const incoming = h.size == 0 ? "" : h.get(s.routingHeader);
    const index = firstMatch(s, h, h.get(":path"), h.get(":method"));
    if (index < 0) {
      this.maybeStrip(s, stats, incoming);
      stats.noMatch.increment(1);
      return FilterHeadersStatusValues.Continue;
    }
    const rule = unchecked(s.rules[index]);
    const rs = unchecked(stats.rules[index]);
    rs.matched.increment(1);
    let route: string | null = null;
    if (rule.allowPassthrough && incoming !== null && (<string>incoming).length > 0) {
      rs.passthrough.increment(1);
      route = incoming;
    } else {
      route = this.maybeRoute(s, rule, rs, h);
      if (route === null) this.maybeStrip(s, stats, incoming);
      else if (incoming !== null && (<string>incoming).length > 0) stats.stripped.increment(1);
    }
    if (rule.mirror !== null) this.maybeMirror(s, rule, rs, index, h, route, endOfStream);
    return FilterHeadersStatusValues.Continue;
  }

  onRequestBody(bodySize: usize, endOfStream: bool): FilterDataStatusValues {
    const copy = this.bodyCopy;
    if (copy === null) return FilterDataStatusValues.Continue;
    if (bodySize > 0 && !copy.overflow) {
      if (!copy.append(requestBody(<u32>bodySize))) this.dropMirror();
    }
    if (endOfStream) this.flushMirror();
    return FilterDataStatusValues.Continue;
  }

  onRequestTrailers(numTrailers: u32): FilterTrailersStatusValues {
    this.flushMirror();
    return FilterTrailersStatusValues.Continue;
  }

  /** Apply the rule's action: sets the routing header, returns the value (null for mirror-only rules). */
  private maybeRoute(s: RouterSettings, rule: Rule, rs: RuleStats, h: Headers): string | null {
    if (rule.actionKind == ActionKind.None) return null;
    let index = 0;
    if (rule.actionKind == ActionKind.Split) {
      let bucket: i32 = rule.stickyKind == StickyKind.None ? -1 : stickyBucket(rule, h);
      if (bucket < 0) {
        if (rule.stickyKind != StickyKind.None) bump(rs.stickyFallback);
        bucket = <i32>this.router.rng.below(BUCKETS);
      }
      index = targetForBucket(rule.targets, <u32>bucket);
    }
    const value = unchecked(rule.targets[index]).value;
    setRequestHeader(s.routingHeader, value);
    unchecked(rs.targets[index]).increment(1);
    return value;
  }

  /** Remove a client-sent routing header; `incoming` "" means "unknown" (unreadable map). */
  private maybeStrip(s: RouterSettings, stats: RouterStats, incoming: string | null): void {
    if (incoming === null) return;
    removeRequestHeader(s.routingHeader);
    if ((<string>incoming).length > 0) stats.stripped.increment(1);
  }

  private maybeMirror(s: RouterSettings, rule: Rule, rs: RuleStats, index: i32, h: Headers, route: string | null, endOfStream: bool): void {
    const m = rule.mirror!;
    if (!isSelected(m.perMillion, h.get("x-request-id"), SALT_MIRROR, this.router.rng)) return;
    const pairs = mirrorHeaders(h, s.routingHeader, route);
    if (pairs === null) { bump(rs.mirrorFailed); return; }
    if (endOfStream || m.maxBodyBytes == 0) {
      bump(sendMirror(this.router, m, <HeaderPairs>pairs, null) ? rs.mirrorSent : rs.mirrorFailed);
      return;
    }
    this.pendingMirror = pairs;
    this.pendingRule = index;
    this.bodyCopy = new BodyCopy(<i32>m.maxBodyBytes);
  }

  private dropMirror(): void {
    if (this.pendingMirror === null) return;
    bump(this.router.stats!.rules[this.pendingRule].mirrorSkipped);
    this.pendingMirror = null;
    this.bodyCopy = null;
  }

  private flushMirror(): void {
    const pairs = this.pendingMirror;
    const copy = this.bodyCopy;
    this.pendingMirror = null;
    this.bodyCopy = null;
    if (pairs === null || copy === null) return;
    const rule = this.router.settings!.rules[this.pendingRule];
    const rs = this.router.stats!.rules[this.pendingRule];
    bump(sendMirror(this.router, rule.mirror!, <HeaderPairs>pairs, copy.bytes()) ? rs.mirrorSent : rs.mirrorFailed);
  }
}
