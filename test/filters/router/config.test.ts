// Router configuration validation: one bad case per field, named after the field. Each must be refused
// at load (onConfigure false → plugin refused) with a critical log line naming the JSON path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { badRouterConfigs as bad } from './bad-configs.ts';
import { builtMissing, configVerdict, repoRoot } from './helpers.ts';

const example = JSON.parse(readFileSync(`${repoRoot}/filters/router/example.json`, 'utf8'));
describe.skipIf(builtMissing('router'))('router configuration', () => {
  it('accepts the example configuration', async () => {
    expect(await configVerdict('router', example)).toEqual({ ok: true });
  });
  it('accepts a minimal mirror-only rule and fractional weights', async () => {
    expect(await configVerdict('router', { rules: [{ name: 'm', mirror: { cluster: 'c' } }] })).toEqual({ ok: true });
    expect(await configVerdict('router', ({ rules: [{ name: 'r', action: { split: [{ value: 'a', weight: 99.5 }, { value: 'b', weight: 0.5 }] } }] }))).toEqual({ ok: true });
  });
  it.each(bad)('%s', async (_name, config, expected) => {
    const verdict = await configVerdict('router', config);
    expect(verdict.ok).toBe(false);
    const errors = verdict.ok ? [] : verdict.errors;
    expect(errors.join('\n')).toContain(`router: invalid configuration: ${expected}`);
  });
});
