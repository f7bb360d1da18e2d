import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { resolveCredentials } from '../../../harness/oci/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'asmesh-creds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (config: unknown) => writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
const env = (extra: Record<string, string> = {}) => ({ PATH: `${dir}:${process.env.PATH}`, ...extra });

describe('resolveCredentials', () => {
  it('is anonymous without flags, environment or Docker config', async () => {
    expect(await resolveCredentials('reg.example.com', { env: env(), dockerConfigDir: dir })).toBeUndefined();
  });

  it('prefers flags over the environment', async () => {
    const creds = await resolveCredentials('reg.example.com', {
      username: 'flag', password: 'fp', env: env({ ASMESH_REGISTRY_USERNAME: 'envu', ASMESH_REGISTRY_PASSWORD: 'envp' }), dockerConfigDir: dir,
    });
    expect(creds).toMatchObject({ username: 'flag', password: 'fp' });
  });

  it('reads ASMESH_REGISTRY_USERNAME and ASMESH_REGISTRY_PASSWORD', async () => {
    const creds = await resolveCredentials('reg.example.com', { env: env({ ASMESH_REGISTRY_USERNAME: 'envu', ASMESH_REGISTRY_PASSWORD: 'envp' }), dockerConfigDir: dir });
    expect(creds).toMatchObject({ username: 'envu', password: 'envp' });
  });

  it('rejects a username without a password', async () => {
    await expect(resolveCredentials('reg.example.com', { username: 'u', env: env(), dockerConfigDir: dir })).rejects.toThrow(ConfigError);
  });

  it('decodes an auths entry written with a scheme', async () => {
    writeConfig({ auths: { 'https://reg.example.com': { auth: Buffer.from('alice:s3cr:et').toString('base64') } } });
    expect(await resolveCredentials('reg.example.com', { env: env(), dockerConfigDir: dir })).toMatchObject({ username: 'alice', password: 's3cr:et' });
  });

  it('maps docker.io to the index.docker.io key', async () => {
    writeConfig({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('bob:pw').toString('base64') } } });
    expect(await resolveCredentials('docker.io', { env: env(), dockerConfigDir: dir })).toMatchObject({ username: 'bob', password: 'pw' });
  });

  it('asks the configured credential helper with the Docker helper protocol', async () => {
    const helper = join(dir, 'docker-credential-asmeshtest');
    writeFileSync(helper, '#!/bin/sh\nread server\n[ "$1" = get ] || exit 3\necho "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"helper-user\\",\\"Secret\\":\\"for-$server\\"}"\n');
    chmodSync(helper, 0o755);
    writeConfig({ credHelpers: { 'reg.example.com': 'asmeshtest' }, auths: { 'reg.example.com': { auth: Buffer.from('x:y').toString('base64') } } });
    const creds = await resolveCredentials('reg.example.com', { env: env(), dockerConfigDir: dir });
    expect(creds).toMatchObject({ username: 'helper-user', password: 'for-reg.example.com', source: 'credential helper docker-credential-asmeshtest' });
  });

  it('treats a helper answering "credentials not found" as anonymous', async () => {
    const helper = join(dir, 'docker-credential-none');
    writeFileSync(helper, '#!/bin/sh\necho "credentials not found in native keychain"\nexit 1\n');
    chmodSync(helper, 0o755);
    writeConfig({ credsStore: 'none' });
    expect(await resolveCredentials('reg.example.com', { env: env(), dockerConfigDir: dir })).toBeUndefined();
  });

  it('names a missing helper in a ConfigError', async () => {
    writeConfig({ credHelpers: { 'reg.example.com': 'missing-helper-xyz' } });
    await expect(resolveCredentials('reg.example.com', { env: env(), dockerConfigDir: dir })).rejects.toThrow(/docker-credential-missing-helper-xyz/);
  });
});
