/**
 * Checks a proto3 JSON value (as parsed from Envoy YAML/JSON) against a protobufjs message type, the way
 * Envoy's `MessageUtil::loadFromJson` + PGV `validate()` would: unknown fields, wrong types, bad enum names,
 * two members of one oneof, and `google.protobuf.Any` recursed into by its `@type`. Cheap PGV rules are
 * checked too (message.required, string.min_len, repeated.min_items, oneof required).
 * Returns the issues plus a normalised copy (proto field names, enum names, nulls dropped).
 */
import protobuf from 'protobufjs';

export interface ProtoIssue {
  /** Field path as the user wrote it, e.g. `static_resources.listeners[0].name`. */
  path: string;
  message: string;
}

export interface ProtoCheck {
  issues: ProtoIssue[];
  /** Normalised value; keys are proto field names; Any keeps `@type`. */
  value: unknown;
}

const TYPE_URL_PREFIX = 'type.googleapis.com/';
const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};
const DURATION = /^-?\d+(\.\d{1,9})?s$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Checks `json` as the message `typeName` (fully qualified, no leading dot). */
export function checkProtoJson(root: protobuf.Root, typeName: string, json: unknown, basePath = ''): ProtoCheck {
  const walker = new Walker(root);
  const value = walker.message(root.lookupType(typeName), json, basePath);
  return { issues: walker.issues, value };
}

