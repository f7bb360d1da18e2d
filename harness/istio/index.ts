/** Istio manifests for an asmesh filter: WasmPlugin, EnvoyFilter, and the stats settings metrics need. */
export { renderManifests, type ManifestOptions, type RenderedManifests } from './render.ts';
export { renderWasmPlugin, PHASES, FAIL_STRATEGIES, PULL_POLICIES, type PluginDeployment, type Phase, type FailStrategy, type PullPolicy } from './wasm-plugin.ts';
export { renderEnvoyFilter, CONTEXTS, WASM_FILTER_TYPE, type EnvoyFilterOptions, type PatchContext } from './envoy-filter.ts';
export { filterStatsSettings } from './filter-stats.ts';
export { parseStatsSettings, renderStats, type StatsSettings, type StatsManifests } from './stats.ts';
export { validatePluginConfig, readJsonFile, type JsonSchema } from './plugin-config.ts';
export { validateResource, type Resource, type ConfigMap } from './validate.ts';
