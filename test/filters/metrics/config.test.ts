/**
 * metrics configuration: schema.json and the filter's config.ts agree on the example and on bad configs; a refused
 * config logs the JSON path at critical; stats-tags.json covers every label of the example.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { metricsHost } from './helpers.ts';

const schema = JSON.parse(readFileSync('filters/metrics/schema.json', 'utf8')) as object;
const example = JSON.parse(readFileSync('filters/metrics/example.json', 'utf8')) as { extraLabels: { name: string }[] };
const statsTags = JSON.parse(readFileSync('filters/metrics/stats-tags.json', 'utf8')) as {
  stats_config: { stats_tags: { tag_name: string; regex: string }[] };
  example_stats_config: { stats_tags: { tag_name: string; regex: string }[] };
};
const validate = new Ajv({ allErrors: true }).compile(schema);

async function refusal(config: unknown): Promise<string[] | null> {
  try {
    const env = await metricsHost(config);
    env.dispose();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(PluginLoadError);
    return (e as PluginLoadError & { logs: (l: string) => string[] }).logs('critical');
  }
}

const extra = (e: Record<string, unknown>) => ({ extraLabels: [{ name: 'tenant', header: 'x-tenant', maxValues: 5, ...e }] });

/** [test name, config, message prefix with JSON path, whether the schema can express the error]. */
const BAD: [string, unknown, string, boolean][] = [
  ['rejects a prefix starting with a digit', { prefix: '9x_' }, 'prefix: expected', true],
  ['rejects an unknown standard label', { labels: ['pod_name'] }, 'labels[0]: unknown label "pod_name"', true],
  ['rejects destinationService pod', { destinationService: 'pod' }, 'destinationService: must be one of', true],
  ['rejects maxSeries 0', { maxSeries: 0 }, 'maxSeries: must be >= 1', true],
  ['rejects an unknown top-level field', { buckets: [1, 2] }, 'buckets: unknown field', true],
  ['rejects an extra label without header', { extraLabels: [{ name: 'tenant', maxValues: 3 }] }, 'extraLabels[0].header: is required', true],
  ['rejects an extra label with an upper-case name', extra({ name: 'Tenant' }), 'extraLabels[0].name: expected', true],
  ['rejects an extra label with both values and maxValues', extra({ values: ['a'] }), 'extraLabels[0]: set either values', true],
  ['rejects an extra label with neither values nor maxValues', { extraLabels: [{ name: 'tenant', header: 'x-tenant' }] },
    'extraLabels[0]: one of values', true],
  ['rejects maxValues 0', extra({ maxValues: 0 }), 'extraLabels[0].maxValues: must be >= 1', true],
  ['rejects maxValues above 1000', extra({ maxValues: 1001 }), 'extraLabels[0].maxValues: must be <= 1000', true],
  ['rejects an allow-listed value with "="', { extraLabels: [{ name: 'tenant', header: 'x-t', values: ['a=b'] }] },
    'extraLabels[0].values[0]: must be non-empty', true],
  ['rejects an extra label name that ends a standard label', extra({ name: 'code' }), 'extraLabels[0].name: "code" equals or ends', false],
  ['rejects an extra label name equal to a standard label', extra({ name: 'route_name' }), 'extraLabels[0].name: "route_name" equals or ends', false],
];

describe('metrics config', () => {
  it('accepts example.json (schema and filter agree)', async () => {
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(await refusal(example)).toBeNull();
  });

  it('accepts an empty object', async () => {
    expect(validate({})).toBe(true);
    expect(await refusal({})).toBeNull();
  });

  it('rejects text that is not JSON', async () => {
    expect((await refusal('prefix: x'))?.join('\n')).toContain('metrics: invalid configuration: invalid JSON');
  });

  for (const [name, config, message, schemaExpresses] of BAD) {
    it(name, async () => {
      const logs = await refusal(config);
      expect(logs, 'filter should refuse').not.toBeNull();
      expect(logs!.join('\n')).toContain(`metrics: invalid configuration: ${message}`);
      // Label-name overlap is a cross-field rule the schema cannot state.
      if (schemaExpresses) expect(validate(config), 'schema should reject too').toBe(false);
    });
  }

  it('stats-tags.json has one rule per standard label, in schema order, plus the example extra labels', () => {
    const standard = ((schema as { properties: { labels: { items: { enum: string[] } } } }).properties.labels.items.enum);
    expect(statsTags.stats_config.stats_tags.map((r) => r.tag_name)).toEqual(standard);
    expect(statsTags.example_stats_config.stats_tags.map((r) => r.tag_name)).toEqual([...standard, ...example.extraLabels.map((e) => e.name)]);
    for (const r of statsTags.example_stats_config.stats_tags) expect(r.regex).toBe(`(${r.tag_name}=\\.=(.*?);\\.;)`);
  });
});
