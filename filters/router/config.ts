// Router configuration: JSON text → immutable RouterSettings, or a list of {path, message} errors.
// No hostcalls. The JSON Schema (schema.json) describes the same shape; a test keeps them in step.
import { Config, ObjectReader } from "../sdk";
import { readHeaderMatchers, isHeaderName } from "../common/header-matcher";
import { readMethods } from "../common/methods";
import { asciiLower } from "../common/text";
import {
  RouterSettings, Rule, RuleMatch, Mirror, Target, QueryMatcher, QueryKind, PathKind, ActionKind, StickyKind,
  DEFAULT_ROUTING_HEADER,
} from "./settings";

export class RouterConfigResult {
  constructor(public settings: RouterSettings | null, public config: Config) {}
}

/** Parse and validate; `settings` is null when there is any error (see `config.errors`). */
export function parseRouterConfig(text: string): RouterConfigResult {
  const config = Config.parse(text);
  const root = config.root;
  if (root === null) return new RouterConfigResult(null, config);
  const r = <ObjectReader>root;
  const settings = new RouterSettings();
  const header = r.string("routingHeader", DEFAULT_ROUTING_HEADER);
  if (!isHeaderName(header, false)) config.error(r.pathOf("routingHeader"), "expected a header name (token characters)");
  settings.routingHeader = asciiLower(header);
  const rules = r.requiredArray("rules");
  if (rules !== null) {
    if (rules.length == 0) config.error(r.pathOf("rules"), "expected at least one rule");
    const names = new Set<string>();
    for (let i = 0; i < rules.length; i++) {
      const o = rules.object(i);
      if (o === null) continue;
      const rule = readRule(<ObjectReader>o, settings);
      if (rule.name.length > 0 && names.has(rule.name)) config.error(o.pathOf("name"), "duplicate rule name \"" + rule.name + "\"");
      names.add(rule.name);
      settings.rules.push(rule);
    }
  }
  r.end();
  return new RouterConfigResult(config.ok ? settings : null, config);
}

/** Rule names and route values become parts of stat names: keep them to safe characters. */
function isSafeName(s: string, extra: string): bool {
  if (s.length == 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95
      || extra.indexOf(String.fromCharCode(c)) >= 0;
    if (!ok) return false;
  }
  return true;
}

function readRule(o: ObjectReader, settings: RouterSettings): Rule {
  const rule = new Rule();
  rule.name = o.requiredString("name");
  if (o.has("name") && o.obj.get("name")!.isString && !isSafeName(rule.name, "")) {
    o.config.error(o.pathOf("name"), "expected letters, digits, '-' or '_'");
  }
  const match = o.object("match");
  if (match !== null) rule.match = readMatch(<ObjectReader>match, settings);
  rule.allowPassthrough = o.bool("allowPassthrough", false);
  const action = o.object("action");
  if (action !== null) readAction(<ObjectReader>action, rule);
  const mirror = o.object("mirror");
  if (mirror !== null) rule.mirror = readMirror(<ObjectReader>mirror);
  if (!o.has("action") && !o.has("mirror")) o.config.error(o.path, "expected action or mirror (or both)");
  o.end();
  return rule;
}

function readMatch(o: ObjectReader, settings: RouterSettings): RuleMatch {
  const m = new RuleMatch();
  m.headers = readHeaderMatchers(o, "headers", settings.slots);
  const path = o.object("path");
  if (path !== null) {
    const p = <ObjectReader>path;
    const hasExact = p.has("exact"), hasPrefix = p.has("prefix");
    if (hasExact == hasPrefix) p.config.error(p.path, "expected exactly one of exact, prefix");
    m.pathKind = hasExact ? PathKind.Exact : PathKind.Prefix;
    m.path = hasExact ? p.string("exact") : p.string("prefix");
    if ((hasExact || hasPrefix) && m.path.length == 0 && p.config.ok) p.config.error(p.pathOf(hasExact ? "exact" : "prefix"), "expected a non-empty string");
    p.end();
  }
  m.methods = readMethods(o, "method");
  const query = o.array("queryParams");
  if (query !== null) {
    for (let i = 0; i < query.length; i++) {
      const q = query.object(i);
      if (q === null) continue;
      const qr = <ObjectReader>q;
      const name = qr.requiredString("name");
      if (qr.has("name") && name.length == 0) qr.config.error(qr.pathOf("name"), "expected a non-empty string");
      const hasExact = qr.has("exact"), hasPresent = qr.has("present");
      if (hasExact == hasPresent) qr.config.error(qr.path, "expected exactly one of exact, present");
      if (hasPresent && !qr.bool("present", false)) qr.config.error(qr.pathOf("present"), "expected true");
      const value = qr.string("exact", "");
      qr.end();
      m.query.push(new QueryMatcher(name, hasExact ? QueryKind.Exact : QueryKind.Present, value));
    }
  }
  o.end();
  return m;
}

