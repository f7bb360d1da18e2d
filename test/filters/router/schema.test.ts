// schema.json and config.ts must agree: the example and every bad configuration of config.test.ts get
// the same verdict from ajv (what the ship engineer validates Istio pluginConfig with) and from the
// filter's onConfigure — except the checks JSON Schema cannot express, listed here and asserted as such.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { badRouterConfigs } from './bad-configs.ts';
import { builtMissing, configVerdict, repoRoot } from './helpers.ts';

const schema = JSON.parse(readFileSync(`${repoRoot}/filters/router/schema.json`, 'utf8'));
const example = JSON.parse(readFileSync(`${repoRoot}/filters/router/example.json`, 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

/** Checks only config.ts makes (cross-field arithmetic and uniqueness). */
const loadTimeOnly = new Set([
  'rejects duplicate rule names',
  'rejects weights not summing to 100',
  'rejects a weight with three decimals',
]);

const parsed = badRouterConfigs.filter(([, c]) => typeof c !== 'string' || isJson(c));
function isJson(s: string): boolean { try { JSON.parse(s); return true; } catch { return false; } }
const asValue = (c: unknown) => (typeof c === 'string' ? JSON.parse(c) : c);

describe('router schema.json', () => {
  it('is a valid draft-07 schema that accepts the example', () => {
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });
  it.each(parsed.filter(([n]) => !loadTimeOnly.has(n)))('refuses like config.ts: %s', (_n, config) => {
    expect(validate(asValue(config))).toBe(false);
  });
  it.each(parsed.filter(([n]) => loadTimeOnly.has(n)))('accepts what only config.ts can refuse: %s', (_n, config) => {
    expect(validate(asValue(config))).toBe(true);
  });
});

describe.skipIf(builtMissing('router'))('router schema.json against the built filter', () => {
  const samples: [string, unknown][] = [
    ['the example', example],
    ['a minimal set rule', { rules: [{ name: 'a', action: { set: 'v1' } }] }],
    ['a sticky split with mirror', { rules: [{ name: 'a', action: { split: [{ value: 'x', weight: 50 }, { value: 'y', weight: 50 }], stickyBy: { header: 'x-user' } }, mirror: { cluster: 'c', percentage: 0.5 } }] }],
    ...parsed.filter(([n]) => !loadTimeOnly.has(n)).slice(0, 12).map(([n, c]) => [n, asValue(c)] as [string, unknown]),
  ];
  it.each(samples)('gives the same verdict as the filter: %s', async (_n, config) => {
    const filter = await configVerdict('router', config);
    expect(validate(config)).toBe(filter.ok);
  });
});
