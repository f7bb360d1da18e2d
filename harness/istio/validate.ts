import { WasmPlugin, type IWasmPlugin } from '@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin';
import { EnvoyFilter, type IEnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter';
import { ConfigError } from '../errors.ts';

/** A Kubernetes object we render; validated before anyone sees it. */
export type Resource = IWasmPlugin | IEnvoyFilter | ConfigMap;

export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data: Record<string, string>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates against Istio's CRD schemas (the models of `@kubernetes-models/istio`),
 * plus the Kubernetes name rules the schemas leave to the API server.
 */
export function validateResource(resource: Resource): void {
  const name = resource.metadata?.name ?? '';
  const where = `${resource.kind} ${JSON.stringify(name)}`;
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) throw new ConfigError(`${where}: metadata.name must be a lower-case DNS name`);
  const namespace = resource.metadata?.namespace;
  if (namespace !== undefined && (!DNS_LABEL.test(namespace) || namespace.length > 63)) {
    throw new ConfigError(`${where}: metadata.namespace ${JSON.stringify(namespace)} must be a lower-case DNS label`);
  }
  try {
    if (resource.kind === 'WasmPlugin') new WasmPlugin(resource).validate();
    else if (resource.kind === 'EnvoyFilter') new EnvoyFilter(resource).validate();
    else if (Object.values(resource.data).some((v) => typeof v !== 'string')) throw new Error('data values must be strings');
  } catch (cause) {
    throw new ConfigError(`${where} fails Istio's schema: ${(cause as Error).message}`, undefined, { cause });
  }
}
