// Router stats, defined once in onConfigure (metric ids are per VM); the hot path only increments.
//   router.rule.<rule>.matched                 requests the rule matched
//   router.rule.<rule>.target.<value>          requests the rule's action routed to <value>
//   router.rule.<rule>.passthrough             client routing header kept (allowPassthrough)
//   router.rule.<rule>.sticky_fallback         sticky key absent → weighted random pick
//   router.rule.<rule>.mirror.sent|failed|skipped   mirror copies started / refused by the host /
//                                                   skipped because the body exceeded maxBodyBytes
//   router.no_match                            requests no rule matched
//   router.routing_header_stripped             client-sent routing headers removed
import { Counter } from "../sdk";
import { RouterSettings, Rule } from "./settings";

export class RuleStats {
  matched: Counter;
  targets: Counter[] = [];
  passthrough: Counter;
  stickyFallback: Counter | null = null;
  mirrorSent: Counter | null = null;
  mirrorFailed: Counter | null = null;
  mirrorSkipped: Counter | null = null;

  constructor(rule: Rule) {
    const base = "router.rule." + rule.name + ".";
    this.matched = new Counter(base + "matched");
    this.passthrough = new Counter(base + "passthrough");
    for (let i = 0; i < rule.targets.length; i++) this.targets.push(new Counter(base + "target." + rule.targets[i].value));
    if (rule.stickyName.length > 0) this.stickyFallback = new Counter(base + "sticky_fallback");
    if (rule.mirror !== null) {
      this.mirrorSent = new Counter(base + "mirror.sent");
      this.mirrorFailed = new Counter(base + "mirror.failed");
      this.mirrorSkipped = new Counter(base + "mirror.skipped");
    }
  }
}

export class RouterStats {
  rules: RuleStats[] = [];
  noMatch: Counter = new Counter("router.no_match");
  stripped: Counter = new Counter("router.routing_header_stripped");

  constructor(settings: RouterSettings) {
    for (let i = 0; i < settings.rules.length; i++) this.rules.push(new RuleStats(settings.rules[i]));
  }
}

/** Increment an optional counter. */
export function bump(c: Counter | null): void {
  if (c !== null) (<Counter>c).increment(1);
}
