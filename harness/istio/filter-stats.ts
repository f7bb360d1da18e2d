import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { readJsonFile } from './plugin-config.ts';
import { parseStatsSettings, type StatsSettings } from './stats.ts';

/**
 * The metrics settings a filter ships, if any:
 * - `filters/<name>/istio-stats.json` in the `StatsSettings` form, or
 * - `filters/<name>/stats-tags.json` with an `istio.proxyConfig` object (`proxyStatsMatcher`, `extraStatTags`),
 *   the form the metrics filter publishes. Its `extraStatTags` is joined with the names of the configuration's
 *   `extraLabels`, and a configured `prefix` replaces the default `asmesh_` in the inclusion regexps.
 */
export async function filterStatsSettings(filterDir: string, pluginConfig: unknown): Promise<StatsSettings | undefined> {
  const own = join(filterDir, 'istio-stats.json');
  if (existsSync(own)) return parseStatsSettings(await readJsonFile(own, 'stats settings'), own);
  const published = join(filterDir, 'stats-tags.json');
  if (!existsSync(published)) return undefined;
  const file = (await readJsonFile(published, 'stats settings')) as { istio?: { proxyConfig?: Record<string, unknown> } };
  const proxyConfig = file.istio?.proxyConfig;
  if (!proxyConfig) throw new ConfigError(`${published}: istio.proxyConfig missing`);
  const matcher = (proxyConfig.proxyStatsMatcher ?? {}) as Record<string, unknown>;
  const config = (typeof pluginConfig === 'object' && pluginConfig !== null ? pluginConfig : {}) as { prefix?: unknown; extraLabels?: unknown };
  const prefix = typeof config.prefix === 'string' ? config.prefix : undefined;
  const regexps = Array.isArray(matcher.inclusionRegexps)
    ? (matcher.inclusionRegexps as string[]).map((re) => (prefix ? re.split('asmesh_').join(escapeRegex(prefix)) : re))
    : undefined;
  const labels = Array.isArray(config.extraLabels) ? config.extraLabels.map((l: { name?: unknown }) => l?.name).filter((n): n is string => typeof n === 'string') : [];
  const tags = [...new Set([...((proxyConfig.extraStatTags as string[] | undefined) ?? []), ...labels])];
  return parseStatsSettings(
    {
      ...(matcher.inclusionPrefixes ? { inclusionPrefixes: matcher.inclusionPrefixes } : {}),
      ...(matcher.inclusionSuffixes ? { inclusionSuffixes: matcher.inclusionSuffixes } : {}),
      ...(regexps ? { inclusionRegexps: regexps } : {}),
      ...(tags.length ? { extraStatTags: tags } : {}),
    },
    `${published} istio.proxyConfig`,
  );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
