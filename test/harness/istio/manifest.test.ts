import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../../../harness/errors.ts';
import { renderManifests, validateResource, type ManifestOptions } from '../../../harness/istio/index.ts';
import { runShipCommand } from '../oci/cli-helper.ts';
import { expectGolden, FIXTURES } from './golden.ts';

const filtersDir = join(FIXTURES, 'filters');
const DIGEST = 'sha256:' + '4f'.repeat(32);
const config = JSON.parse(readFileSync(join(filtersDir, 'demo', 'config.json'), 'utf8'));
const base: ManifestOptions = {
  filter: 'demo',
  image: `registry.example.com/team/demo@${DIGEST}`,
  filtersDir,
  namespace: 'shop',
  selector: { app: 'checkout' },
  pluginConfig: config,
};

describe('WasmPlugin rendering', () => {
  it('renders url, sha256, phase, priority, pull settings and the validated pluginConfig (golden)', async () => {
    const rendered = await renderManifests({
      ...base, phase: 'AUTHZ', priority: 10, failStrategy: 'FAIL_OPEN', imagePullPolicy: 'IfNotPresent', imagePullSecret: 'regcred',
    });
    expectGolden(rendered.yaml, 'wasmplugin-demo.yaml');
    const [doc] = parseAllDocuments(rendered.yaml).map((d) => d.toJS());
    expect(doc.apiVersion).toBe('extensions.istio.io/v1alpha1');
    expect(doc.spec.url).toBe(`oci://registry.example.com/team/demo@${DIGEST}`);
    expect(doc.spec.sha256).toBe('4f'.repeat(32));
    expect(doc.spec.pluginName).toBe('demo');
    expect(doc.spec.pluginConfig).toEqual(config);
  });

  it('quotes strings a YAML 1.1 parser (kubectl) would read as booleans', async () => {
    const rendered = await renderManifests(base);
    expect(rendered.yaml).toMatch(/^    value: "on"$/m);
  });

  it('omits sha256 for a tag reference without --sha256', async () => {
    const rendered = await renderManifests({ ...base, image: 'oci://registry.example.com/team/demo:1.0' });
    expect(rendered.resources[0]).not.toHaveProperty('spec.sha256');
  });
});

describe('EnvoyFilter rendering', () => {
  it('fetches the image through extension config discovery by default (golden)', async () => {
    const rendered = await renderManifests({ ...base, envoyFilter: true, failStrategy: 'FAIL_OPEN' });
    expectGolden(rendered.yaml, 'envoyfilter-demo-ecds.yaml');
    const [doc] = parseAllDocuments(rendered.yaml).map((d) => d.toJS());
    const [extension, httpFilter] = doc.spec.configPatches;
    expect(extension.applyTo).toBe('EXTENSION_CONFIG');
    const wasm = extension.patch.value.typed_config.config;
    expect(wasm.vm_config.code.remote).toMatchObject({ http_uri: { uri: base.image.replace(/^/, 'oci://') }, sha256: '4f'.repeat(32) });
    expect(JSON.parse(wasm.configuration.value)).toEqual(config);
    expect(httpFilter.patch.value.config_discovery.type_urls).toEqual(['type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm']);
    expect(httpFilter.patch.value.name).toBe(extension.patch.value.name);
  });

  it('inlines a local module file for sidecars with a mounted volume (golden)', async () => {
    const rendered = await renderManifests({ ...base, envoyFilter: true, localFile: '/var/local/wasm/demo.wasm', phase: 'STATS', context: 'SIDECAR_OUTBOUND' });
    expectGolden(rendered.yaml, 'envoyfilter-demo-local.yaml');
    const [doc] = parseAllDocuments(rendered.yaml).map((d) => d.toJS());
    expect(doc.spec.configPatches).toHaveLength(1);
    expect(doc.spec.configPatches[0].match.context).toBe('SIDECAR_OUTBOUND');
    expect(doc.spec.configPatches[0].patch.value.typed_config.config.vm_config.code).toEqual({ local: { filename: '/var/local/wasm/demo.wasm' } });
  });
});

