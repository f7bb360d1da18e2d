import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigError } from '../errors.ts';
import { canonicalJson, isDigest, sha256Digest, type Descriptor, type ImageManifest } from './digest.ts';
import type { Image } from './image.ts';
import * as mt from './media-types.ts';
import { writeTar } from './tar.ts';

/** An OCI image layout on disk (https://github.com/opencontainers/image-spec/blob/main/image-layout.md). */
export interface LayoutIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export const LAYOUT_FILE = 'oci-layout';

export function isLayout(dir: string): boolean {
  return existsSync(join(dir, LAYOUT_FILE)) && existsSync(join(dir, 'index.json'));
}

export function blobPath(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new ConfigError(`not a sha256 digest: ${JSON.stringify(digest)}`);
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** Writes images into `dir`, each manifest tagged with the given ref name; replaces any previous index. */
export async function writeLayout(dir: string, images: { image: Image; refName: string }[]): Promise<LayoutIndex> {
  await rm(join(dir, 'blobs'), { recursive: true, force: true });
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const { image } of images) {
    for (const [digest, bytes] of image.blobs) await writeFile(blobPath(dir, digest), bytes);
    await writeFile(blobPath(dir, image.manifestDigest), image.manifestBytes);
  }
  const index: LayoutIndex = {
    schemaVersion: 2,
    mediaType: mt.OCI_INDEX,
    manifests: images.map(({ image, refName }) => ({
      mediaType: image.mediaType,
      digest: image.manifestDigest,
      size: image.manifestBytes.length,
      annotations: { [mt.ANNOTATION_REF_NAME]: refName },
    })),
  };
  await writeFile(join(dir, LAYOUT_FILE), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), canonicalJson(index));
  return index;
}

export async function readIndex(dir: string): Promise<LayoutIndex> {
  if (!isLayout(dir)) throw new ConfigError(`${dir}: not an OCI image layout (no oci-layout or index.json)`);
  return JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as LayoutIndex;
}

/** Reads a blob and checks its digest. */
export async function readBlob(dir: string, digest: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(blobPath(dir, digest)));
  if (sha256Digest(bytes) !== digest) throw new ConfigError(`${dir}: blob ${digest} does not match its digest`);
  return bytes;
}

/**
 * Loads one image of the layout: the manifest whose ref name is `refName`, or the only one.
 * Returns it with all its blobs, ready to push.
 */
export async function readLayoutImage(dir: string, refName?: string): Promise<Image> {
  const index = await readIndex(dir);
  const names = index.manifests.map((m) => m.annotations?.[mt.ANNOTATION_REF_NAME] ?? '(unnamed)');
  const candidates = refName === undefined ? index.manifests : index.manifests.filter((m) => m.annotations?.[mt.ANNOTATION_REF_NAME] === refName);
  if (candidates.length !== 1) {
    const why = refName === undefined ? 'holds several images' : `has no image named ${JSON.stringify(refName)}`;
    throw new ConfigError(`${dir}: layout ${why} (names: ${names.join(', ')})`, 'choose one with --variant <name>');
  }
  const descriptor = candidates[0]!;
  const manifestBytes = await readBlob(dir, descriptor.digest);
  const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as ImageManifest;
  const blobs = new Map<string, Uint8Array>();
  for (const d of [manifest.config, ...manifest.layers]) blobs.set(d.digest, await readBlob(dir, d.digest));
  const variant: mt.Variant = manifest.config.mediaType === mt.WASM_CONFIG ? 'oci' : 'compat';
  return { variant, manifest, manifestBytes, manifestDigest: descriptor.digest, mediaType: descriptor.mediaType, blobs };
}

/** Packs a directory (e.g. a layout) into a deterministic tar: an `oci-archive` when `dir` is a layout. */
export async function tarDirectory(dir: string, skip: (rel: string) => boolean = () => false): Promise<Uint8Array> {
  const entries: { name: string; data?: Uint8Array }[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const name of await readdir(current)) {
      const full = join(current, name);
      const rel = relative(dir, full).split('\\').join('/');
      if (skip(rel)) continue;
      if ((await stat(full)).isDirectory()) {
        entries.push({ name: rel + '/' });
        await walk(full);
      } else entries.push({ name: rel, data: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(dir);
  return writeTar(entries);
}
