import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { buildImage, dockerfile, extractWasm, readTar, sha256Digest } from '../../../harness/oci/index.ts';
import * as mt from '../../../harness/oci/media-types.ts';
import { makeWasm } from './wasm-fixture.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await makeWasm(1000);
});

const options = { name: 'demo', version: '1.2.3', revision: 'abc123', source: 'https://example.com/asmesh' };

describe('buildImage oci variant', () => {
  it('has one layer of the Wasm layer media type holding the module bytes', () => {
    const image = buildImage(wasm, 'oci', options);
    expect(image.manifest.layers).toHaveLength(1);
    const layer = image.manifest.layers[0]!;
    expect(layer.mediaType).toBe('application/vnd.module.wasm.content.layer.v1+wasm');
    expect(layer.digest).toBe(sha256Digest(wasm));
    expect(layer.size).toBe(wasm.length);
    expect(layer.annotations).toEqual({ 'org.opencontainers.image.title': 'plugin.wasm' });
    expect(Buffer.from(image.blobs.get(layer.digest)!)).toEqual(Buffer.from(wasm));
  });

  it('has the Wasm config media type and a runtime config naming ABI and root id', () => {
    const image = buildImage(wasm, 'oci', options);
    expect(image.manifest.config.mediaType).toBe('application/vnd.module.wasm.config.v1+json');
    const config = JSON.parse(Buffer.from(image.blobs.get(image.manifest.config.digest)!).toString());
    expect(config).toEqual({ type: 'envoy_proxy', abiVersions: ['v0.2.1'], config: { rootIds: ['demo'] } });
  });

  it('is an OCI image manifest annotated with title, version, revision and source', () => {
    const image = buildImage(wasm, 'oci', options);
    const parsed = JSON.parse(Buffer.from(image.manifestBytes).toString());
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(parsed.annotations).toEqual({
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.source': 'https://example.com/asmesh',
      'org.opencontainers.image.title': 'demo',
      'org.opencontainers.image.version': '1.2.3',
    });
    expect(image.manifestDigest).toBe(sha256Digest(image.manifestBytes));
  });
});

describe('buildImage compat variant', () => {
  it('has one tar+gzip layer whose tar holds plugin.wasm at the root', () => {
    const image = buildImage(wasm, 'compat', options);
    expect(image.manifest.layers).toHaveLength(1);
    const layer = image.manifest.layers[0]!;
    expect(layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const entries = readTar(gunzipSync(image.blobs.get(layer.digest)!));
    expect(entries.map((e) => e.name)).toEqual(['plugin.wasm', 'runtime-config.json']);
    expect(Buffer.from(entries[0]!.data!)).toEqual(Buffer.from(wasm));
  });

  it('carries the module.wasm.image/variant=compat annotation and an OCI image config with diff ids', () => {
    const image = buildImage(wasm, 'compat', options);
    expect(image.manifest.annotations?.['module.wasm.image/variant']).toBe('compat');
    expect(image.manifest.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    const config = JSON.parse(Buffer.from(image.blobs.get(image.manifest.config.digest)!).toString());
    const layerBytes = image.blobs.get(image.manifest.layers[0]!.digest)!;
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [sha256Digest(gunzipSync(layerBytes))] });
    expect(config.config.Labels['module.wasm.image/variant']).toBe('compat');
  });

  it('extracts back to the same module', () => {
    expect(Buffer.from(extractWasm(buildImage(wasm, 'compat', options)))).toEqual(Buffer.from(wasm));
  });
});

describe('reproducibility', () => {
  it.each(mt.VARIANTS)('builds the %s variant to identical bytes twice', (variant) => {
    const a = buildImage(wasm, variant, options);
    const b = buildImage(new Uint8Array(wasm), variant, { ...options });
    expect(a.manifestDigest).toBe(b.manifestDigest);
    expect([...a.blobs.keys()]).toEqual([...b.blobs.keys()]);
  });

  it('changes the digest when an annotation changes', () => {
    expect(buildImage(wasm, 'oci', options).manifestDigest).not.toBe(buildImage(wasm, 'oci', { ...options, version: '1.2.4' }).manifestDigest);
  });

  it('records --created in the annotations and the layer mtime', () => {
    const image = buildImage(wasm, 'compat', { ...options, created: '2024-01-02T03:04:05Z' });
    expect(image.manifest.annotations?.['org.opencontainers.image.created']).toBe('2024-01-02T03:04:05Z');
    const tar = gunzipSync(image.blobs.get(image.manifest.layers[0]!.digest)!);
    expect(parseInt(tar.subarray(136, 147).toString(), 8)).toBe(Date.parse('2024-01-02T03:04:05Z') / 1000);
  });
});

describe('buildImage input errors', () => {
  it('rejects bytes that are not a Wasm module', () => {
    expect(() => buildImage(new TextEncoder().encode('hello world'), 'oci', options)).toThrow(ConfigError);
  });

  it('rejects a created time that is not a date', () => {
    expect(() => buildImage(wasm, 'oci', { ...options, created: 'yesterday' })).toThrow(/created/);
  });
});

describe('dockerfile', () => {
  it('builds from scratch and copies plugin.wasm', () => {
    const text = dockerfile(options);
    expect(text).toMatch(/^FROM scratch$/m);
    expect(text).toMatch(/^COPY plugin\.wasm \.\/$/m);
    expect(text).toContain('LABEL module.wasm.image/variant="compat"');
  });
});
