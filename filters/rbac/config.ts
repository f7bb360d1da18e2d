// JSON configuration → immutable Settings. No hostcalls; every error names its JSON path.
import { Config, ObjectReader } from "../sdk/config";
import { CidrRange, parseCidr } from "./cidr";
import { MatchKind, StringMatcher } from "./string-match";
import { Action, Condition, ConditionKey, Operation, Policy, Rule, Settings, Source } from "./settings";

/** Reads the document in `cfg` into Settings; errors are collected in `cfg` (check `cfg.ok`). */
export function parseSettings(cfg: Config): Settings {
  const s = new Settings();
  const root = cfg.root;
  if (root === null) return s;
  s.dryRun = root.bool("dryRun", false);
  s.xffNumTrustedHops = <i32>root.int("xffNumTrustedHops", 0, 0, 64);
  s.decodeEncodedSlashes = root.oneOf("encodedSlashes", ["REJECT", "DECODE"], "REJECT") == "DECODE";
  const policies = root.array("policies");
  const names = new Set<string>();
  if (policies !== null) {
    for (let i = 0; i < policies.length; i++) {
      const o = policies.object(i);
      if (o === null) continue;
      const p = parsePolicy(o);
      if (names.has(p.name)) cfg.error(o.pathOf("name"), "duplicate policy name \"" + p.name + "\"");
      names.add(p.name);
      addPolicy(s, p);
    }
  }
  root.end();
  return s;
}

function addPolicy(s: Settings, p: Policy): void {
  s.policies.push(p);
  if (p.action == Action.Deny) s.deny.push(p);
  else if (p.action == Action.Allow) s.allow.push(p);
  else s.audit.push(p);
  for (let r = 0; r < p.rules.length; r++) {
    const rule = p.rules[r];
    for (let i = 0; i < rule.sources.length; i++) {
      const src = rule.sources[i];
      if (src.principals.length + src.notPrincipals.length + src.namespaces.length + src.notNamespaces.length > 0) {
        s.needs.principal = true;
      }
      if (src.ipBlocks.length + src.notIpBlocks.length > 0) s.needs.sourceIp = true;
      if (src.remoteIpBlocks.length + src.notRemoteIpBlocks.length > 0) s.needs.remoteIp = true;
    }
    for (let i = 0; i < rule.operations.length; i++) {
      if (rule.operations[i].ports.length + rule.operations[i].notPorts.length > 0) s.needs.destinationPort = true;
    }
    for (let i = 0; i < rule.conditions.length; i++) {
      const k = rule.conditions[i].key;
      if (k == ConditionKey.SourceIp) s.needs.sourceIp = true;
      else if (k == ConditionKey.RemoteIp) s.needs.remoteIp = true;
      else if (k == ConditionKey.SourceNamespace || k == ConditionKey.SourcePrincipal) s.needs.principal = true;
      else if (k == ConditionKey.DestinationPort) s.needs.destinationPort = true;
      else if (k == ConditionKey.ConnectionSni) s.needs.sni = true;
    }
  }
}

function parsePolicy(o: ObjectReader): Policy {
  const p = new Policy();
  p.name = o.requiredString("name");
  if (o.has("name") && !isPolicyName(p.name)) o.config.error(o.pathOf("name"), "expected 1-64 characters of [A-Za-z0-9_-]");
  const action = o.oneOf("action", ["ALLOW", "DENY", "AUDIT"], "ALLOW");
  p.action = action == "DENY" ? Action.Deny : action == "AUDIT" ? Action.Audit : Action.Allow;
  const rules = o.array("rules");
  if (rules !== null) {
    for (let i = 0; i < rules.length; i++) {
      const ro = rules.object(i);
      if (ro !== null) p.rules.push(parseRule(ro));
    }
  }
  o.end();
  return p;
}

function isPolicyName(name: string): bool {
  if (name.length == 0 || name.length > 64) return false;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    const ok = (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch == 45 || ch == 95;
    if (!ok) return false;
  }
  return true;
}

function parseRule(o: ObjectReader): Rule {
  const r = new Rule();
  const from = o.array("from");
  if (from !== null) {
    for (let i = 0; i < from.length; i++) {
      const fo = from.object(i);
      if (fo === null) continue;
      const so = fo.requiredObject("source");
      if (so !== null) r.sources.push(parseSource(so));
      fo.end();
    }
  }
  const to = o.array("to");
  if (to !== null) {
    for (let i = 0; i < to.length; i++) {
      const tobj = to.object(i);
      if (tobj === null) continue;
      const oo = tobj.requiredObject("operation");
      if (oo !== null) r.operations.push(parseOperation(oo));
      tobj.end();
    }
  }
  const when = o.array("when");
  if (when !== null) {
    for (let i = 0; i < when.length; i++) {
      const wo = when.object(i);
      if (wo !== null) r.conditions.push(parseCondition(wo));
    }
  }
  o.end();
  return r;
}

