import { ConfigError } from '../errors.ts';
import type { ConfigMap } from './validate.ts';

/**
 * What a filter's custom metrics need from Istio, read from `filters/<name>/istio-stats.json`
 * (or `--stats <file>`):
 * ```json
 * { "inclusionPrefixes": ["wasmcustom.asmesh_"],
 *   "inclusionRegexps": [],
 *   "statsTags": [{ "tagName": "route", "regex": "^wasmcustom\\.asmesh_requests\\.(route\\.(.+?))\\." }] }
 * ```
 * Wasm metrics are named `wasmcustom.<name>` in Envoy; Istio's bootstrap only creates stats that
 * match its inclusion list, and `stats_tags` turn name segments into Prometheus labels.
 */
export interface StatsSettings {
  inclusionPrefixes?: string[];
  inclusionRegexps?: string[];
  inclusionSuffixes?: string[];
  statsTags?: { tagName: string; regex: string }[];
  /** `ProxyConfig.extraStatTags`: tag names Istio's bootstrap extracts with its `(<tag>=\\.=(.*?);\\.;)` rule. */
  extraStatTags?: string[];
}

export interface StatsManifests {
  /** `ProxyConfig.proxyStatsMatcher`: for `meshConfig.defaultConfig` or the `proxy.istio.io/config` annotation. */
  proxyStatsMatcher: Record<string, string[]>;
  /** `ProxyConfig.extraStatTags`, when asked for. */
  extraStatTags?: string[];
  /** Pod template annotations that apply both settings to one workload. */
  podAnnotations: Record<string, string>;
  /** Bootstrap override holding `stats_config.stats_tags`, when tags are asked for. */
  configMap?: ConfigMap;
}

export function parseStatsSettings(value: unknown, label: string): StatsSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${label}: expected a JSON object`);
  const v = value as Record<string, unknown>;
  const known = ['inclusionPrefixes', 'inclusionRegexps', 'inclusionSuffixes', 'statsTags', 'extraStatTags'];
  for (const key of Object.keys(v)) if (!known.includes(key)) throw new ConfigError(`${label}: ${key}: unknown field (known: ${known.join(', ')})`);
  const settings: StatsSettings = {};
  for (const key of ['inclusionPrefixes', 'inclusionRegexps', 'inclusionSuffixes', 'extraStatTags'] as const) {
    if (v[key] === undefined) continue;
    const list = v[key];
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === '')) throw new ConfigError(`${label}: ${key}: expected an array of non-empty strings`);
    if (key === 'inclusionRegexps') list.forEach((re, i) => checkRegex(re as string, `${label}: ${key}[${i}]`));
    settings[key] = list as string[];
  }
  if (v.statsTags !== undefined) {
    if (!Array.isArray(v.statsTags)) throw new ConfigError(`${label}: statsTags: expected an array`);
    settings.statsTags = v.statsTags.map((tag: unknown, i) => {
      const t = tag as Record<string, unknown>;
      if (typeof t?.tagName !== 'string' || t.tagName === '') throw new ConfigError(`${label}: statsTags[${i}].tagName: expected a non-empty string`);
      if (typeof t.regex !== 'string') throw new ConfigError(`${label}: statsTags[${i}].regex: expected a string`);
      checkRegex(t.regex, `${label}: statsTags[${i}].regex`);
      if (!/\(/.test(t.regex)) throw new ConfigError(`${label}: statsTags[${i}].regex: needs a capture group (the part removed from the name)`);
      return { tagName: t.tagName, regex: t.regex };
    });
  }
  if (!settings.inclusionPrefixes && !settings.inclusionRegexps && !settings.inclusionSuffixes) {
    throw new ConfigError(`${label}: give at least one of inclusionPrefixes, inclusionRegexps, inclusionSuffixes`);
  }
  return settings;
}

function checkRegex(source: string, label: string): void {
  try {
    new RegExp(source);
  } catch (cause) {
    throw new ConfigError(`${label}: not a regular expression: ${JSON.stringify(source)}`, undefined, { cause });
  }
}

export function renderStats(settings: StatsSettings, name: string, namespace?: string): StatsManifests {
  const proxyStatsMatcher: Record<string, string[]> = {};
  if (settings.inclusionPrefixes) proxyStatsMatcher.inclusionPrefixes = settings.inclusionPrefixes;
  if (settings.inclusionSuffixes) proxyStatsMatcher.inclusionSuffixes = settings.inclusionSuffixes;
  if (settings.inclusionRegexps) proxyStatsMatcher.inclusionRegexps = settings.inclusionRegexps;
  const proxyConfig: Record<string, unknown> = { proxyStatsMatcher };
  if (settings.extraStatTags?.length) proxyConfig.extraStatTags = settings.extraStatTags;
  const podAnnotations: Record<string, string> = { 'proxy.istio.io/config': JSON.stringify(proxyConfig) };
  const result: StatsManifests = { proxyStatsMatcher, podAnnotations };
  if (settings.extraStatTags?.length) result.extraStatTags = settings.extraStatTags;
  if (settings.statsTags && settings.statsTags.length > 0) {
    const configMapName = `${name}-stats-bootstrap`;
    const bootstrap = { stats_config: { stats_tags: settings.statsTags.map((t) => ({ tag_name: t.tagName, regex: t.regex })) } };
    result.configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'asmesh' } },
      data: { 'custom_bootstrap.json': JSON.stringify(bootstrap, null, 2) + '\n' },
    };
    podAnnotations['sidecar.istio.io/bootstrapOverride'] = configMapName;
  }
  return result;
}
