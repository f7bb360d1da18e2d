import { gzipSync } from 'node:zlib';
import { ConfigError } from '../errors.ts';
import { canonicalJson, describe, sha256Digest, sortedRecord, type Descriptor, type ImageManifest } from './digest.ts';
import * as mt from './media-types.ts';
import { writeTar } from './tar.ts';
import { isWasm, proxyAbiVersions } from './wasm-info.ts';

/** What goes into the image besides the module; same options and bytes → same digests. */
export interface ImageOptions {
  /** Plugin (filter) name: the image title and the root id recorded in the runtime config. */
  name: string;
  version?: string;
  revision?: string;
  source?: string;
  description?: string;
  /** RFC 3339 creation time; omitted unless given, so builds stay reproducible. */
  created?: string;
}

/** An image held in memory: its manifest and every blob it references. */
export interface Image {
  variant: mt.Variant;
  manifest: ImageManifest;
  manifestBytes: Uint8Array;
  manifestDigest: string;
  mediaType: string;
  blobs: Map<string, Uint8Array>;
}

/** The runtime configuration of the Wasm image spec (`runtime-config.json`). */
export function runtimeConfig(wasm: Uint8Array, options: ImageOptions): Uint8Array {
  const abiVersions = proxyAbiVersions(wasm);
  return canonicalJson({ type: 'envoy_proxy', abiVersions, config: { rootIds: [options.name] } });
}

export function buildImage(wasm: Uint8Array, variant: mt.Variant, options: ImageOptions): Image {
  if (!isWasm(wasm)) throw new ConfigError(`${options.name}: not a WebAssembly module (bad magic number)`);
  if (options.created !== undefined && Number.isNaN(Date.parse(options.created))) {
    throw new ConfigError(`created: not an RFC 3339 time: ${JSON.stringify(options.created)}`);
  }
  return variant === 'oci' ? buildOciVariant(wasm, options) : buildCompatVariant(wasm, options);
}

function buildOciVariant(wasm: Uint8Array, options: ImageOptions): Image {
  const config = runtimeConfig(wasm, options);
  const layer = describe(mt.WASM_LAYER, wasm, { [mt.ANNOTATION_TITLE]: mt.PLUGIN_FILE });
  const blobs = new Map([[layer.digest, wasm]]);
  const configDescriptor = describe(mt.WASM_CONFIG, config);
  blobs.set(configDescriptor.digest, config);
  return finish('oci', configDescriptor, [layer], imageAnnotations(options), blobs);
}

function buildCompatVariant(wasm: Uint8Array, options: ImageOptions): Image {
  const mtime = options.created ? Math.floor(Date.parse(options.created) / 1000) : 0;
  const tar = writeTar(
    [
      { name: mt.PLUGIN_FILE, data: wasm },
      { name: 'runtime-config.json', data: runtimeConfig(wasm, options) },
    ],
    mtime,
  );
  const gz = gzipSync(tar, { level: 9 });
  gz[9] = 0xff; // gzip OS field "unknown": the same bytes on every platform
  const layer = describe(mt.OCI_LAYER_TAR_GZIP, gz);
  const annotations = { ...imageAnnotations(options), [mt.ANNOTATION_VARIANT]: 'compat' };
  const imageConfig: Record<string, unknown> = {};
  if (options.created) imageConfig.created = options.created;
  Object.assign(imageConfig, {
    architecture: 'wasm',
    os: 'wasip1',
    config: { Labels: sortedRecord(annotations) },
    rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
  });
  const config = canonicalJson(imageConfig);
  const configDescriptor = describe(mt.OCI_IMAGE_CONFIG, config);
  const blobs = new Map([
    [layer.digest, gz],
    [configDescriptor.digest, config],
  ]);
  return finish('compat', configDescriptor, [layer], annotations, blobs);
}

function imageAnnotations(options: ImageOptions): Record<string, string> {
  const a: Record<string, string> = { [mt.ANNOTATION_TITLE]: options.name };
  if (options.version) a[mt.ANNOTATION_VERSION] = options.version;
  if (options.revision) a[mt.ANNOTATION_REVISION] = options.revision;
  if (options.source) a[mt.ANNOTATION_SOURCE] = options.source;
  if (options.description) a[mt.ANNOTATION_DESCRIPTION] = options.description;
  if (options.created) a[mt.ANNOTATION_CREATED] = options.created;
  return a;
}

function finish(
  variant: mt.Variant,
  config: Descriptor,
  layers: Descriptor[],
  annotations: Record<string, string>,
  blobs: Map<string, Uint8Array>,
): Image {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mt.OCI_MANIFEST,
    config,
    layers,
    annotations: sortedRecord(annotations),
  };
  const manifestBytes = canonicalJson(manifest);
  return { variant, manifest, manifestBytes, manifestDigest: sha256Digest(manifestBytes), mediaType: mt.OCI_MANIFEST, blobs };
}

/** The Dockerfile that builds the compat variant with Docker (`docker build` in the package directory). */
export function dockerfile(options: ImageOptions): string {
  const labels = Object.entries(sortedRecord({ ...imageAnnotations(options), [mt.ANNOTATION_VARIANT]: 'compat' }))
    .map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`)
    .join('\n');
  return `# Builds the compat variant of the ${options.name} Wasm plugin image.\nFROM scratch\n${labels}\nCOPY ${mt.PLUGIN_FILE} ./\n`;
}