/** Proto3 JSON name of a field: `vm_config` → `vmConfig`. */
export function jsonName(field: protobuf.Field): string {
  const explicit = (field.options as Record<string, unknown> | undefined)?.json_name;
  if (typeof explicit === 'string') return explicit;
  return field.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

class Walker {
  readonly issues: ProtoIssue[] = [];
  constructor(private readonly root: protobuf.Root) {}

  private fail(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  message(type: protobuf.Type, json: unknown, path: string): unknown {
    const special = this.wellKnown(type, json, path);
    if (special !== NOT_SPECIAL) return special;
    if (!isPlainObject(json)) return this.fail(path, `expected an object for ${type.fullName.slice(1)}, got ${describe(json)}`);
    const byName = fieldIndex(type);
    const out: Record<string, unknown> = {};
    const oneofSetBy = new Map<string, string>();
    const seen = new Map<string, string>();
    for (const [key, raw] of Object.entries(json)) {
      const keyPath = join(path, key);
      const field = byName.get(key);
      if (!field) {
        this.fail(keyPath, 'unknown field');
        continue;
      }
      const other = seen.get(field.name);
      if (other !== undefined) {
        this.fail(keyPath, `field set twice (also as "${other}")`);
        continue;
      }
      seen.set(field.name, key);
      if (raw === null) continue;
      if (field.partOf) {
        const by = oneofSetBy.get(field.partOf.name);
        if (by !== undefined) this.fail(keyPath, `oneof "${field.partOf.name}" is already set by "${by}"`);
        oneofSetBy.set(field.partOf.name, key);
      }
      const value = this.field(field, raw, keyPath);
      if (value !== undefined) out[field.name] = value;
    }
    this.checkRules(type, out, path, oneofSetBy);
    return out;
  }

  private field(field: protobuf.Field, raw: unknown, path: string): unknown {
    if (field instanceof protobuf.MapField) {
      if (!isPlainObject(raw)) return this.fail(path, `expected an object (map), got ${describe(raw)}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (field.keyType !== 'string') this.scalar(field.keyType, k, `${path}["${k}"]`, true);
        const value = this.single(field, v, `${path}["${k}"]`);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    if (field.repeated) {
      if (!Array.isArray(raw)) return this.fail(path, `expected a list, got ${describe(raw)}`);
      return raw.map((item, i) => this.single(field, item, `${path}[${i}]`));
    }
    return this.single(field, raw, path);
  }

  private single(field: protobuf.Field, raw: unknown, path: string): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, raw, path);
    if (resolved instanceof protobuf.Enum) return this.enumValue(resolved, raw, path);
    return this.scalar(field.type, raw, path, false);
  }

  private enumValue(type: protobuf.Enum, raw: unknown, path: string): unknown {
    if (typeof raw === 'string') {
      if (raw in type.values) return raw;
      return this.fail(path, `invalid value "${raw}" for enum ${type.fullName.slice(1)} (one of ${Object.keys(type.values).join(', ')})`);
    }
    if (typeof raw === 'number' && Number.isInteger(raw)) {
      const name = type.valuesById[raw];
      if (name !== undefined) return name;
      return this.fail(path, `invalid value ${raw} for enum ${type.fullName.slice(1)}`);
    }
    return this.fail(path, `expected an enum name of ${type.fullName.slice(1)}, got ${describe(raw)}`);
  }

  private scalar(kind: string, raw: unknown, path: string, quotedAllowedOnly: boolean): unknown {
    switch (kind) {
      case 'string':
        return typeof raw === 'string' ? raw : this.fail(path, `expected a string, got ${describe(raw)}`);
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        if (quotedAllowedOnly && (raw === 'true' || raw === 'false')) return raw === 'true';
        return this.fail(path, `expected true or false, got ${describe(raw)}`);
      case 'bytes':
        return typeof raw === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(raw) ? raw : this.fail(path, `expected base64 bytes, got ${describe(raw)}`);
      case 'double':
      case 'float':
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'string' && (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity' || (raw.trim() !== '' && !Number.isNaN(Number(raw))))) return Number(raw);
        return this.fail(path, `expected a number, got ${describe(raw)}`);
      default:
        return this.integer(kind, raw, path);
    }
  }

  private integer(kind: string, raw: unknown, path: string): unknown {
    let n: bigint;
    if (typeof raw === 'number' && Number.isInteger(raw)) n = BigInt(raw);
    else if (typeof raw === 'string' && /^-?\d+$/.test(raw)) n = BigInt(raw);
    else return this.fail(path, `expected an integer (${kind}), got ${describe(raw)}`);
    const unsigned = kind.startsWith('uint') || kind.startsWith('fixed');
    const bits = kind.endsWith('64') ? 64n : 32n;
    const min = unsigned ? 0n : -(1n << (bits - 1n));
    const max = unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (n < min || n > max) return this.fail(path, `${n} is out of range for ${kind}`);
    return bits === 64n ? (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString()) : Number(n);
  }

  /** Proto3 JSON mappings of the well-known types; NOT_SPECIAL for ordinary messages. */
  private wellKnown(type: protobuf.Type, json: unknown, path: string): unknown {
    const name = type.fullName;
    const wrapped = WRAPPERS[name];
    if (wrapped) return this.scalar(wrapped, json, path, false);
    switch (name) {
      case '.google.protobuf.Any':
        return this.any(json, path);
      case '.google.protobuf.Duration':
        return typeof json === 'string' && DURATION.test(json) ? json : this.fail(path, `expected a duration such as "1.5s", got ${describe(json)}`);
      case '.google.protobuf.Timestamp':
        return typeof json === 'string' && TIMESTAMP.test(json) ? json : this.fail(path, `expected an RFC 3339 timestamp, got ${describe(json)}`);
      case '.google.protobuf.FieldMask':
        return typeof json === 'string' ? json : this.fail(path, `expected a field mask string, got ${describe(json)}`);
      case '.google.protobuf.Struct':
        return isPlainObject(json) ? json : this.fail(path, `expected an object (Struct), got ${describe(json)}`);
      case '.google.protobuf.ListValue':
        return Array.isArray(json) ? json : this.fail(path, `expected a list (ListValue), got ${describe(json)}`);
      case '.google.protobuf.Value':
        return json;
      case '.google.protobuf.Empty':
        return isPlainObject(json) && Object.keys(json).length === 0 ? {} : this.fail(path, `expected {} (Empty), got ${describe(json)}`);
      default:
        return NOT_SPECIAL;
    }
  }

  private any(json: unknown, path: string): unknown {
    if (!isPlainObject(json)) return this.fail(path, `expected an object with "@type", got ${describe(json)}`);
    const url = json['@type'];
    if (url === undefined && Object.keys(json).length === 0) return {};
    if (typeof url !== 'string') return this.fail(join(path, '@type'), 'required: a type URL such as "type.googleapis.com/<message>"');
    const typeName = url.slice(url.lastIndexOf('/') + 1);
    const type = url.includes('/') ? this.root.lookup(typeName) : null;
    if (!(type instanceof protobuf.Type)) return this.fail(join(path, '@type'), `unknown type URL "${url}" (not in the Envoy API proto set)`);
    const { ['@type']: _drop, ...rest } = json;
    if (WRAPPERS[type.fullName] || SPECIAL_JSON.has(type.fullName)) {
      const extra = Object.keys(rest).filter((k) => k !== 'value');
      for (const k of extra) this.fail(join(path, k), 'unknown field');
      if (rest.value === undefined || rest.value === null) return { '@type': url };
      const value = this.message(type, rest.value ?? null, join(path, 'value'));
      return { '@type': url, value };
    }
    const value = this.message(type, rest, path);
    return isPlainObject(value) ? { '@type': url, ...value } : { '@type': url };
  }

  /** PGV numeric bounds (`(validate.rules).uint32.lte` …) on scalar fields. */
  private checkRange(rules: Record<string, unknown>, kind: string, value: unknown, path: string): void {
    if (!RANGE_KINDS.includes(kind) || (typeof value !== 'number' && typeof value !== 'string')) return;
    const v = Number(value);
    for (const [op, test] of Object.entries(RANGE_OPS)) {
      const bound = rules[`(validate.rules).${kind}.${op}`];
      if (typeof bound === 'number' && !test(v, bound)) this.fail(path, `value must be ${RANGE_WORDS[op]} ${bound}`);
    }
  }

  private checkRules(type: protobuf.Type, out: Record<string, unknown>, path: string, oneofSetBy: Map<string, string>): void {
    for (const field of type.fieldsArray) {
      const rules = (field.options ?? {}) as Record<string, unknown>;
      const value = out[field.name];
      const fieldPath = join(path, field.name);
      if (rules['(validate.rules).message.required'] === true && value === undefined && !field.partOf) this.fail(fieldPath, 'required field is missing');
      if (value !== undefined && !field.repeated) this.checkRange(rules, field.type, value, fieldPath);
      const minLen = rules['(validate.rules).string.min_len'];
      if (typeof minLen === 'number' && (!field.partOf || value !== undefined) && typeof (value ?? '') === 'string' && String(value ?? '').length < minLen)
        this.fail(fieldPath, `value length must be at least ${minLen} characters`);
      const minItems = rules['(validate.rules).repeated.min_items'];
      if (typeof minItems === 'number' && field.repeated && (Array.isArray(value) ? value.length : 0) < minItems)
        this.fail(fieldPath, `value must contain at least ${minItems} item(s)`);
    }
    for (const oneof of type.oneofsArray) {
      const required = (oneof.options as Record<string, unknown> | undefined)?.['(validate.required)'];
      if (required === true && !oneofSetBy.has(oneof.name)) this.fail(join(path, oneof.name), `one of ${oneof.oneof.join(', ')} is required`);
    }
  }
}

const RANGE_KINDS = ['uint32', 'int32', 'uint64', 'int64', 'double', 'float'];
const RANGE_OPS: Record<string, (v: number, bound: number) => boolean> = {
  lte: (v, b) => v <= b,
  lt: (v, b) => v < b,
  gte: (v, b) => v >= b,
  gt: (v, b) => v > b,
};
const RANGE_WORDS: Record<string, string> = { lte: 'less than or equal to', lt: 'less than', gte: 'greater than or equal to', gt: 'greater than' };

const NOT_SPECIAL = Symbol('not special');
const SPECIAL_JSON = new Set([
  '.google.protobuf.Duration',
  '.google.protobuf.Timestamp',
  '.google.protobuf.FieldMask',
  '.google.protobuf.Struct',
  '.google.protobuf.ListValue',
  '.google.protobuf.Value',
]);

const fieldIndexCache = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();
function fieldIndex(type: protobuf.Type): Map<string, protobuf.Field> {
  let index = fieldIndexCache.get(type);
  if (!index) {
    index = new Map();
    for (const field of type.fieldsArray) {
      index.set(field.name, field);
      index.set(jsonName(field), field);
    }
    fieldIndexCache.set(type, index);
  }
  return index;
}
