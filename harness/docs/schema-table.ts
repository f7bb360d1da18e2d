/** Renders a filter's JSON Schema as the Markdown field table the README shows (one row per field path). */

interface Schema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  $ref?: string;
  definitions?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
}

interface Row {
  path: string;
  type: string;
  /** `required`, the default value, or an em dash. */
  fallback: string;
  description: string;
}

export function schemaTable(schema: Schema): string {
  const rows: Row[] = [];
  walk(schema, schema, '', rows, new Set());
  const lines = ['| Field | Type | Default | Description |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| \`${row.path}\` | ${row.type} | ${row.fallback} | ${row.description} |`);
  return lines.join('\n');
}

function resolve(root: Schema, node: Schema): Schema {
  if (!node.$ref) return node;
  const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(node.$ref);
  const target = match ? (match[1] === 'definitions' ? root.definitions : root.$defs)?.[match[2]!] : undefined;
  if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
  return { ...target, description: node.description ?? target.description, default: node.default ?? target.default };
}

function walk(root: Schema, node: Schema, prefix: string, rows: Row[], seen: Set<string>): void {
  const object = resolve(root, node);
  for (const [key, raw] of Object.entries(object.properties ?? {})) {
    const field = resolve(root, raw);
    const path = prefix ? `${prefix}.${key}` : key;
    const required = (object.required ?? []).includes(key);
    const fallback = field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : required ? 'required' : '—';
    rows.push({ path, type: describeType(root, field), fallback, description: escape(field.description ?? '') });
    const refKey = raw.$ref ?? (raw.items?.$ref ? `${raw.items.$ref}[]` : undefined);
    if (refKey && seen.has(refKey)) continue; // recursive definitions are listed once
    const nextSeen = refKey ? new Set([...seen, refKey]) : seen;
    if (field.properties) walk(root, field, path, rows, nextSeen);
    const items = field.items ? resolve(root, field.items) : undefined;
    if (items?.properties) walk(root, items, `${path}[]`, rows, nextSeen);
    for (const variant of [...(field.oneOf ?? []), ...(field.anyOf ?? [])]) {
      const resolved = resolve(root, variant);
      if (resolved.properties) walk(root, resolved, path, rows, nextSeen);
    }
  }
}

function describeType(root: Schema, field: Schema): string {
  const base = baseType(root, field);
  const limits: string[] = [];
  if (field.minimum !== undefined) limits.push(`≥ ${field.minimum}`);
  if (field.maximum !== undefined) limits.push(`≤ ${field.maximum}`);
  if (field.pattern) limits.push(`pattern \`\` ${escape(field.pattern)} \`\``);
  return limits.length > 0 ? `${base} (${limits.join(', ')})` : base;
}

function baseType(root: Schema, field: Schema): string {
  if (field.enum) return field.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (field.const !== undefined) return `\`${JSON.stringify(field.const)}\``;
  const variants = field.oneOf ?? field.anyOf;
  if (!field.type && variants) return [...new Set(variants.map((v) => describeType(root, resolve(root, v))))].join(' or ');
  const types = Array.isArray(field.type) ? field.type : field.type ? [field.type] : ['any'];
  return types
    .map((type) => {
      if (type !== 'array') return type;
      const items = field.items ? resolve(root, field.items) : undefined;
      return `array of ${items ? describeType(root, items) : 'any'}`;
    })
    .join(' or ');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
