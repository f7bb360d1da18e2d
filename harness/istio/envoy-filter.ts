import type { IEnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter';
import type { PluginDeployment } from './wasm-plugin.ts';

export const WASM_FILTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm';
export const CONTEXTS = ['SIDECAR_INBOUND', 'SIDECAR_OUTBOUND', 'GATEWAY', 'ANY'] as const;
export type PatchContext = (typeof CONTEXTS)[number];

export interface EnvoyFilterOptions {
  /** Which listeners get the filter (default SIDECAR_INBOUND, where WasmPlugin puts it too). */
  context?: PatchContext;
  /**
   * Path of the module inside the proxy container (mounted volume): the filter is inlined
   * with `code.local`. Without it the module is fetched by the Istio agent through extension
   * config discovery (ECDS) with a `code.remote` OCI URL, as WasmPlugin does.
   */
  localFile?: string;
}

/**
 * `networking.istio.io/v1alpha3` EnvoyFilter equivalent to the WasmPlugin, for clusters without
 * WasmPlugin. Phases map to the patch position: AUTHN → first in the chain, AUTHZ → after
 * `istio_authn`, STATS → before `istio.stats`, none → before the router.
 */
export function renderEnvoyFilter(d: PluginDeployment, options: EnvoyFilterOptions = {}): IEnvoyFilter {
  const filterName = `${d.namespace ?? 'default'}.${d.name}`;
  const wasm = wasmFilterConfig(d, options.localFile);
  const position = patchPosition(d.phase);
  const httpFilterMatch = {
    context: options.context ?? 'SIDECAR_INBOUND',
    listener: {
      filterChain: {
        filter: {
          name: 'envoy.filters.network.http_connection_manager',
          ...(position.anchor ? { subFilter: { name: position.anchor } } : {}),
        },
      },
    },
  };
  const configPatches: NonNullable<IEnvoyFilter['spec']>['configPatches'] = [];
  if (options.localFile) {
    configPatches.push({
      applyTo: 'HTTP_FILTER',
      match: httpFilterMatch,
      patch: { operation: position.operation, value: { name: filterName, typed_config: wasm } },
    });
  } else {
    configPatches.push({
      applyTo: 'EXTENSION_CONFIG',
      patch: { operation: 'ADD', value: { name: filterName, typed_config: wasm } },
    });
    configPatches.push({
      applyTo: 'HTTP_FILTER',
      match: httpFilterMatch,
      patch: {
        operation: position.operation,
        value: {
          name: filterName,
          config_discovery: {
            config_source: { ads: {}, initial_fetch_timeout: '0s' },
            type_urls: [WASM_FILTER_TYPE],
          },
        },
      },
    });
  }
  const spec: NonNullable<IEnvoyFilter['spec']> = {};
  if (d.selector && Object.keys(d.selector).length > 0) spec.workloadSelector = { labels: d.selector };
  if (d.priority !== undefined) spec.priority = d.priority;
  spec.configPatches = configPatches;
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'asmesh' } },
    spec,
  };
}

/** envoy.extensions.filters.http.wasm.v3.Wasm with the plugin configuration as a JSON StringValue. */
function wasmFilterConfig(d: PluginDeployment, localFile: string | undefined): Record<string, unknown> {
  const code = localFile
    ? { local: { filename: localFile } }
    : {
        remote: {
          // Istio's agent downloads oci:// URLs itself and rewrites this to a local file; the cluster is never used.
          http_uri: { uri: d.url, cluster: '_', timeout: '30s' },
          ...(d.sha256 ? { sha256: d.sha256 } : {}),
        },
      };
  const config: Record<string, unknown> = {
    name: d.filter,
    root_id: d.filter,
    vm_config: { vm_id: d.filter, runtime: 'envoy.wasm.runtime.v8', code },
  };
  if (d.pluginConfig !== undefined) {
    config.configuration = { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: JSON.stringify(d.pluginConfig) };
  }
  if (d.failStrategy === 'FAIL_OPEN') config.fail_open = true;
  return { '@type': WASM_FILTER_TYPE, config };
}

function patchPosition(phase: PluginDeployment['phase']): { operation: 'INSERT_BEFORE' | 'INSERT_AFTER' | 'INSERT_FIRST'; anchor?: string } {
  switch (phase) {
    case 'AUTHN':
      return { operation: 'INSERT_FIRST' };
    case 'AUTHZ':
      return { operation: 'INSERT_AFTER', anchor: 'istio_authn' };
    case 'STATS':
      return { operation: 'INSERT_BEFORE', anchor: 'istio.stats' };
    default:
      return { operation: 'INSERT_BEFORE', anchor: 'envoy.filters.http.router' };
  }
}
