import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { extractWasm, packageWasm, readIndex, readLayoutImage, readTar, sha256Digest } from '../../../harness/oci/index.ts';
import { runShipCommand } from './cli-helper.ts';
import { skopeoUnavailableReason } from './registry-fixture.ts';
import { makeWasm } from './wasm-fixture.ts';

let dir: string;
let wasm: Uint8Array;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asmesh-package-'));
  wasm = await makeWasm(5000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packageWasm', () => {
  it('writes an OCI image layout naming both variants in index.json', async () => {
    const out = join(dir, 'both');
    const result = await packageWasm({ wasm, name: 'demo', outDir: out });
    const index = await readIndex(out);
    expect(JSON.parse(readFileSync(join(out, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name'])).toEqual(['oci', 'compat']);
    expect(index.manifests.map((m) => m.digest)).toEqual(result.images.map((i) => i.digest));
    const compat = await readLayoutImage(out, 'compat');
    expect(compat.manifestDigest).toBe(result.images[1]!.digest);
  });

  it('writes a Dockerfile next to the plugin.wasm it copies', async () => {
    const out = join(dir, 'docker');
    await packageWasm({ wasm, name: 'demo', outDir: out, variants: ['oci'] });
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toMatch(/FROM scratch\n[\s\S]*COPY plugin\.wasm \.\/\n$/);
    expect(sha256Digest(readFileSync(join(out, 'plugin.wasm')))).toBe(sha256Digest(wasm));
  });

  it('is reproducible: two runs give identical layouts and tarballs', async () => {
    const a = await packageWasm({ wasm, name: 'demo', outDir: join(dir, 'a'), tarball: join(dir, 'a.tar'), version: '1.0.0' });
    const b = await packageWasm({ wasm, name: 'demo', outDir: join(dir, 'b'), tarball: join(dir, 'b.tar'), version: '1.0.0' });
    expect(b.images.map((i) => i.digest)).toEqual(a.images.map((i) => i.digest));
    expect(readFileSync(join(dir, 'b.tar')).equals(readFileSync(join(dir, 'a.tar')))).toBe(true);
    expect(readFileSync(join(dir, 'b', 'index.json')).equals(readFileSync(join(dir, 'a', 'index.json')))).toBe(true);
  });

  it('writes a tarball holding only the layout (an oci-archive)', async () => {
    await packageWasm({ wasm, name: 'demo', outDir: join(dir, 't'), tarball: join(dir, 't.tar') });
    const names = readTar(readFileSync(join(dir, 't.tar'))).map((e) => e.name);
    expect(names).toContain('oci-layout');
    expect(names).toContain('index.json');
    expect(names).not.toContain('Dockerfile');
    expect(names.filter((n) => n.startsWith('blobs/sha256/') && n.length > 20)).toHaveLength(6); // per variant: manifest, config, layer;
  });

  it('asks for a variant when pushing from a layout with several images', async () => {
    await packageWasm({ wasm, name: 'demo', outDir: join(dir, 'ask') });
    await expect(readLayoutImage(join(dir, 'ask'))).rejects.toThrow(ConfigError);
  });
});

describe('asmesh package', () => {
  it('packages a .wasm file and prints each variant digest', async () => {
    const file = join(dir, 'cli-demo.wasm');
    writeFileSync(file, wasm);
    const { stdout, error } = await runShipCommand(['package', file, '--out', join(dir, 'cli'), '--image-version', '0.1.0']);
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/oci {5}sha256:[0-9a-f]{64}/);
    expect(stdout).toMatch(/compat {2}sha256:[0-9a-f]{64}/);
    const image = await readLayoutImage(join(dir, 'cli'), 'oci');
    expect(image.manifest.annotations?.['org.opencontainers.image.title']).toBe('cli-demo');
    expect(image.manifest.annotations?.['org.opencontainers.image.version']).toBe('0.1.0');
  });

  it('fails with a ConfigError naming the missing build output', async () => {
    const { error } = await runShipCommand(['package', 'no-such-filter', '--dist-dir', join(dir, 'nodist')]);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(join(dir, 'nodist', 'filters', 'no-such-filter.wasm'));
  });
});

const noSkopeo = skopeoUnavailableReason();
if (noSkopeo) console.warn(`skipping skopeo layout checks: ${noSkopeo}`);
describe.skipIf(noSkopeo !== undefined)(`skopeo reads the layout${noSkopeo ? ` (skipped: ${noSkopeo})` : ''}`, () => {
  it.each(['oci', 'compat'])('skopeo inspect --raw oci:<dir>:%s returns our manifest', async (variant) => {
    const out = join(dir, 'skopeo');
    const result = await packageWasm({ wasm, name: 'demo', outDir: out });
    const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${out}:${variant}`]);
    const image = result.images.find((i) => i.variant === variant)!;
    expect(sha256Digest(raw)).toBe(image.digest);
  });

  it('skopeo copies the oci-archive tarball', async () => {
    await packageWasm({ wasm, name: 'demo', outDir: join(dir, 'arch'), tarball: join(dir, 'arch.tar'), variants: ['compat'] });
    const target = join(dir, 'copied');
    execFileSync('skopeo', ['--insecure-policy', 'copy', '--quiet', `oci-archive:${join(dir, 'arch.tar')}:compat`, `dir:${target}`]);
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.annotations['module.wasm.image/variant']).toBe('compat');
  });
});

const builtEmpty = join('dist', 'filters', 'empty.wasm');
const hasBuilt = existsSync(builtEmpty);
if (!hasBuilt) console.warn(`${builtEmpty} not built (run npm run build): skipping the built-filter package check`);
describe.skipIf(!hasBuilt)(`packaging a built filter${hasBuilt ? '' : ' (skipped: dist/filters/empty.wasm not built)'}`, () => {
  it('records the proxy-wasm ABI the SDK exports and extracts the module unchanged', async () => {
    const built = new Uint8Array(readFileSync(builtEmpty));
    const result = await packageWasm({ wasm: built, name: 'empty', outDir: join(dir, 'empty') });
    const oci = result.images.find((i) => i.variant === 'oci')!.image;
    const config = JSON.parse(Buffer.from(oci.blobs.get(oci.manifest.config.digest)!).toString());
    expect(config.abiVersions.length).toBeGreaterThan(0);
    expect(config.abiVersions[0]).toMatch(/^v0\.2\.[01]$/);
    const compat = result.images.find((i) => i.variant === 'compat')!.image;
    expect(Buffer.from(extractWasm(compat)).equals(Buffer.from(built))).toBe(true);
  });
});