describe('metrics settings', () => {
  it('renders proxyStatsMatcher annotations and a stats_tags bootstrap ConfigMap from istio-stats.json (golden)', async () => {
    const rendered = await renderManifests({ filter: 'demo-metrics', image: `registry.example.com/team/metrics@${DIGEST}`, filtersDir, namespace: 'shop' });
    expectGolden(rendered.yaml, 'wasmplugin-demo-metrics.yaml');
    expect(rendered.stats?.proxyStatsMatcher).toEqual({ inclusionPrefixes: ['wasmcustom.asmesh_'] });
    expect(rendered.stats?.podAnnotations['sidecar.istio.io/bootstrapOverride']).toBe('demo-metrics-stats-bootstrap');
    const docs = parseAllDocuments(rendered.yaml).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['WasmPlugin', 'ConfigMap']);
    const bootstrap = JSON.parse(docs[1].data['custom_bootstrap.json']);
    expect(bootstrap.stats_config.stats_tags[0].tag_name).toBe('route');
  });

  it('rejects a stats settings file with a bad regex', async () => {
    const { parseStatsSettings } = await import('../../../harness/istio/index.ts');
    expect(() => parseStatsSettings({ inclusionRegexps: ['('] }, 'stats.json')).toThrow(/inclusionRegexps\[0\]: not a regular expression/);
    expect(() => parseStatsSettings({ statsTags: [] }, 'stats.json')).toThrow(/at least one of/);
    expect(() => parseStatsSettings({ inclusionPrefixes: ['x'], extra: 1 }, 'stats.json')).toThrow(/extra: unknown field/);
  });
});

describe('metrics settings published as stats-tags.json', () => {
  it('joins extraStatTags with the configured extraLabels and applies the configured prefix (golden)', async () => {
    const pluginConfig = { prefix: 'shop.v1_', extraLabels: [{ name: 'tenant', header: 'x-tenant' }, { name: 'route_name' }] };
    const rendered = await renderManifests({ filter: 'demo-published', image: `registry.example.com/team/metrics@${DIGEST}`, filtersDir, pluginConfig });
    expectGolden(rendered.yaml, 'wasmplugin-demo-published.yaml');
    expect(rendered.stats?.extraStatTags).toEqual(['request_method', 'route_name', 'tenant']);
    expect(rendered.stats?.proxyStatsMatcher).toEqual({ inclusionRegexps: ['.*shop\\.v1_(requests_total|request_bytes)$'] });
    expect(JSON.parse(rendered.stats!.podAnnotations['proxy.istio.io/config']!)).toEqual({
      proxyStatsMatcher: { inclusionRegexps: ['.*shop\\.v1_(requests_total|request_bytes)$'] },
      extraStatTags: ['request_method', 'route_name', 'tenant'],
    });
    expect(rendered.resources.map((r) => r.kind)).toEqual(['WasmPlugin']);
  });
});

const metricsExample = join('filters', 'metrics', 'example.json');
const hasMetrics = existsSync(join('filters', 'metrics', 'stats-tags.json')) && existsSync(metricsExample) && existsSync(join('filters', 'metrics', 'schema.json'));
if (!hasMetrics) console.warn('filters/metrics has no stats-tags.json/example.json/schema.json yet: skipping its Istio stats check');
describe.skipIf(!hasMetrics)(`the metrics filter's Istio stats settings${hasMetrics ? '' : ' (skipped: filters/metrics incomplete)'}`, () => {
  it('includes its stats and declares its labels as extraStatTags', async () => {
    const example = JSON.parse(readFileSync(metricsExample, 'utf8'));
    const rendered = await renderManifests({ filter: 'metrics', image: `registry.example.com/asmesh/metrics@${DIGEST}`, pluginConfig: example });
    expect(rendered.stats?.proxyStatsMatcher).toBeDefined();
    for (const label of (example.extraLabels ?? []) as { name: string }[]) expect(rendered.stats?.extraStatTags).toContain(label.name);
    expect(rendered.yaml).toContain('proxy.istio.io/config');
  });
});

