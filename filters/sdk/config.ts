// JSON configuration helpers on assemblyscript-json 1.1.0 that track the JSON path and collect
// `{path, message}` errors (`rules[2].match.prefix: expected string`) instead of trapping.
// Typical use in a filter's config.ts:
//   const cfg = Config.parse(text);
//   const root = cfg.root;                      // null when the text is not a JSON object
//   if (root !== null) { const p = root.requiredString("prefix"); ...; root.end(); }
//   if (!cfg.ok) { cfg.report("fault"); return false; }
import { JSON } from "assemblyscript-json";
import { checkJson } from "./json-check";
import { log } from "./hostcalls";
import { LogLevelValues } from "./types";

/** One configuration error: JSON path ("" = the whole document) and message. */
export class ConfigIssue {
  constructor(public path: string, public message: string) {}
  toString(): string {
    if (this.path.length == 0) return this.message;
    return this.path + ": " + this.message;
  }
}

/** A parsed configuration document and the errors found while reading it. */
export class Config {
  errors: Array<ConfigIssue> = new Array<ConfigIssue>();
  root: ObjectReader | null = null;

  /** Parse `text`; syntax errors and a non-object top level become errors (never a trap). */
  static parse(text: string): Config {
    const config = new Config();
    const bytes = String.UTF8.encode(text);
    const check = checkJson(changetype<usize>(bytes), bytes.byteLength);
    if (!check.ok) {
      config.error("", "invalid JSON at offset " + check.offset.toString() + ": " + check.message);
      return config;
    }
    const value = JSON.parse<Uint8Array>(Uint8Array.wrap(bytes));
    if (!value.isObj) {
      config.error("", "expected a JSON object");
      return config;
    }
    config.root = new ObjectReader(config, <JSON.Obj>value, "");
    return config;
  }

  /** Parse `text`, treating an empty (or all-whitespace) text as `{}`. */
  static parseOrEmpty(text: string): Config {
    if (text.trim().length == 0) return Config.parse("{}");
    return Config.parse(text);
  }

  get ok(): bool { return this.errors.length == 0; }

  error(path: string, message: string): void {
    this.errors.push(new ConfigIssue(path, message));
  }

  /** Log every error at critical as `<filter>: invalid configuration: <path>: <message>`. */
  report(filterName: string): void {
    for (let i = 0; i < this.errors.length; i++) {
      log(LogLevelValues.critical, filterName + ": invalid configuration: " + this.errors[i].toString());
    }
  }
}

function join(parent: string, key: string): string {
  if (parent.length == 0) return key;
  return parent + "." + key;
}

/** Reads the fields of one JSON object; remembers which keys were read so `end()` can reject the rest. */
export class ObjectReader {
  private seen: Set<string> = new Set<string>();
  constructor(readonly config: Config, readonly obj: JSON.Obj, readonly path: string) {}

  /** JSON path of a field of this object. */
  pathOf(key: string): string { return join(this.path, key); }

  /** Whether the field is present and not null. Marks it as known. */
  has(key: string): bool {
    this.seen.add(key);
    const value = this.obj.get(key);
    return value !== null && !value.isNull;
  }

  private value(key: string, required: bool): JSON.Value | null {
    this.seen.add(key);
    let value = this.obj.get(key);
    if (value !== null && value.isNull) value = null; // JSON null reads as absent
    if (value === null && required) this.config.error(this.pathOf(key), "is required");
    return value;
  }

  private fail<T>(key: string, message: string, fallback: T): T {
    this.config.error(this.pathOf(key), message);
    return fallback;
  }

  string(key: string, fallback: string = ""): string { return this.readString(key, false, fallback); }
  requiredString(key: string): string { return this.readString(key, true, ""); }
  private readString(key: string, required: bool, fallback: string): string {
    const v = this.value(key, required);
    if (v === null) return fallback;
    if (!v.isString) return this.fail<string>(key, "expected string", fallback);
    return (<JSON.Str>v).valueOf();
  }

  /** A string that must be one of `allowed`. */
  oneOf(key: string, allowed: Array<string>, fallback: string): string { return this.readOneOf(key, allowed, false, fallback); }
  requiredOneOf(key: string, allowed: Array<string>): string { return this.readOneOf(key, allowed, true, ""); }
  private readOneOf(key: string, allowed: Array<string>, required: bool, fallback: string): string {
    const v = this.value(key, required);
    if (v === null) return fallback;
    if (!v.isString) return this.fail<string>(key, "expected string", fallback);
    const s = (<JSON.Str>v).valueOf();
    if (!allowed.includes(s)) return this.fail<string>(key, "must be one of: " + allowed.join(", "), fallback);
    return s;
  }

  bool(key: string, fallback: bool = false): bool { return this.readBool(key, false, fallback); }
  requiredBool(key: string): bool { return this.readBool(key, true, false); }
  private readBool(key: string, required: bool, fallback: bool): bool {
    const v = this.value(key, required);
    if (v === null) return fallback;
    if (!v.isBool) return this.fail<bool>(key, "expected boolean", fallback);
    return (<JSON.Bool>v).valueOf();
  }

