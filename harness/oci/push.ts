import type { Descriptor } from './digest.ts';
import { header } from './http.ts';
import type { Image } from './image.ts';
import { manifestReference, ociUrl, type ImageReference } from './reference.ts';
import { RegistryClient, type ConnectionOptions } from './registry.ts';

export type BlobAction = 'skipped' | 'mounted' | 'uploaded';

export interface PushProgress {
  step: 'blob' | 'manifest';
  digest: string;
  /** Bytes of this blob sent so far, and its size. */
  sent: number;
  total: number;
  /** Set when the blob is finished. */
  action?: BlobAction;
}

export interface PushOptions {
  image: Image;
  ref: ImageReference;
  connection: Omit<ConnectionOptions, 'registry'>;
  /** Upload blobs in PATCH chunks of this many bytes; 0 or undefined = one monolithic PUT. */
  chunkSize?: number;
  /** Repository on the same registry to mount blobs from instead of uploading them. */
  mountFrom?: string;
  onProgress?: (event: PushProgress) => void;
}

export interface PushResult {
  digest: string;
  size: number;
  /** `oci://registry/repository@sha256:…` for a WasmPlugin's `url`. */
  url: string;
  blobs: { digest: string; size: number; action: BlobAction }[];
}

/**
 * Pushes blobs first (HEAD skips those present), the manifest last: a push that fails or is
 * interrupted leaves no tag, and running it again uploads only what is still missing.
 */
export async function pushImage(options: PushOptions): Promise<PushResult> {
  const { image, ref } = options;
  const scopes = [`repository:${ref.repository}:pull,push`];
  if (options.mountFrom) scopes.push(`repository:${options.mountFrom}:pull`);
  const client = new RegistryClient({ ...options.connection, registry: ref.registry }, scopes);
  const blobs: PushResult['blobs'] = [];
  for (const descriptor of [image.manifest.config, ...image.manifest.layers]) {
    const bytes = image.blobs.get(descriptor.digest);
    if (!bytes) throw client.error(`image has no bytes for blob ${descriptor.digest}`, 'read image');
    const action = await pushBlob(client, ref.repository, descriptor, bytes, options);
    options.onProgress?.({ step: 'blob', digest: descriptor.digest, sent: bytes.length, total: bytes.length, action });
    blobs.push({ digest: descriptor.digest, size: descriptor.size, action });
  }
  const reference = manifestReference(ref);
  const res = await client.call('PUT', `/v2/${ref.repository}/manifests/${reference}`, {
    headers: { 'content-type': image.mediaType },
    body: image.manifestBytes,
    expect: [201, 200],
    step: 'put manifest',
  });
  const echoed = header(res, 'docker-content-digest');
  if (echoed && echoed !== image.manifestDigest) {
    throw client.error(`registry stored the manifest as ${echoed}, expected ${image.manifestDigest}`, 'put manifest', res.status);
  }
  options.onProgress?.({ step: 'manifest', digest: image.manifestDigest, sent: image.manifestBytes.length, total: image.manifestBytes.length });
  return { digest: image.manifestDigest, size: image.manifestBytes.length, url: ociUrl(ref, image.manifestDigest), blobs };
}

async function pushBlob(client: RegistryClient, repository: string, d: Descriptor, bytes: Uint8Array, options: PushOptions): Promise<BlobAction> {
  const step = `upload blob ${shortDigest(d.digest)}`;
  const head = await client.call('HEAD', `/v2/${repository}/blobs/${d.digest}`, { expect: [200, 404], step: `check blob ${shortDigest(d.digest)}` });
  if (head.status === 200) return 'skipped';
  let location: string;
  if (options.mountFrom && options.mountFrom !== repository) {
    const query = new URLSearchParams({ mount: d.digest, from: options.mountFrom });
    const res = await client.call('POST', `/v2/${repository}/blobs/uploads/?${query}`, { expect: [201, 202], step: `mount blob ${shortDigest(d.digest)}` });
    if (res.status === 201) return 'mounted';
    location = client.location(res, step);
  } else {
    const res = await client.call('POST', `/v2/${repository}/blobs/uploads/`, { expect: [202], step });
    location = client.location(res, step);
  }
  const progress = (base: number) => (sent: number) =>
    options.onProgress?.({ step: 'blob', digest: d.digest, sent: base + sent, total: bytes.length });
  const chunk = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : 0;
  if (chunk > 0) {
    for (let start = 0; start < bytes.length; start += chunk) {
      const part = bytes.subarray(start, Math.min(start + chunk, bytes.length));
      const res = await client.call('PATCH', location, {
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${start + part.length - 1}` },
        body: part,
        expect: [202],
        step,
        onBodyProgress: progress(start),
      });
      location = client.location(res, step);
    }
    await client.call('PUT', withDigest(location, d.digest), { expect: [201], step });
  } else {
    await client.call('PUT', withDigest(location, d.digest), {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      expect: [201],
      step,
      onBodyProgress: progress(0),
    });
  }
  return 'uploaded';
}

function withDigest(location: string, digest: string): string {
  return location + (location.includes('?') ? '&' : '?') + `digest=${encodeURIComponent(digest)}`;
}

/** `sha256:` plus 12 hex digits: enough to tell blobs apart in messages. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}