function parseSource(o: ObjectReader): Source {
  const s = new Source();
  if (o.obj.keys.length == 0) o.config.error(o.path, "must not be empty");
  s.principals = matchers(o, "principals", false);
  s.notPrincipals = matchers(o, "notPrincipals", false);
  s.namespaces = matchers(o, "namespaces", false);
  s.notNamespaces = matchers(o, "notNamespaces", false);
  s.ipBlocks = cidrs(o, "ipBlocks");
  s.notIpBlocks = cidrs(o, "notIpBlocks");
  s.remoteIpBlocks = cidrs(o, "remoteIpBlocks");
  s.notRemoteIpBlocks = cidrs(o, "notRemoteIpBlocks");
  o.end();
  return s;
}

function parseOperation(o: ObjectReader): Operation {
  const op = new Operation();
  if (o.obj.keys.length == 0) o.config.error(o.path, "must not be empty");
  op.hosts = matchers(o, "hosts", true);
  op.notHosts = matchers(o, "notHosts", true);
  op.ports = ports(o, "ports");
  op.notPorts = ports(o, "notPorts");
  op.methods = matchers(o, "methods", false);
  op.notMethods = matchers(o, "notMethods", false);
  op.paths = matchers(o, "paths", false);
  op.notPaths = matchers(o, "notPaths", false);
  checkPaths(o, "paths", op.paths);
  checkPaths(o, "notPaths", op.notPaths);
  o.end();
  return op;
}

function checkPaths(o: ObjectReader, key: string, list: StringMatcher[]): void {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (m.kind == MatchKind.Exact || m.kind == MatchKind.Prefix) {
      if (m.value.length == 0 || m.value.charCodeAt(0) != 47) {
        o.config.error(o.pathOf(key), "paths must start with '/' (or be '*' or '*suffix')");
        return;
      }
    }
  }
}

const HEADER_KEY = "request.headers[";

function parseCondition(o: ObjectReader): Condition {
  const cond = new Condition();
  const key = o.requiredString("key");
  if (!o.has("values") && !o.has("notValues")) o.config.error(o.path, "at least one of values or notValues must be set");
  if (key.startsWith(HEADER_KEY) && key.endsWith("]") && key.length > HEADER_KEY.length + 1) {
    cond.key = ConditionKey.RequestHeader;
    cond.header = key.substring(HEADER_KEY.length, key.length - 1).toLowerCase();
  } else if (key == "source.ip") cond.key = ConditionKey.SourceIp;
  else if (key == "remote.ip") cond.key = ConditionKey.RemoteIp;
  else if (key == "source.namespace") cond.key = ConditionKey.SourceNamespace;
  else if (key == "source.principal") cond.key = ConditionKey.SourcePrincipal;
  else if (key == "destination.port") cond.key = ConditionKey.DestinationPort;
  else if (key == "connection.sni") cond.key = ConditionKey.ConnectionSni;
  else {
    if (key.length > 0) o.config.error(o.pathOf("key"), "unsupported key \"" + key + "\"");
    o.end();
    return cond;
  }
  if (cond.key == ConditionKey.SourceIp || cond.key == ConditionKey.RemoteIp) {
    cond.cidrs = cidrs(o, "values");
    cond.notCidrs = cidrs(o, "notValues");
  } else if (cond.key == ConditionKey.DestinationPort) {
    cond.ports = ports(o, "values");
    cond.notPorts = ports(o, "notValues");
  } else {
    cond.values = matchers(o, "values", false);
    cond.notValues = matchers(o, "notValues", false);
  }
  o.end();
  return cond;
}

/** `*` alone, as a prefix (`*abc`) or as a suffix (`abc*`); nowhere else. */
function isPattern(v: string): bool {
  if (v.length == 0) return false;
  const first = v.indexOf("*");
  if (first < 0 || v == "*") return true;
  const last = v.lastIndexOf("*");
  if (first != last) return false;
  return first == 0 || first == v.length - 1;
}

function matchers(o: ObjectReader, key: string, lowerCase: bool): StringMatcher[] {
  const out = new Array<StringMatcher>();
  const values = o.stringArray(key);
  if (values === null) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isPattern(v)) {
      let message = "'*' is only allowed alone, as prefix or as suffix";
      if (v.length == 0) message = "must not be empty";
      o.config.error(o.pathOf(key) + "[" + i.toString() + "]", message);
    } else {
      out.push(StringMatcher.parse(v, lowerCase));
    }
  }
  return out;
}

function cidrs(o: ObjectReader, key: string): CidrRange[] {
  const out = new Array<CidrRange>();
  const values = o.stringArray(key);
  if (values === null) return out;
  for (let i = 0; i < values.length; i++) {
    const r = parseCidr(values[i]);
    if (r === null) o.config.error(o.pathOf(key) + "[" + i.toString() + "]", "invalid IP address or CIDR \"" + values[i] + "\"");
    else out.push(r);
  }
  return out;
}

function ports(o: ObjectReader, key: string): i32[] {
  const out = new Array<i32>();
  const values = o.stringArray(key);
  if (values === null) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let n = 0;
    let ok = v.length > 0 && v.length <= 5;
    for (let k = 0; k < v.length && ok; k++) {
      const ch = v.charCodeAt(k);
      if (ch < 48 || ch > 57) ok = false;
      else n = n * 10 + (ch - 48);
    }
    if (!ok || n > 65535) o.config.error(o.pathOf(key) + "[" + i.toString() + "]", "expected a port number 0-65535 as a string");
    else out.push(n);
  }
  return out;
}
