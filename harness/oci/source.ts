import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { buildImage, type Image, type ImageOptions } from './image.ts';
import { isLayout, readIndex, readLayoutImage } from './layout.ts';
import { ANNOTATION_REF_NAME, type Variant } from './media-types.ts';

export interface WasmSource {
  /** Filter (plugin) name: the argument, or the file name without `.wasm`. */
  name: string;
  path: string;
  wasm: Uint8Array;
}

/** `fault` → `<distDir>/filters/fault.wasm`; `path/to/x.wasm` → that file. */
export async function resolveWasm(arg: string, distDir = 'dist'): Promise<WasmSource> {
  const isFile = arg.endsWith('.wasm') || arg.includes('/');
  const path = isFile ? arg : join(distDir, 'filters', `${arg}.wasm`);
  const name = isFile ? basename(arg).replace(/\.wasm$/, '').replace(/\.debug$/, '') : arg;
  if (!existsSync(path) || !(await stat(path)).isFile()) {
    throw new ConfigError(`${path} not found`, isFile ? undefined : `run \`npm run build\` first, or pass a .wasm file`);
  }
  return { name, path, wasm: new Uint8Array(await readFile(path)) };
}

/**
 * What `asmesh push` pushes: an image from an OCI image layout directory (the one named
 * `variant`; default its only image, or `oci` when it holds both), or one built on the fly
 * from a filter or `.wasm` file.
 */
export async function loadImage(arg: string, variant: Variant | undefined, options: Omit<ImageOptions, 'name'> & { distDir?: string }): Promise<{ image: Image; source: string }> {
  if (existsSync(arg) && (await stat(arg)).isDirectory()) {
    if (!isLayout(arg)) throw new ConfigError(`${arg} is a directory but not an OCI image layout`, 'create one with `asmesh package <filter>`');
    const names = (await readIndex(arg)).manifests.map((m) => m.annotations?.[ANNOTATION_REF_NAME]);
    const chosen = variant ?? (names.length > 1 && names.includes('oci') ? 'oci' : undefined);
    return { image: await readLayoutImage(arg, chosen), source: arg };
  }
  const wasm = await resolveWasm(arg, options.distDir);
  return { image: buildImage(wasm.wasm, variant ?? 'oci', { ...options, name: wasm.name }), source: wasm.path };
}
