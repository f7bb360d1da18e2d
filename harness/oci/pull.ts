import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sha256Digest, type ImageManifest } from './digest.ts';
import { header } from './http.ts';
import type { Image } from './image.ts';
import { writeLayout } from './layout.ts';
import * as mt from './media-types.ts';
import { manifestReference, ociUrl, type ImageReference } from './reference.ts';
import { shortDigest } from './push.ts';
import { RegistryClient, type ConnectionOptions } from './registry.ts';
import { readTar } from './tar.ts';

export interface PullOptions {
  ref: ImageReference;
  connection: Omit<ConnectionOptions, 'registry'>;
  /** Directory to write the OCI image layout and the extracted `plugin.wasm` to. */
  outDir: string;
  onProgress?: (event: { digest: string; size: number }) => void;
}

export interface PullResult {
  digest: string;
  url: string;
  variant: mt.Variant;
  /** Path of the extracted Wasm module. */
  wasmPath: string;
  wasm: Uint8Array;
}

/** Fetches an image (verifying every digest), writes it as an OCI image layout and extracts the module. */
export async function pullImage(options: PullOptions): Promise<PullResult> {
  const { ref } = options;
  const client = new RegistryClient({ ...options.connection, registry: ref.registry }, [`repository:${ref.repository}:pull`]);
  let { bytes, mediaType, digest } = await fetchManifest(client, ref.repository, manifestReference(ref));
  if (ref.digest && digest !== ref.digest) throw client.error(`manifest digest is ${digest}, expected ${ref.digest}`, 'get manifest');
  let manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest & { manifests?: { digest: string }[] };
  if (mediaType === mt.OCI_INDEX || mediaType === mt.DOCKER_MANIFEST_LIST) {
    const first = manifest.manifests?.[0];
    if (!first) throw client.error('image index lists no manifests', 'get manifest');
    ({ bytes, mediaType, digest } = await fetchManifest(client, ref.repository, first.digest));
    manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  }
  const blobs = new Map<string, Uint8Array>();
  for (const d of [manifest.config, ...manifest.layers]) {
    const step = `get blob ${shortDigest(d.digest)}`;
    const res = await client.call('GET', `/v2/${ref.repository}/blobs/${d.digest}`, { expect: [200], step });
    if (sha256Digest(res.body) !== d.digest) throw client.error(`blob does not match its digest`, step);
    blobs.set(d.digest, new Uint8Array(res.body));
    options.onProgress?.({ digest: d.digest, size: res.body.length });
  }
  const image: Image = {
    variant: manifest.config.mediaType === mt.WASM_CONFIG ? 'oci' : 'compat',
    manifest,
    manifestBytes: new Uint8Array(bytes),
    manifestDigest: digest,
    mediaType,
    blobs,
  };
  const wasm = extractWasm(image, (message) => client.error(message, 'extract plugin.wasm'));
  await mkdir(options.outDir, { recursive: true });
  await writeLayout(options.outDir, [{ image, refName: ref.tag ?? image.variant }]);
  const wasmPath = join(options.outDir, mt.PLUGIN_FILE);
  await writeFile(wasmPath, wasm);
  return { digest, url: ociUrl(ref, digest), variant: image.variant, wasmPath, wasm };
}

async function fetchManifest(client: RegistryClient, repository: string, reference: string) {
  const res = await client.call('GET', `/v2/${repository}/manifests/${reference}`, {
    headers: { accept: mt.MANIFEST_ACCEPT.join(', ') },
    expect: [200],
    step: 'get manifest',
  });
  const digest = sha256Digest(res.body);
  const mediaType = (header(res, 'content-type') ?? mt.OCI_MANIFEST).split(';')[0]!.trim();
  return { bytes: res.body, mediaType, digest };
}

/** The module as Istio's agent finds it: the raw oci-variant layer, or `plugin.wasm` in the last tar layer. */
export function extractWasm(image: Image, fail: (message: string) => Error = (m) => new Error(m)): Uint8Array {
  const layer = image.manifest.layers.at(-1);
  if (!layer) throw fail('image has no layers');
  const bytes = image.blobs.get(layer.digest)!;
  if (layer.mediaType === mt.WASM_LAYER) return bytes;
  if (layer.mediaType !== mt.OCI_LAYER_TAR_GZIP && layer.mediaType !== mt.DOCKER_LAYER_TAR_GZIP) {
    throw fail(`last layer has media type ${layer.mediaType}; expected ${mt.WASM_LAYER} or a tar+gzip layer`);
  }
  const entry = readTar(gunzipSync(bytes)).find((e) => e.name.split('/').pop() === mt.PLUGIN_FILE && e.data);
  if (!entry?.data) throw fail(`layer ${layer.digest} holds no ${mt.PLUGIN_FILE}`);
  return entry.data;
}
