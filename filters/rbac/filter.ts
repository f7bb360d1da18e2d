// Root and stream contexts of the rbac filter: hook code only.
import {
  Config, Context, FilterHeadersStatusValues, log, LogLevelValues, pluginConfiguration, requestHeaders,
  RootContext, sendLocalResponse,
} from "../sdk";
import { PropertyPaths, StreamAttributes } from "./attributes";
import { parseSettings } from "./config";
import { decide, Decision, matchesPolicy } from "./match";
import { normalizePath } from "./path";
import { Settings } from "./settings";
import { RbacStats } from "./stats";

const DENY_BODY = "RBAC: access denied";
const DETAILS_NO_MATCH = "rbac_access_denied_matched_policy[none]";
const DETAILS_PATH = "rbac_access_denied_invalid_path";
const DETAILS_ERROR = "rbac_access_denied_internal_error";

export class RbacRoot extends RootContext {
  settings: Settings = new Settings();
  stats: RbacStats | null = null;
  paths: PropertyPaths | null = null;
  /** Reused by every stream of this root (one request is evaluated at a time per VM). */
  decision: Decision = new Decision();

  onConfigure(size: u32): bool {
    const cfg = Config.parse(pluginConfiguration(size));
    const settings = parseSettings(cfg);
    if (!cfg.ok) {
      cfg.report("rbac");
      return false;
    }
    this.settings = settings;
    this.stats = new RbacStats(settings);
    this.paths = new PropertyPaths();
    return true;
  }

  createContext(id: u32): Context {
    return new RbacStream(id, this);
  }
}

export class RbacStream extends Context {
  constructor(id: u32, public rbac: RbacRoot) {
    super(id, rbac);
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): FilterHeadersStatusValues {
    const settings = this.rbac.settings;
    const stats = this.rbac.stats;
    const paths = this.rbac.paths;
    if (stats === null || paths === null) return this.deny(DETAILS_ERROR); // not configured: fail closed
    if (settings.policies.length == 0) {
      stats.allowed.increment(1);
      return FilterHeadersStatusValues.Continue;
    }
    const headers = requestHeaders();
    const attrs = new StreamAttributes(headers, paths, settings.xffNumTrustedHops);
    let rawPath = headers.get(":path");
    if (rawPath === null) rawPath = "";
    const normalized = normalizePath(rawPath, settings.decodeEncodedSlashes);
    if (normalized === null) {
      stats.pathRejected.increment(1);
      return this.maybeDeny(settings, stats, DETAILS_PATH, -1, "path rejected");
    }
    attrs.normalizedPath = normalized;
    this.recordAudits(settings, stats, attrs);
    const d = this.rbac.decision;
    decide(settings, attrs, d);
    if (attrs.failed) {
      stats.internalError.increment(1);
      return this.maybeDeny(settings, stats, DETAILS_ERROR, -1, "request attribute unavailable");
    }
    const policy = d.policy;
    if (d.allowed) {
      stats.allowed.increment(1);
      if (policy !== null) stats.byPolicy[policy.index].allowed.increment(1);
      return FilterHeadersStatusValues.Continue;
    }
    if (policy === null) return this.maybeDeny(settings, stats, DETAILS_NO_MATCH, -1, "no ALLOW policy matched");
    return this.maybeDeny(settings, stats, stats.byPolicy[policy.index].details, policy.index, "DENY policy matched");
  }

  /** AUDIT policies: count and log every match; never changes the decision. */
  private recordAudits(settings: Settings, stats: RbacStats, attrs: StreamAttributes): void {
    for (let i = 0; i < settings.audit.length; i++) {
      const p = settings.audit[i];
      if (!matchesPolicy(p, attrs)) continue;
      stats.audited.increment(1);
      stats.byPolicy[p.index].audited.increment(1);
      log(LogLevelValues.info, "rbac: audit policy " + p.name + " matched " + attrs.method() + " " + attrs.path());
    }
  }

  /** Deny with 403, or in dry-run mode count and log the denial and let the request through. */
  private maybeDeny(settings: Settings, stats: RbacStats, details: string, policyIndex: i32, why: string): FilterHeadersStatusValues {
    if (settings.dryRun) {
      stats.dryRunDenied.increment(1);
      if (policyIndex >= 0) stats.byPolicy[policyIndex].dryRunDenied.increment(1);
      log(LogLevelValues.info, "rbac: dry-run: would deny (" + why + "): " + details);
      return FilterHeadersStatusValues.Continue;
    }
    if (policyIndex >= 0) stats.byPolicy[policyIndex].denied.increment(1);
    return this.deny(details);
  }

  private deny(details: string): FilterHeadersStatusValues {
    const stats = this.rbac.stats;
    if (stats !== null) stats.denied.increment(1);
    sendLocalResponse(403, details, DENY_BODY);
    return FilterHeadersStatusValues.StopIteration;
  }
}
