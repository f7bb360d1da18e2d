import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../errors.ts';
import { renderEnvoyFilter, type EnvoyFilterOptions } from './envoy-filter.ts';
import { readJsonFile, validatePluginConfig, type JsonSchema } from './plugin-config.ts';
import { filterStatsSettings } from './filter-stats.ts';
import { renderStats, type StatsManifests, type StatsSettings } from './stats.ts';
import { validateResource, type Resource } from './validate.ts';
import { renderWasmPlugin, type PluginDeployment } from './wasm-plugin.ts';

export interface ManifestOptions extends Omit<PluginDeployment, 'url' | 'name' | 'pluginConfig' | 'sha256'>, EnvoyFilterOptions {
  /** Image reference or URL: `registry/repo:tag`, `…@sha256:…`, `oci://…`, `https://…/plugin.wasm`. */
  image: string;
  name?: string;
  sha256?: string;
  /** Where `<filter>/schema.json` and `<filter>/istio-stats.json` live (default `filters`). */
  filtersDir?: string;
  /** Plugin configuration (parsed JSON), validated against the filter's schema. */
  pluginConfig?: unknown;
  /** Label for the configuration in errors (its file name). */
  pluginConfigLabel?: string;
  /** Render an EnvoyFilter instead of a WasmPlugin. */
  envoyFilter?: boolean;
  /** Metrics settings; default `<filtersDir>/<filter>/istio-stats.json` when it exists. */
  stats?: StatsSettings;
}

export interface RenderedManifests {
  resources: Resource[];
  stats?: StatsManifests;
  /** Multi-document YAML for `kubectl apply -f -`, with instructions as comments. */
  yaml: string;
}

const DIGEST = /@sha256:([0-9a-f]{64})$/;

/** Renders and validates (Istio CRD schemas, filter JSON Schema) everything needed to deploy one filter. */
export async function renderManifests(options: ManifestOptions): Promise<RenderedManifests> {
  const filtersDir = options.filtersDir ?? 'filters';
  const filterDir = join(filtersDir, options.filter);
  const pluginConfig = await checkedPluginConfig(options, filterDir);
  const url = imageUrl(options.image);
  const sha256 = imageSha256(options.image, options.sha256);
  const { pluginConfig: _raw, sha256: _sha, ...rest } = options;
  const deployment: PluginDeployment = {
    ...rest,
    name: options.name ?? options.filter,
    url,
    ...(sha256 ? { sha256 } : {}),
    ...(pluginConfig !== undefined ? { pluginConfig } : {}),
  };
  if (options.localFile && !options.envoyFilter) throw new ConfigError('--local-file only applies with --envoyfilter');
  const resources: Resource[] = [options.envoyFilter ? renderEnvoyFilter(deployment, options) : renderWasmPlugin(deployment)];
  const statsSettings = options.stats ?? (await filterStatsSettings(filterDir, pluginConfig));
  const stats = statsSettings ? renderStats(statsSettings, deployment.name, deployment.namespace) : undefined;
  if (stats?.configMap) resources.push(stats.configMap);
  for (const resource of resources) validateResource(resource);
  return { resources, ...(stats ? { stats } : {}), yaml: toYaml(resources, stats) };
}

async function checkedPluginConfig(options: ManifestOptions, filterDir: string): Promise<Record<string, unknown> | undefined> {
  const schemaPath = join(filterDir, 'schema.json');
  const label = options.pluginConfigLabel ?? 'plugin configuration';
  if (!existsSync(schemaPath)) {
    if (options.pluginConfig === undefined) return undefined;
    throw new ConfigError(`${schemaPath} not found: cannot validate ${label}`, `is ${JSON.stringify(options.filter)} a filter under ${options.filtersDir ?? 'filters'}/?`);
  }
  const schema = (await readJsonFile(schemaPath, 'schema')) as JsonSchema;
  if (options.pluginConfig === undefined) {
    try {
      validatePluginConfig({}, schema, 'an empty configuration');
    } catch {
      throw new ConfigError(`filter ${options.filter} needs a configuration`, `pass --config <file.json> (see ${schemaPath})`);
    }
    return undefined;
  }
  validatePluginConfig(options.pluginConfig, schema, label);
  if (typeof options.pluginConfig !== 'object' || options.pluginConfig === null || Array.isArray(options.pluginConfig)) {
    throw new ConfigError(`${label}: WasmPlugin pluginConfig must be a JSON object`);
  }
  return options.pluginConfig as Record<string, unknown>;
}

function imageUrl(image: string): string {
  if (/^(oci|https?|file):\/\//.test(image)) return image;
  if (image.includes('://')) throw new ConfigError(`--image ${JSON.stringify(image)}: scheme must be oci, http, https or file`);
  return `oci://${image}`;
}

function imageSha256(image: string, given: string | undefined): string | undefined {
  const fromRef = DIGEST.exec(image)?.[1];
  const flag = given?.replace(/^sha256:/, '');
  if (flag !== undefined && !/^[0-9a-f]{64}$/.test(flag)) throw new ConfigError(`--sha256 ${JSON.stringify(given)}: expected 64 hex digits`);
  if (fromRef && flag && fromRef !== flag) throw new ConfigError(`--sha256 does not match the digest in --image (${fromRef})`);
  return flag ?? fromRef;
}

/** YAML 1.1 output quotes `on`, `yes`, `no`…, which Kubernetes' YAML 1.1 parser would read as booleans. */
const YAML_OPTIONS = { version: '1.1', lineWidth: 0 } as const;

function toYaml(resources: Resource[], stats: StatsManifests | undefined): string {
  const docs = resources.map((r) => stringify(r, YAML_OPTIONS));
  let header = '';
  if (stats) {
    const annotations = stringify({ annotations: stats.podAnnotations }, YAML_OPTIONS).trimEnd().split('\n');
    header =
      '# The filter\'s metrics need Istio to keep them. Add to the pod template of each workload:\n' +
      annotations.map((l) => `#   ${l}`).join('\n') +
      '\n# or mesh-wide in meshConfig.defaultConfig: ' + stats.podAnnotations['proxy.istio.io/config'] + '\n';
  }
  return header + docs.join('---\n');
}
