import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildImage, dockerfile, type Image, type ImageOptions } from './image.ts';
import { tarDirectory, writeLayout } from './layout.ts';
import { PLUGIN_FILE, type Variant } from './media-types.ts';

export interface PackageOptions extends ImageOptions {
  wasm: Uint8Array;
  /** Directory for the OCI image layout, the Dockerfile and its `plugin.wasm`. */
  outDir: string;
  /** Variants to write (default both); each is named by its variant in the layout's index. */
  variants?: readonly Variant[];
  /** Also write the layout as an `oci-archive` tarball at this path. */
  tarball?: string;
}

export interface PackagedImage {
  variant: Variant;
  refName: string;
  digest: string;
  size: number;
  image: Image;
}

export interface PackageResult {
  outDir: string;
  images: PackagedImage[];
  dockerfile: string;
  tarball?: string;
}

/** Writes the filter's images as an OCI image layout plus a Dockerfile; reproducible byte for byte. */
export async function packageWasm(options: PackageOptions): Promise<PackageResult> {
  const variants = options.variants ?? (['oci', 'compat'] as const);
  const images = variants.map((variant) => {
    const image = buildImage(options.wasm, variant, options);
    return { variant, refName: variant, digest: image.manifestDigest, size: image.manifestBytes.length, image };
  });
  await mkdir(options.outDir, { recursive: true });
  await writeLayout(options.outDir, images);
  const dockerfilePath = join(options.outDir, 'Dockerfile');
  await writeFile(dockerfilePath, dockerfile(options));
  await writeFile(join(options.outDir, PLUGIN_FILE), options.wasm);
  const result: PackageResult = { outDir: options.outDir, images, dockerfile: dockerfilePath };
  if (options.tarball) {
    const layoutOnly = (rel: string) => !(rel === 'oci-layout' || rel === 'index.json' || rel === 'blobs' || rel.startsWith('blobs/'));
    const tar = await tarDirectory(options.outDir, layoutOnly);
    await mkdir(dirname(options.tarball), { recursive: true });
    await writeFile(options.tarball, tar);
    result.tarball = options.tarball;
  }
  return result;
}
