// JSON configuration → immutable Settings. No hostcalls; every error names its JSON path.
import { Config, ObjectReader } from "../sdk/config";
import { DestinationSource, ExtraLabel, Settings, STANDARD_LABELS } from "./settings";

const MAX_EXTRA_VALUES: i64 = 1000;

/** Reads the document in `cfg` into Settings; errors are collected in `cfg` (check `cfg.ok`). */
export function parseSettings(cfg: Config): Settings {
  const s = new Settings();
  const o = cfg.root;
  if (o === null) return s;
  s.prefix = o.string("prefix", "asmesh_");
  if (!isMetricName(s.prefix)) cfg.error(o.pathOf("prefix"), "expected [a-zA-Z_][a-zA-Z0-9_]* (at most 64 characters)");
  const labels = o.stringArray("labels");
  if (labels !== null) {
    for (let i = 0; i < labels.length; i++) {
      const idx = STANDARD_LABELS.indexOf(labels[i]);
      if (idx < 0) cfg.error(o.pathOf("labels") + "[" + i.toString() + "]", "unknown label \"" + labels[i] + "\"");
      else s.enabled[idx] = true;
    }
  } else {
    for (let i = 0; i < STANDARD_LABELS.length; i++) s.enabled[i] = true;
  }
  const dest = o.oneOf("destinationService", ["authority", "cluster"], "authority");
  s.destination = dest == "cluster" ? DestinationSource.Cluster : DestinationSource.Authority;
  s.maxSeries = <i32>o.int("maxSeries", 10000, 1, 1000000);
  const extras = o.array("extraLabels");
  if (extras !== null) {
    for (let i = 0; i < extras.length; i++) {
      const eo = extras.object(i);
      if (eo !== null) s.extra.push(parseExtra(eo, s));
    }
  }
  o.end();
  let count = s.extra.length;
  for (let i = 0; i < STANDARD_LABELS.length; i++) if (s.enabled[i]) count++;
  s.labelCount = count;
  return s;
}

function parseExtra(o: ObjectReader, s: Settings): ExtraLabel {
  const e = new ExtraLabel();
  e.name = o.requiredString("name");
  if (o.has("name")) {
    if (!isLabelName(e.name)) o.config.error(o.pathOf("name"), "expected [a-z_][a-z0-9_]* (at most 64 characters)");
    else if (clashes(e.name, s)) {
      o.config.error(o.pathOf("name"), "\"" + e.name + "\" equals or ends another label's name (tag regexes would overlap)");
    }
  }
  e.header = o.requiredString("header").toLowerCase();
  if (o.has("header") && e.header.length == 0) o.config.error(o.pathOf("header"), "must not be empty");
  const values = o.stringArray("values");
  const hasMax = o.has("maxValues");
  e.maxValues = <i32>o.int("maxValues", 0, 1, MAX_EXTRA_VALUES);
  if (values !== null) {
    for (let i = 0; i < values.length; i++) {
      if (!isSafeValue(values[i])) {
        o.config.error(o.pathOf("values") + "[" + i.toString() + "]", "must be non-empty, without ';' or '='");
      }
      e.allowed.add(values[i]);
    }
    if (values.length == 0) o.config.error(o.pathOf("values"), "must not be empty");
  }
  if (values !== null && hasMax) o.config.error(o.path, "set either values (allow-list) or maxValues (cap), not both");
  if (values === null && !hasMax) o.config.error(o.path, "one of values (allow-list) or maxValues (cap) is required");
  o.end();
  return e;
}

/** Whether name equals, ends, or is ended by a label name in use (the unanchored tag regexes would overlap). */
function clashes(name: string, s: Settings): bool {
  for (let i = 0; i < STANDARD_LABELS.length; i++) {
    if (STANDARD_LABELS[i].endsWith(name) || name.endsWith(STANDARD_LABELS[i])) return true;
  }
  for (let i = 0; i < s.extra.length; i++) {
    if (s.extra[i].name.endsWith(name) || name.endsWith(s.extra[i].name)) return true;
  }
  return false;
}

function isMetricName(v: string): bool {
  if (v.length == 0 || v.length > 64) return false;
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    const letter = (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch == 95;
    if (!letter && !(i > 0 && ch >= 48 && ch <= 57)) return false;
  }
  return true;
}

function isLabelName(v: string): bool {
  if (v.length == 0 || v.length > 64) return false;
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    const ok = (ch >= 97 && ch <= 122) || ch == 95 || (i > 0 && ch >= 48 && ch <= 57);
    if (!ok) return false;
  }
  return true;
}

function isSafeValue(v: string): bool {
  return v.length > 0 && v.indexOf(";") < 0 && v.indexOf("=") < 0;
}
