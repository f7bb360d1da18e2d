import type { IWasmPlugin } from '@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin';

export const PHASES = ['AUTHN', 'AUTHZ', 'STATS'] as const;
export type Phase = (typeof PHASES)[number];
export const FAIL_STRATEGIES = ['FAIL_CLOSE', 'FAIL_OPEN'] as const;
export type FailStrategy = (typeof FAIL_STRATEGIES)[number];
export const PULL_POLICIES = ['IfNotPresent', 'Always'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

/** Everything a WasmPlugin or EnvoyFilter for one asmesh filter needs. */
export interface PluginDeployment {
  /** Filter name; also the root id the module registers and the plugin name Envoy sees. */
  filter: string;
  /** Resource name (default: the filter name). */
  name: string;
  namespace?: string;
  /** `oci://registry/repo[:tag][@sha256:…]` */
  url: string;
  /** Manifest digest hex Istio verifies after pulling. */
  sha256?: string;
  selector?: Record<string, string>;
  phase?: Phase;
  priority?: number;
  failStrategy?: FailStrategy;
  imagePullPolicy?: PullPolicy;
  imagePullSecret?: string;
  /** Validated plugin configuration (JSON object), handed to the plugin as a JSON string. */
  pluginConfig?: Record<string, unknown>;
}

/** `extensions.istio.io/v1alpha1` WasmPlugin; fields in the order of Istio's reference. */
export function renderWasmPlugin(d: PluginDeployment): IWasmPlugin {
  const spec: NonNullable<IWasmPlugin['spec']> = {};
  if (d.selector && Object.keys(d.selector).length > 0) spec.selector = { matchLabels: d.selector };
  spec.url = d.url;
  if (d.sha256) spec.sha256 = d.sha256;
  if (d.imagePullPolicy) spec.imagePullPolicy = d.imagePullPolicy;
  if (d.imagePullSecret) spec.imagePullSecret = d.imagePullSecret;
  if (d.phase) spec.phase = d.phase;
  if (d.priority !== undefined) spec.priority = d.priority;
  if (d.failStrategy) (spec as Record<string, unknown>).failStrategy = d.failStrategy;
  spec.pluginName = d.filter;
  if (d.pluginConfig !== undefined) spec.pluginConfig = d.pluginConfig;
  return {
    apiVersion: 'extensions.istio.io/v1alpha1',
    kind: 'WasmPlugin',
    metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'asmesh' } },
    spec,
  };
}
