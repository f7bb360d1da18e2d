import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from '../errors.ts';

export type JsonSchema = Record<string, unknown>;

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${what} ${path}: cannot read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, undefined, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${what} ${path}: not valid JSON: ${(cause as Error).message}`, undefined, { cause });
  }
}

/**
 * Checks a plugin configuration against the filter's JSON Schema (`filters/<name>/schema.json`).
 * Throws ConfigError listing every violation as `<json path>: <message>`.
 */
export function validatePluginConfig(config: unknown, schema: JsonSchema, label: string): void {
  const draft2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
  const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(config)) return;
  const problems = (validate.errors ?? []).map(formatError);
  const unique = [...new Set(problems)];
  throw new ConfigError(`${label} does not match the filter's schema:\n  ${unique.join('\n  ')}`);
}

/** `/rules/2/match` → `rules[2].match`, the path style filters use in their own errors. */
function formatError(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  const where = path || '(root)';
  if (error.keyword === 'additionalProperties') return `${where}: unknown field ${JSON.stringify(error.params.additionalProperty)}`;
  if (error.keyword === 'enum') return `${where}: ${error.message} (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  return `${where}: ${error.message ?? error.keyword}`;
}