describe('validation failures', () => {
  it('rejects a plugin configuration that breaks the schema, naming each field', async () => {
    const bad = { header: '', rules: [{ prefix: '/x', status: 99 }, { status: 200 }], extra: true };
    const error = await renderManifests({ ...base, pluginConfig: bad, pluginConfigLabel: 'bad.json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('bad.json does not match');
    expect(message).toContain('(root): unknown field "extra"');
    expect(message).toContain('header: must NOT have fewer than 1 characters');
    expect(message).toContain('rules[0].status: must be >= 200');
    expect(message).toContain("rules[1]: must have required property 'prefix'");
  });

  it('asks for --config when the schema needs one', async () => {
    const { pluginConfig: _omit, ...noConfig } = base;
    await expect(renderManifests(noConfig)).rejects.toThrow(/needs a configuration/);
  });

  it('rejects a configuration for a filter without a schema', async () => {
    await expect(renderManifests({ ...base, filter: 'nope' })).rejects.toThrow(/schema\.json not found/);
  });

  it('rejects a --sha256 that differs from the digest in --image', async () => {
    await expect(renderManifests({ ...base, sha256: 'ab'.repeat(32) })).rejects.toThrow(/does not match the digest/);
  });

  it('rejects a namespace that is not a DNS label', async () => {
    await expect(renderManifests({ ...base, namespace: 'Shop_NS' })).rejects.toThrow(/metadata\.namespace/);
  });

  it("rejects a WasmPlugin that breaks Istio's CRD schema", () => {
    const broken = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'x' }, spec: { url: 'oci://a/b', phase: 'LATE' } } as never;
    expect(() => validateResource(broken)).toThrow(/fails Istio's schema: .*phase/);
  });

  it("rejects an EnvoyFilter that breaks Istio's CRD schema", () => {
    const broken = { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'x' }, spec: { configPatches: [{ applyTo: 'NOWHERE' }] } } as never;
    expect(() => validateResource(broken)).toThrow(/fails Istio's schema/);
  });

  it('refuses --local-file without --envoyfilter', async () => {
    await expect(renderManifests({ ...base, localFile: '/x.wasm' })).rejects.toThrow(/--envoyfilter/);
  });
});

describe('asmesh manifest', () => {
  it('prints the WasmPlugin YAML for kubectl apply', async () => {
    const { stdout, error } = await runShipCommand([
      'manifest', 'demo', '--image', `registry.example.com/team/demo@${DIGEST}`, '--filters-dir', filtersDir,
      '--config', join(filtersDir, 'demo', 'config.json'), '-n', 'shop', '--selector', 'app=checkout', '--phase', 'AUTHN', '--priority', '5',
    ]);
    expect(error).toBeUndefined();
    const [doc] = parseAllDocuments(stdout).map((d) => d.toJS());
    expect(doc).toMatchObject({ kind: 'WasmPlugin', metadata: { name: 'demo', namespace: 'shop' }, spec: { phase: 'AUTHN', priority: 5, selector: { matchLabels: { app: 'checkout' } } } });
  });

  it('fails with a ConfigError for a malformed --selector', async () => {
    const { error } = await runShipCommand(['manifest', 'demo', '--image', 'r.io/a/b:1', '--filters-dir', filtersDir, '--selector', 'novalue']);
    expect(error).toBeInstanceOf(ConfigError);
  });

  it('rejects an unknown --phase before rendering', async () => {
    const { error, stderr } = await runShipCommand(['manifest', 'demo', '--image', 'r.io/a/b:1', '--phase', 'LATE']);
    expect(error).toBeDefined();
    expect(stderr).toMatch(/Allowed choices are AUTHN, AUTHZ, STATS/);
  });
});

// The project's own filters: every filter that ships a schema.json and an example.json renders and validates.
const realFilters = existsSync('filters')
  ? readdirSync('filters').filter((f) => existsSync(join('filters', f, 'schema.json')) && existsSync(join('filters', f, 'example.json')))
  : [];
if (realFilters.length === 0) console.warn('no filters/<name>/ with schema.json and example.json yet: skipping manifest checks of real filters');
describe.skipIf(realFilters.length === 0)(`manifests for the project's filters${realFilters.length === 0 ? ' (skipped: no filter has schema.json + example.json yet)' : ''}`, () => {
  it.each(realFilters)('renders a valid WasmPlugin and EnvoyFilter for %s with its example.json', async (filter) => {
    const example = JSON.parse(readFileSync(join('filters', filter, 'example.json'), 'utf8'));
    for (const envoyFilter of [false, true]) {
      const rendered = await renderManifests({ filter, image: `registry.example.com/asmesh/${filter}@${DIGEST}`, pluginConfig: example, envoyFilter });
      expect(rendered.resources.length).toBeGreaterThan(0);
    }
  });
});