  /** An integer in [min, max] (a float with no fractional part is accepted). */
  int(key: string, fallback: i64, min: i64 = i64.MIN_VALUE, max: i64 = i64.MAX_VALUE): i64 {
    return this.readInt(key, false, fallback, min, max);
  }
  requiredInt(key: string, min: i64 = i64.MIN_VALUE, max: i64 = i64.MAX_VALUE): i64 {
    return this.readInt(key, true, 0, min, max);
  }
  private readInt(key: string, required: bool, fallback: i64, min: i64, max: i64): i64 {
    const v = this.value(key, required);
    if (v === null) return fallback;
    let n: i64 = 0;
    if (v.isInteger) n = (<JSON.Integer>v).valueOf();
    else if (v.isFloat) {
      const f = (<JSON.Float>v).valueOf();
      if (f != Math.floor(f) || f > 9.2e18 || f < -9.2e18) return this.fail<i64>(key, "expected integer", fallback);
      n = <i64>f;
    } else return this.fail<i64>(key, "expected integer", fallback);
    if (n < min) return this.fail<i64>(key, "must be >= " + min.toString(), fallback);
    if (n > max) return this.fail<i64>(key, "must be <= " + max.toString(), fallback);
    return n;
  }

  /** A number in [min, max]. */
  number(key: string, fallback: f64, min: f64 = -f64.MAX_VALUE, max: f64 = f64.MAX_VALUE): f64 {
    return this.readNumber(key, false, fallback, min, max);
  }
  requiredNumber(key: string, min: f64 = -f64.MAX_VALUE, max: f64 = f64.MAX_VALUE): f64 {
    return this.readNumber(key, true, 0, min, max);
  }
  private readNumber(key: string, required: bool, fallback: f64, min: f64, max: f64): f64 {
    const v = this.value(key, required);
    if (v === null) return fallback;
    let n: f64 = 0;
    if (v.isInteger) n = <f64>(<JSON.Integer>v).valueOf();
    else if (v.isFloat) n = (<JSON.Float>v).valueOf();
    else return this.fail<f64>(key, "expected number", fallback);
    if (n < min) return this.fail<f64>(key, "must be >= " + min.toString(), fallback);
    if (n > max) return this.fail<f64>(key, "must be <= " + max.toString(), fallback);
    return n;
  }

  /** A nested object (null when absent or of the wrong type; the latter is an error). */
  object(key: string): ObjectReader | null { return this.readObject(key, false); }
  requiredObject(key: string): ObjectReader | null { return this.readObject(key, true); }
  private readObject(key: string, required: bool): ObjectReader | null {
    const v = this.value(key, required);
    if (v === null) return null;
    if (!v.isObj) return this.fail<ObjectReader | null>(key, "expected object", null);
    return new ObjectReader(this.config, <JSON.Obj>v, this.pathOf(key));
  }

  /** A nested array (null when absent or of the wrong type; the latter is an error). */
  array(key: string): ArrayReader | null { return this.readArray(key, false); }
  requiredArray(key: string): ArrayReader | null { return this.readArray(key, true); }
  private readArray(key: string, required: bool): ArrayReader | null {
    const v = this.value(key, required);
    if (v === null) return null;
    if (!v.isArr) return this.fail<ArrayReader | null>(key, "expected array", null);
    return new ArrayReader(this.config, <JSON.Arr>v, this.pathOf(key));
  }

  /** Array of strings (null when absent); wrong element types are errors naming the index. */
  stringArray(key: string): Array<string> | null {
    const arr = this.array(key);
    if (arr === null) return null;
    const result = new Array<string>();
    for (let i = 0; i < arr.length; i++) {
      const s = arr.string(i);
      if (s !== null) result.push(s);
    }
    return result;
  }

  /** Report every field that was never read as `unknown field`. Call after reading all known fields. */
  end(): void {
    const keys = this.obj.keys;
    for (let i = 0; i < keys.length; i++) {
      if (!this.seen.has(keys[i])) this.config.error(this.pathOf(keys[i]), "unknown field");
    }
  }
}

/** Reads the elements of one JSON array. */
export class ArrayReader {
  constructor(readonly config: Config, readonly arr: JSON.Arr, readonly path: string) {}

  get length(): i32 { return this.arr.valueOf().length; }

  pathAt(i: i32): string { return this.path + "[" + i.toString() + "]"; }

  /** Element `i` as an object (null and an error when it is not one). */
  object(i: i32): ObjectReader | null {
    const v = this.arr.valueOf()[i];
    if (!v.isObj) {
      this.config.error(this.pathAt(i), "expected object");
      return null;
    }
    return new ObjectReader(this.config, <JSON.Obj>v, this.pathAt(i));
  }

  /** Element `i` as a string (null and an error when it is not one). */
  string(i: i32): string | null {
    const v = this.arr.valueOf()[i];
    if (!v.isString) {
      this.config.error(this.pathAt(i), "expected string");
      return null;
    }
    return (<JSON.Str>v).valueOf();
  }

  /** Element `i` as a number (NaN and an error when it is not one). */
  number(i: i32): f64 {
    const v = this.arr.valueOf()[i];
    if (v.isInteger) return <f64>(<JSON.Integer>v).valueOf();
    if (v.isFloat) return (<JSON.Float>v).valueOf();
    this.config.error(this.pathAt(i), "expected number");
    return NaN;
  }
}

// Work around an AssemblyScript 0.17 compile-order problem: when assemblyscript-json's lazy globals are
// first compiled inside a virtual override (onConfigure), its decoder reads a wrong key and traps on
// every document. Parsing once at start-up (no hostcall) compiles and initialises them here first.
JSON.parse<Uint8Array>(Uint8Array.wrap(String.UTF8.encode("{}")));