function readAction(o: ObjectReader, rule: Rule): void {
  const hasSet = o.has("set"), hasSplit = o.has("split"), hasSticky = o.has("stickyBy");
  if (hasSet == hasSplit) o.config.error(o.path, "expected exactly one of set, split");
  if (hasSet) {
    const value = o.string("set");
    if (o.obj.get("set")!.isString && !isSafeName(value, ".~")) o.config.error(o.pathOf("set"), "expected a route value (letters, digits, '-', '_', '.', '~')");
    const t = new Target(value, 10000);
    t.cumulative = 10000;
    rule.targets.push(t);
    rule.actionKind = ActionKind.Set;
  }
  if (hasSplit) {
    readSplit(o, rule);
    rule.actionKind = ActionKind.Split;
  }
  if (hasSticky) {
    if (hasSet) o.config.error(o.pathOf("stickyBy"), "only allowed with split");
    const s = o.object("stickyBy");
    if (s !== null) {
      const sr = <ObjectReader>s;
      const hasHeader = sr.has("header"), hasCookie = sr.has("cookie");
      if (hasHeader == hasCookie) sr.config.error(sr.path, "expected exactly one of header, cookie");
      if (hasHeader) {
        const h = sr.string("header");
        if (sr.obj.get("header")!.isString && !isHeaderName(h, false)) sr.config.error(sr.pathOf("header"), "expected a header name");
        rule.stickyKind = StickyKind.Header;
        rule.stickyName = asciiLower(h);
      } else if (hasCookie) {
        rule.stickyKind = StickyKind.Cookie;
        rule.stickyName = sr.string("cookie");
        if (sr.obj.get("cookie")!.isString && rule.stickyName.length == 0) sr.config.error(sr.pathOf("cookie"), "expected a non-empty string");
      }
      sr.end();
    }
  }
  o.end();
}

function readSplit(o: ObjectReader, rule: Rule): void {
  const arr = o.array("split");
  if (arr === null) return;
  if (arr.length == 0) { o.config.error(o.pathOf("split"), "expected at least one target"); return; }
  let total: u32 = 0;
  let weightsOk = true;
  for (let i = 0; i < arr.length; i++) {
    const t = arr.object(i);
    if (t === null) { weightsOk = false; continue; }
    const tr = <ObjectReader>t;
    const value = tr.requiredString("value");
    if (tr.has("value") && tr.obj.get("value")!.isString && !isSafeName(value, ".~")) {
      tr.config.error(tr.pathOf("value"), "expected a route value (letters, digits, '-', '_', '.', '~')");
    }
    const before = tr.config.errors.length;
    const w = tr.requiredNumber("weight", 0, 100);
    const hundredths = Math.round(w * 100);
    if (tr.config.errors.length != before) weightsOk = false;
    else if (Math.abs(hundredths - w * 100) > 1e-6) {
      tr.config.error(tr.pathOf("weight"), "expected at most two decimals");
      weightsOk = false;
    }
    tr.end();
    const target = new Target(value, <u32>hundredths);
    total += <u32>hundredths;
    target.cumulative = total;
    rule.targets.push(target);
  }
  if (weightsOk && total != 10000) {
    o.config.error(o.pathOf("split"), "weights must sum to 100 (got " + formatHundredths(total) + ")");
  }
}

/** 9550 → "95.5", 9500 → "95", 1 → "0.01". */
function formatHundredths(v: u32): string {
  const whole = (v / 100).toString();
  const frac = v % 100;
  if (frac == 0) return whole;
  return whole + "." + (frac < 10 ? "0" + frac.toString() : (frac % 10 == 0 ? (frac / 10).toString() : frac.toString()));
}

function readMirror(o: ObjectReader): Mirror {
  const m = new Mirror();
  m.cluster = o.requiredString("cluster");
  if (o.has("cluster") && o.obj.get("cluster")!.isString && m.cluster.length == 0) o.config.error(o.pathOf("cluster"), "expected a non-empty string");
  m.perMillion = <u32>Math.round(o.number("percentage", 100, 0, 100) * 10000);
  m.maxBodyBytes = <u32>o.int("maxBodyBytes", 0, 0, 1048576);
  m.timeoutMs = <u32>o.int("timeoutMs", 5000, 1, 600000);
  o.end();
  return m;
}
