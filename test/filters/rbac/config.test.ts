/**
 * rbac configuration: schema.json and the filter's config.ts must agree on the example and on bad configs;
 * a refused config logs the JSON path of the offending field at critical.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { rbacHost } from './helpers.ts';

const schema = JSON.parse(readFileSync('filters/rbac/schema.json', 'utf8')) as object;
const example = JSON.parse(readFileSync('filters/rbac/example.json', 'utf8')) as unknown;
const validate = new Ajv({ allErrors: true }).compile(schema);

/** Load `config`; return the critical log lines if the plugin was refused, null if it loaded. */
async function refusal(config: unknown): Promise<string[] | null> {
  try {
    const env = await rbacHost(config);
    env.dispose();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(PluginLoadError);
    return (e as PluginLoadError & { logs: (l: string) => string[] }).logs('critical');
  }
}

const policy = (p: Record<string, unknown>) => ({ policies: [{ name: 'p', ...p }] });
const rule = (r: Record<string, unknown>) => policy({ rules: [r] });

/** [test name, config, JSON path the log must name, whether the schema can express the error]. */
const BAD: [string, unknown, string, boolean][] = [
  ['rejects policies that is not an array', { policies: {} }, 'policies: expected array', true],
  ['rejects a policy without name', { policies: [{ action: 'DENY' }] }, 'policies[0].name: is required', true],
  ['rejects a policy name with a dot', { policies: [{ name: 'a.b' }] }, 'policies[0].name:', true],
  ['rejects the CUSTOM action', policy({ action: 'CUSTOM' }), 'policies[0].action: must be one of', true],
  ['rejects an unknown policy field', policy({ rule: [] }), 'policies[0].rule: unknown field', true],
  ['rejects an unknown top-level field', { policies: [], dryrun: true }, 'dryrun: unknown field', true],
  ['rejects an invalid IPv4 CIDR in ipBlocks', rule({ from: [{ source: { ipBlocks: ['10.0.0.300'] } }] }),
    'policies[0].rules[0].from[0].source.ipBlocks[0]: invalid IP address or CIDR', true],
  ['rejects an IPv6 prefix longer than 128', rule({ from: [{ source: { notIpBlocks: ['fd00::/129'] } }] }),
    'policies[0].rules[0].from[0].source.notIpBlocks[0]: invalid IP address or CIDR', true],
  ['rejects a wildcard in the middle of principals', rule({ from: [{ source: { principals: ['a*b'] } }] }),
    'policies[0].rules[0].from[0].source.principals[0]:', true],
  ['rejects an empty source', rule({ from: [{ source: {} }] }), 'policies[0].rules[0].from[0].source: must not be empty', true],
  ['rejects an empty operation', rule({ to: [{ operation: {} }] }), 'policies[0].rules[0].to[0].operation: must not be empty', true],
  ['rejects a non-numeric port', rule({ to: [{ operation: { ports: ['http'] } }] }), 'policies[0].rules[0].to[0].operation.ports[0]:', true],
  ['rejects a path without leading slash', rule({ to: [{ operation: { paths: ['admin'] } }] }), 'policies[0].rules[0].to[0].operation.paths:', true],
  ['rejects an unsupported when key', rule({ when: [{ key: 'request.auth.claims[iss]', values: ['x'] }] }),
    'policies[0].rules[0].when[0].key: unsupported key', true],
  ['rejects a when condition without values', rule({ when: [{ key: 'source.ip' }] }),
    'policies[0].rules[0].when[0]: at least one of values or notValues', true],
  ['rejects encodedSlashes KEEP', { encodedSlashes: 'KEEP' }, 'encodedSlashes: must be one of', true],
  ['rejects a negative xffNumTrustedHops', { xffNumTrustedHops: -1 }, 'xffNumTrustedHops: must be >= 0', true],
  ['rejects duplicate policy names', { policies: [{ name: 'a' }, { name: 'a' }] }, 'policies[1].name: duplicate policy name', false],
  ['rejects an invalid CIDR in a when source.ip', rule({ when: [{ key: 'source.ip', values: ['1.2.3'] }] }),
    'policies[0].rules[0].when[0].values[0]: invalid IP address or CIDR', false],
];

describe('rbac config', () => {
  it('accepts example.json (schema and filter agree)', async () => {
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(await refusal(example)).toBeNull();
  });

  it('accepts an empty configuration object (no policies)', async () => {
    expect(validate({})).toBe(true);
    expect(await refusal({})).toBeNull();
  });

  it('rejects a configuration that is not JSON', async () => {
    const logs = await refusal('{"policies": [');
    expect(logs?.join('\n')).toContain('rbac: invalid configuration: invalid JSON');
  });

  for (const [name, config, path, schemaExpresses] of BAD) {
    it(name, async () => {
      const logs = await refusal(config);
      expect(logs, 'filter should refuse').not.toBeNull();
      expect(logs!.join('\n')).toContain(`rbac: invalid configuration: ${path}`);
      // The schema can not express uniqueness or CIDR checks inside `when`; everywhere else it must agree.
      if (schemaExpresses) expect(validate(config), 'schema should reject too').toBe(false);
    });
  }
});
