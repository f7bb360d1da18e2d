// Fault configuration validation: one bad case per field, named after the field. Each must be refused at
// load (onConfigure false → plugin refused) with a critical log line naming the JSON path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { badFaultConfigs as bad } from './bad-configs.ts';
import { builtMissing, configVerdict, repoRoot } from '../router/helpers.ts';

const example = JSON.parse(readFileSync(`${repoRoot}/filters/fault/example.json`, 'utf8'));

describe.skipIf(builtMissing('fault'))('fault configuration', () => {
  it('accepts the example configuration', async () => {
    expect(await configVerdict('fault', example)).toEqual({ ok: true });
  });
  it('accepts Envoy-style FractionalPercent, header control and gRPC aborts', async () => {
    expect(await configVerdict('fault', {
      delay: { headerDelay: {}, percentage: { numerator: 5, denominator: 'TEN_THOUSAND' } },
      abort: { grpcStatus: 14, percentage: { numerator: 100 } },
      method: ['GET', 'POST'],
    })).toEqual({ ok: true });
    expect(await configVerdict('fault', { abort: { headerAbort: {}, percentage: 100, body: '' }, maxActiveFaults: 0 })).toEqual({ ok: true });
  });
  it.each(bad)('%s', async (_name, config, expected) => {
    const verdict = await configVerdict('fault', config);
    expect(verdict.ok).toBe(false);
    const errors = verdict.ok ? [] : verdict.errors;
    expect(errors.join('\n')).toContain(`fault: invalid configuration: ${expected}`);
  });
});
