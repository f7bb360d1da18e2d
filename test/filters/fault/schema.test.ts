// schema.json and config.ts must agree (see test/filters/router/schema.test.ts for the rationale).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { badFaultConfigs } from './bad-configs.ts';
import { builtMissing, configVerdict, repoRoot } from '../router/helpers.ts';

const schema = JSON.parse(readFileSync(`${repoRoot}/filters/fault/schema.json`, 'utf8'));
const example = JSON.parse(readFileSync(`${repoRoot}/filters/fault/example.json`, 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

function isJson(s: string): boolean { try { JSON.parse(s); return true; } catch { return false; } }
const parsed = badFaultConfigs.filter(([, c]) => typeof c !== 'string' || isJson(c));

describe('fault schema.json', () => {
  it('is a valid draft-07 schema that accepts the example', () => {
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });
  it.each(parsed)('refuses like config.ts: %s', (_n, config) => {
    expect(validate(config)).toBe(false);
  });
});

describe.skipIf(builtMissing('fault'))('fault schema.json against the built filter', () => {
  const samples: [string, unknown][] = [
    ['the example', example],
    ['header control with FractionalPercent', { delay: { headerDelay: {}, percentage: { numerator: 1, denominator: 'MILLION' } }, abort: { headerAbort: {}, percentage: 50 } }],
    ['a gRPC abort', { abort: { grpcStatus: 14, percentage: 100 } }],
    ...parsed.slice(0, 14).map(([n, c]) => [n, c] as [string, unknown]),
  ];
  it.each(samples)('gives the same verdict as the filter: %s', async (_n, config) => {
    const filter = await configVerdict('fault', config);
    expect(validate(config)).toBe(filter.ok);
  });
});
