// The EnvoyFilter patches carry Envoy API messages: check them with Envoy's own protos (harness/envoy).
import { describe, expect, it } from 'vitest';
import { checkMessage, formatIssues } from '../../../harness/envoy/validate.ts';
import { renderEnvoyFilter, type PluginDeployment } from '../../../harness/istio/index.ts';

const deployment: PluginDeployment = {
  filter: 'demo',
  name: 'demo',
  namespace: 'shop',
  url: 'oci://registry.example.com/team/demo@sha256:' + 'ab'.repeat(32),
  sha256: 'ab'.repeat(32),
  failStrategy: 'FAIL_OPEN',
  pluginConfig: { header: 'x-demo' },
};

type Patch = { applyTo: string; patch: { value: Record<string, unknown> } };
const patchesOf = (localFile?: string) => renderEnvoyFilter(deployment, localFile ? { localFile } : {}).spec!.configPatches as unknown as Patch[];

describe('EnvoyFilter patch values against Envoy protos', () => {
  it('the EXTENSION_CONFIG value is a valid TypedExtensionConfig holding a Wasm filter', () => {
    const extension = patchesOf().find((p) => p.applyTo === 'EXTENSION_CONFIG')!;
    const issues = checkMessage('envoy.config.core.v3.TypedExtensionConfig', extension.patch.value);
    expect(formatIssues(issues)).toBe('');
  });

  it.each([[undefined], ['/var/local/wasm/demo.wasm']])('the HTTP_FILTER value is a valid HttpFilter (local file: %s)', (localFile) => {
    const httpFilter = patchesOf(localFile).find((p) => p.applyTo === 'HTTP_FILTER')!;
    const issues = checkMessage('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', httpFilter.patch.value);
    expect(formatIssues(issues)).toBe('');
  });

  it('would catch a broken Wasm config (the check is not vacuous)', () => {
    const extension = patchesOf().find((p) => p.applyTo === 'EXTENSION_CONFIG')!;
    const broken = structuredClone(extension.patch.value) as { typed_config: { config: Record<string, unknown> } };
    broken.typed_config.config.vm_config = { runtime: 'envoy.wasm.runtime.v8', code: { remote: { http_uri: { uri: 'x' } } } , bogus: 1 };
    expect(checkMessage('envoy.config.core.v3.TypedExtensionConfig', broken).length).toBeGreaterThan(0);
  });
});
