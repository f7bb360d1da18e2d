import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushError } from '../../../harness/errors.ts';
import { buildImage, packageWasm, parseReference, pullImage, pushImage, RegistryClient, sha256Digest, type Image } from '../../../harness/oci/index.ts';
import { runShipCommand } from './cli-helper.ts';
import { registryUnavailableReason, skopeoUnavailableReason, startRegistry, type RunningRegistry } from './registry-fixture.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';
import { makeWasm } from './wasm-fixture.ts';

const missing = registryUnavailableReason() ?? skopeoUnavailableReason();
if (missing) console.warn(`skipping registry tests: ${missing}`);

/** HTTP status of HEAD /v2/<repo>/manifests/<tag>: 200 when the tag exists, 404 when not. */
async function tagStatus(host: string, repository: string, tag: string, connection: object = {}): Promise<number> {
  const client = new RegistryClient({ registry: host, ...connection }, [`repository:${repository}:pull`]);
  const res = await client.call('HEAD', `/v2/${repository}/manifests/${tag}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    expect: [200, 404],
    step: 'check tag',
  });
  return res.status;
}

describe.skipIf(missing !== undefined)(`push and pull against docker-registry (plain HTTP on loopback)${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RunningRegistry;
  let dir: string;
  let wasm: Uint8Array;
  let big: Uint8Array;
  beforeAll(async () => {
    registry = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'asmesh-push-'));
    wasm = await makeWasm(20_000, 1);
    big = await makeWasm(1_500_000, 2);
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ref = (path: string) => parseReference(`${registry.host}/${path}`);

  it.each(['oci', 'compat'] as const)('round-trips the %s variant byte for byte', async (variant) => {
    const image = buildImage(wasm, variant, { name: 'demo' });
    const pushed = await pushImage({ image, ref: ref(`round/${variant}:1.0`), connection: {} });
    expect(pushed.digest).toBe(image.manifestDigest);
    expect(pushed.url).toBe(`oci://${registry.host}/round/${variant}@${image.manifestDigest}`);
    const pulled = await pullImage({ ref: ref(`round/${variant}:1.0`), connection: {}, outDir: join(dir, `pulled-${variant}`) });
    expect(pulled.digest).toBe(image.manifestDigest);
    expect(pulled.variant).toBe(variant);
    expect(Buffer.from(pulled.wasm).equals(Buffer.from(wasm))).toBe(true);
    expect(readFileSync(join(dir, `pulled-${variant}`, 'plugin.wasm')).equals(Buffer.from(wasm))).toBe(true);
  });

  it('uploads in chunks with progress and pulls by digest', async () => {
    const image = buildImage(big, 'compat', { name: 'big' });
    const events: { sent: number; total: number }[] = [];
    const pushed = await pushImage({ image, ref: ref('chunked/big:1'), connection: {}, chunkSize: 256 * 1024, onProgress: (e) => events.push(e) });
    const layer = image.manifest.layers[0]!;
    expect(pushed.blobs.find((b) => b.digest === layer.digest)?.action).toBe('uploaded');
    const partial = events.filter((e) => e.total === layer.size && e.sent < e.total);
    expect(partial.length).toBeGreaterThan(1);
    const pulled = await pullImage({ ref: ref(`chunked/big@${pushed.digest}`), connection: {}, outDir: join(dir, 'big') });
    expect(sha256Digest(pulled.wasm)).toBe(sha256Digest(big));
  });

  it('skips every blob when pushing the same image again', async () => {
    const image = buildImage(wasm, 'oci', { name: 'again' });
    const first = await pushImage({ image, ref: ref('again/x:1'), connection: {} });
    expect(first.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded']);
    const second = await pushImage({ image, ref: ref('again/x:1'), connection: {} });
    expect(second.blobs.map((b) => b.action)).toEqual(['skipped', 'skipped']);
    expect(second.digest).toBe(first.digest);
  });

  it('mounts blobs from another repository instead of uploading them', async () => {
    const image = buildImage(wasm, 'oci', { name: 'mount' });
    await pushImage({ image, ref: ref('mount/source:1'), connection: {} });
    const mounted = await pushImage({ image, ref: ref('mount/target:1'), connection: {}, mountFrom: 'mount/source' });
    expect(mounted.blobs.map((b) => b.action)).toEqual(['mounted', 'mounted']);
    expect(await tagStatus(registry.host, 'mount/target', '1')).toBe(200);
  });

  it('leaves no tag when the connection is aborted mid-blob, and a rerun completes', async () => {
    const image = buildImage(big, 'oci', { name: 'abort' });
    const layer = image.manifest.layers[0]!;
    const controller = new AbortController();
    const attempt = pushImage({
      image,
      ref: ref('abort/x:1'),
      connection: { signal: controller.signal },
      chunkSize: 64 * 1024,
      onProgress: (e) => {
        if (e.digest === layer.digest && e.sent > 0 && e.sent < e.total) controller.abort();
      },
    });
    await expect(attempt).rejects.toThrow(PushError);
    await expect(attempt).rejects.toThrow(/interrupted/);
    expect(await tagStatus(registry.host, 'abort/x', '1')).toBe(404);
    const rerun = await pushImage({ image, ref: ref('abort/x:1'), connection: {} });
    expect(rerun.blobs.map((b) => b.action)).toEqual(['skipped', 'uploaded']);
    expect(await tagStatus(registry.host, 'abort/x', '1')).toBe(200);
  });

  it('leaves no tag when the pushing process is killed mid-blob, and a rerun completes', async () => {
    const file = join(dir, 'killed.wasm');
    writeFileSync(file, big);
    const target = `${registry.host}/killed/x:1`;
    const script = join(import.meta.dirname, 'push-child.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    const layerDigest = sha256Digest(big);
    let output = '';
    const killedMidBlob = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = new RegExp(`blob ${layerDigest} (\\d+)/(\\d+) \\n`).exec(output);
        if (m && Number(m[1]) < Number(m[2]) && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve(true);
        }
      });
      child.on('exit', () => resolve(false));
    });
    expect(killedMidBlob).toBe(true);
    expect(output).not.toContain('done');
    expect(await tagStatus(registry.host, 'killed/x', '1')).toBe(404);
    const image = buildImage(big, 'oci', { name: 'child' });
    const rerun = await pushImage({ image, ref: parseReference(target), connection: {} });
    expect(rerun.blobs[0]!.action).toBe('skipped');
    expect(await tagStatus(registry.host, 'killed/x', '1')).toBe(200);
  });

  it('skopeo inspect --raw sees our manifest and media types', async () => {
    const image = buildImage(wasm, 'oci', { name: 'skopeo', version: '1.0.0' });
    await pushImage({ image, ref: ref('skopeo/oci:1.0.0'), connection: {} });
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/skopeo/oci:1.0.0`]);
    expect(raw.equals(Buffer.from(image.manifestBytes))).toBe(true);
    const manifest = JSON.parse(raw.toString());
    expect(manifest.config.mediaType).toBe('application/vnd.module.wasm.config.v1+json');
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(['application/vnd.module.wasm.content.layer.v1+wasm']);
  });

  it.each(['oci', 'compat'] as const)('skopeo copy of the %s variant yields our layer bytes', async (variant) => {
    const image: Image = buildImage(wasm, variant, { name: 'copy' });
    await pushImage({ image, ref: ref(`skopeo/copy-${variant}:1`), connection: {} });
    const target = join(dir, `skopeo-copy-${variant}`);
    execFileSync('skopeo', ['--insecure-policy', 'copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/skopeo/copy-${variant}:1`, `dir:${target}`]);
    const layer = image.manifest.layers[0]!;
    const copied = readFileSync(join(target, layer.digest.slice('sha256:'.length)));
    expect(copied.equals(Buffer.from(image.blobs.get(layer.digest)!))).toBe(true);
    if (variant === 'oci') expect(copied.equals(Buffer.from(wasm))).toBe(true);
  });

  it('asmesh package, push and pull print the digest and the oci:// reference', async () => {
    const file = join(dir, 'clidemo.wasm');
    writeFileSync(file, wasm);
    const out = join(dir, 'cli-layout');
    const packaged = await runShipCommand(['package', file, '--out', out]);
    expect(packaged.error).toBeUndefined();
    const pushed = await runShipCommand(['push', out, `${registry.host}/cli/demo:1.0`, '--variant', 'compat']);
    expect(pushed.error).toBeUndefined();
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)?.[1];
    expect(digest).toBeDefined();
    expect(pushed.stdout).toContain(`oci://${registry.host}/cli/demo@${digest}`);
    expect(pushed.stderr).toMatch(/uploaded/);
    const pulled = await runShipCommand(['pull', `${registry.host}/cli/demo:1.0`, join(dir, 'cli-pulled')]);
    expect(pulled.error).toBeUndefined();
    expect(pulled.stdout).toContain(`digest: ${digest}`);
    expect(readFileSync(join(dir, 'cli-pulled', 'plugin.wasm')).equals(Buffer.from(wasm))).toBe(true);
  });

  it('uses HTTPS for a registry that is not on loopback unless --plain-http is given', async () => {
    const image = buildImage(wasm, 'oci', { name: 'scheme' });
    const target = parseReference('registry.invalid:5000/x/y:1'); // .invalid never resolves
    await expect(pushImage({ image, ref: target, connection: {} })).rejects.toThrow(/cannot reach https:\/\/registry\.invalid:5000/);
    await expect(pushImage({ image, ref: target, connection: { plainHttp: true } })).rejects.toThrow(/cannot reach http:\/\/registry\.invalid:5000/);
  });
});

