// Renders a filter's schema.json as a Markdown field table (JSON path, type, default, description),
// the source of the "Configuration reference" sections in the filter READMEs; a drift test compares.
type Schema = {
  type?: string | string[]; description?: string; default?: unknown; properties?: Record<string, Schema>; items?: Schema;
  required?: string[]; $ref?: string; oneOf?: Schema[]; anyOf?: Schema[]; enum?: unknown[]; const?: unknown;
  minimum?: number; maximum?: number; pattern?: string; minItems?: number; minLength?: number; definitions?: Record<string, Schema>;
};

export const BEGIN = '<!-- BEGIN GENERATED from schema.json by test/filters/router/schema-doc.ts -->';
export const END = '<!-- END GENERATED -->';

function resolve(root: Schema, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/definitions/', '');
  return { ...root.definitions![name]!, description: s.description ?? root.definitions![name]!.description };
}

function typeOf(root: Schema, s0: Schema): string {
  const s = resolve(root, s0);
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.oneOf && !s.type && !s.properties) return s.oneOf.map((o) => typeOf(root, o)).join(' or ');
  let t = Array.isArray(s.type) ? s.type.join(' or ') : s.type ?? 'any';
  if (t === 'array' && s.items) t = `array of ${typeOf(root, s.items)}`;
  const range: string[] = [];
  if (s.minimum !== undefined) range.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) range.push(`≤ ${s.maximum}`);
  if (s.pattern) range.push(`pattern \`\` ${s.pattern.replace(/\|/g, '\\|')} \`\``);
  return range.length ? `${t} (${range.join(', ')})` : t;
}

function rows(root: Schema, s0: Schema, prefix: string, out: string[]): void {
  const s = resolve(root, s0);
  const objectish = s.properties ?? (s.oneOf?.find((o) => resolve(root, o).properties) ? resolve(root, s.oneOf!.find((o) => resolve(root, o).properties)!).properties : undefined);
  if (!objectish) return;
  const required = new Set(s.required ?? []);
  for (const [key, child0] of Object.entries(objectish)) {
    const child = resolve(root, child0);
    const path = prefix ? `${prefix}.${key}` : key;
    const def = child.default === undefined ? (required.has(key) ? 'required' : '—') : `\`${JSON.stringify(child.default)}\``;
    const desc = (child0.description ?? child.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    out.push(`| \`${path}\` | ${typeOf(root, child0)} | ${def} | ${desc} |`);
    if (child.type === 'array' && child.items) rows(root, child.items, `${path}[]`, out);
    else rows(root, child, path, out);
  }
}

export function renderSchemaTable(schema: Schema): string {
  const out = ['| Field | Type | Default | Description |', '|---|---|---|---|'];
  rows(schema, schema, '', out);
  return out.join('\n');
}

/** Replace the generated block of `markdown` with a fresh table. */
export function withGeneratedTable(markdown: string, schema: Schema): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error('generated-table markers missing');
  return `${markdown.slice(0, start + BEGIN.length)}\n${renderSchemaTable(schema)}\n${markdown.slice(end)}`;
}
