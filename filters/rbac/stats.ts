// Counters of the rbac filter, defined once in onConfigure.
// Filter-wide: rbac.allowed, rbac.denied, rbac.dry_run_denied, rbac.audited, rbac.internal_error, rbac.path_rejected.
// Per policy:  rbac.policy.<name>.allowed | denied | audited | dry_run_denied.
import { Counter } from "../sdk";
import { Policy, Settings } from "./settings";

export class PolicyStats {
  allowed: Counter;
  denied: Counter;
  audited: Counter;
  dryRunDenied: Counter;
  /** Response code details of a denial by this policy (Envoy RBAC's form). */
  details: string;

  constructor(public policy: Policy) {
    const base = "rbac.policy." + policy.name + ".";
    this.allowed = new Counter(base + "allowed");
    this.denied = new Counter(base + "denied");
    this.audited = new Counter(base + "audited");
    this.dryRunDenied = new Counter(base + "dry_run_denied");
    this.details = "rbac_access_denied_matched_policy[" + policy.name + "]";
  }
}

export class RbacStats {
  allowed: Counter = new Counter("rbac.allowed");
  denied: Counter = new Counter("rbac.denied");
  dryRunDenied: Counter = new Counter("rbac.dry_run_denied");
  audited: Counter = new Counter("rbac.audited");
  internalError: Counter = new Counter("rbac.internal_error");
  pathRejected: Counter = new Counter("rbac.path_rejected");
  /** Indexed like Settings.policies; Policy.index points here. */
  byPolicy: PolicyStats[] = [];

  constructor(settings: Settings) {
    for (let i = 0; i < settings.policies.length; i++) {
      settings.policies[i].index = i;
      this.byPolicy.push(new PolicyStats(settings.policies[i]));
    }
  }
}