describe.skipIf(missing !== undefined)(`docker-registry with htpasswd basic auth${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RunningRegistry;
  let wasm: Uint8Array;
  const good = { username: 'alice', password: 'correct-horse', source: 'test' };
  beforeAll(async () => {
    registry = await startRegistry({ basicAuth: { username: good.username, password: good.password } });
    wasm = await makeWasm(4000, 3);
  });
  afterAll(async () => registry?.stop());
  const ref = (path: string) => parseReference(`${registry.host}/${path}`);

  it('pushes and pulls with the right password', async () => {
    const image = buildImage(wasm, 'oci', { name: 'auth' });
    await pushImage({ image, ref: ref('auth/ok:1'), connection: { credentials: good } });
    const pulled = await pullImage({ ref: ref('auth/ok:1'), connection: { credentials: good }, outDir: join(registry.dir, 'pulled') });
    expect(Buffer.from(pulled.wasm).equals(Buffer.from(wasm))).toBe(true);
  });

  it('fails with the registry and HTTP 401 on a wrong password, never printing it, and writes no tag', async () => {
    const image = buildImage(wasm, 'oci', { name: 'auth' });
    const wrong = { username: 'alice', password: 'wrong-password-123', source: 'command-line flags' };
    const error = await pushImage({ image, ref: ref('auth/bad:1'), connection: { credentials: wrong } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    const pushError = error as PushError;
    expect(pushError.status).toBe(401);
    expect(pushError.registry).toBe(registry.host);
    expect(pushError.message).toContain('credentials were rejected');
    expect(pushError.message).not.toContain('wrong-password-123');
    expect(JSON.stringify(pushError)).not.toContain('wrong-password-123');
    expect(await tagStatus(registry.host, 'auth/bad', '1', { credentials: good })).toBe(404);
  });

  it('asks for a login when no credentials are configured', async () => {
    const image = buildImage(wasm, 'oci', { name: 'auth' });
    await expect(pushImage({ image, ref: ref('auth/anon:1'), connection: {} })).rejects.toThrow(/requires a login/);
  });

  it('takes the password from ~/.docker/config.json auths through the CLI', async () => {
    const home = mkdtempSync(join(tmpdir(), 'asmesh-home-'));
    writeFileSync(join(home, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('alice:correct-horse').toString('base64') } } }));
    const file = join(home, 'fromconfig.wasm');
    writeFileSync(file, wasm);
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = home;
    try {
      const { error, stdout } = await runShipCommand(['push', file, `${registry.host}/auth/config:1`, '--quiet']);
      expect(error).toBeUndefined();
      expect(stdout).toMatch(/digest: sha256:/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.skipIf(missing !== undefined)(`docker-registry over TLS with a generated certificate${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RunningRegistry;
  let wasm: Uint8Array;
  const creds = { username: 'tls', password: 'tls-secret', source: 'test' };
  beforeAll(async () => {
    registry = await startRegistry({ tls: true, basicAuth: { username: creds.username, password: creds.password } });
    wasm = await makeWasm(4000, 4);
  });
  afterAll(async () => registry?.stop());
  const ref = (path: string) => parseReference(`${registry.host}/${path}`);

  it('pushes over HTTPS when the CA is trusted, and skopeo reads it with the same CA', async () => {
    const image = buildImage(wasm, 'compat', { name: 'tls' });
    const pushed = await pushImage({ image, ref: ref('tls/x:1'), connection: { credentials: creds, ca: registry.caPem } });
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--cert-dir', registry.certDir!, '--creds', 'tls:tls-secret', `docker://${registry.host}/tls/x:1`]);
    expect(sha256Digest(raw)).toBe(pushed.digest);
  });

  it('refuses an untrusted certificate instead of falling back to plain HTTP', async () => {
    const image = buildImage(wasm, 'compat', { name: 'tls' });
    const error = await pushImage({ image, ref: ref('tls/untrusted:1'), connection: { credentials: creds } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect((error as PushError).message).toMatch(/not trusted.*--ca-file/);
  });
});

describe.skipIf(missing !== undefined)(`packaged layouts push unchanged${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  it('pushes the oci variant of a two-variant layout when no --variant is given', async () => {
    const out = join(registry.dir, 'both');
    const packaged = await packageWasm({ wasm: await makeWasm(100, 7), name: 'both', outDir: out });
    const { stdout, error } = await runShipCommand(['push', out, `${registry.host}/layout/both:1`, '-q']);
    expect(error).toBeUndefined();
    expect(stdout).toContain(`digest: ${packaged.images.find((i) => i.variant === 'oci')!.digest}`);
    expect(stdout).toContain('(oci variant)');
  });

  it('pushes the digest `asmesh package` computed', async () => {
    const out = join(registry.dir, 'layout');
    const packaged = await packageWasm({ wasm: await makeWasm(100, 5), name: 'layout', outDir: out, variants: ['oci'] });
    const { stdout, error } = await runShipCommand(['push', out, `${registry.host}/layout/x:1`, '-q']);
    expect(error).toBeUndefined();
    expect(stdout).toContain(`digest: ${packaged.images[0]!.digest}`);
  });
});

describe.skipIf(missing !== undefined)(`docker-registry with bearer-token auth${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RunningRegistry;
  let tokens: TokenServer;
  let tokenDir: string;
  let wasm: Uint8Array;
  const user = { username: 'carol', password: 'token-pass' };
  beforeAll(async () => {
    tokenDir = mkdtempSync(join(tmpdir(), 'asmesh-token-'));
    tokens = await startTokenServer(tokenDir, user);
    registry = await startRegistry({ tokenAuth: tokens });
    wasm = await makeWasm(3000, 6);
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
    if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
  });

  it('answers the Bearer challenge with a token for the push and pull scopes', async () => {
    const image = buildImage(wasm, 'oci', { name: 'bearer' });
    const target = parseReference(`${registry.host}/bearer/x:1`);
    await pushImage({ image, ref: target, connection: { credentials: { ...user, source: 'test' } } });
    expect(tokens.requests.at(-1)).toEqual({ scopes: ['repository:bearer/x:pull,push'], user: 'carol' });
    const pulled = await pullImage({ ref: target, connection: { credentials: { ...user, source: 'test' } }, outDir: join(tokenDir, 'pulled') });
    expect(Buffer.from(pulled.wasm).equals(Buffer.from(wasm))).toBe(true);
  });

  it('reports the token service refusing a wrong password, without the password', async () => {
    const image = buildImage(wasm, 'oci', { name: 'bearer' });
    const error = await pushImage({ image, ref: parseReference(`${registry.host}/bearer/bad:1`), connection: { credentials: { username: 'carol', password: 'nope-secret', source: 'test' } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect((error as PushError).message).toMatch(/token service http:\/\/127\.0\.0\.1:\d+ refused the login/);
    expect((error as PushError).status).toBe(401);
    expect((error as PushError).message).not.toContain('nope-secret');
  });
});
