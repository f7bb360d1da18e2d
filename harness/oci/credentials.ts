import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

/** Credentials for one registry. `identityToken` is an OAuth2 refresh token (Docker's `identitytoken`). */
export interface Credentials {
  username?: string;
  password?: string;
  identityToken?: string;
  /** Where they came from, for messages (never the secret itself). */
  source: string;
}

export interface CredentialOptions {
  username?: string;
  password?: string;
  /** Environment to read `ASMESH_REGISTRY_USERNAME` / `ASMESH_REGISTRY_PASSWORD` and `DOCKER_CONFIG` from. */
  env?: NodeJS.ProcessEnv;
  /** Directory holding `config.json`; default `$DOCKER_CONFIG` or `~/.docker`. */
  dockerConfigDir?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** Flags, then environment, then Docker's config (credential helper, `auths`, `credsStore`); undefined = anonymous. */
export async function resolveCredentials(registry: string, options: CredentialOptions = {}): Promise<Credentials | undefined> {
  const env = options.env ?? process.env;
  if (options.username !== undefined || options.password !== undefined) {
    if (!options.username || options.password === undefined) throw new ConfigError('--username and --password go together');
    return { username: options.username, password: options.password, source: 'command-line flags' };
  }
  if (env.ASMESH_REGISTRY_USERNAME && env.ASMESH_REGISTRY_PASSWORD !== undefined) {
    return { username: env.ASMESH_REGISTRY_USERNAME, password: env.ASMESH_REGISTRY_PASSWORD, source: 'ASMESH_REGISTRY_USERNAME/PASSWORD' };
  }
  const dir = options.dockerConfigDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const config = await readDockerConfig(join(dir, 'config.json'));
  if (!config) return undefined;
  const keys = registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry];
  const helper = findKey(config.credHelpers, keys);
  if (helper) return runCredentialHelper(helper.value, helper.key, env);
  const entry = findKey(config.auths, keys);
  if (entry) {
    const { auth, username, password, identitytoken } = entry.value;
    const source = `${join(dir, 'config.json')} auths`;
    if (identitytoken) return { identityToken: identitytoken, username, source };
    if (auth) {
      const decoded = Buffer.from(auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new ConfigError(`${join(dir, 'config.json')}: auths entry for ${entry.key} is not base64 "user:password"`);
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
    }
    if (username) return { username, password: password ?? '', source };
  }
  if (config.credsStore) return runCredentialHelper(config.credsStore, keys[0]!, env);
  return undefined;
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (cause) {
    throw new ConfigError(`${path}: not valid JSON`, undefined, { cause });
  }
}

/** Matches config keys written as `host`, `https://host` or `https://host/v1/`. */
function findKey<T>(record: Record<string, T> | undefined, keys: string[]): { key: string; value: T } | undefined {
  if (!record) return undefined;
  const wanted = new Set(keys.map(normalizeKey));
  for (const [key, value] of Object.entries(record)) if (wanted.has(normalizeKey(key))) return { key, value };
  return undefined;
}

function normalizeKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/** Runs `docker-credential-<helper> get` (the Docker credential-helper protocol). */
function runCredentialHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (cause) => reject(new ConfigError(`credential helper ${program} could not run`, 'install it or remove it from ~/.docker/config.json', { cause })));
    child.on('close', (code) => {
      if (code !== 0) {
        if (/credentials not found/i.test(out + err)) return resolve(undefined);
        return reject(new ConfigError(`credential helper ${program} failed (exit ${code}): ${(out + err).trim().slice(0, 200)}`));
      }
      try {
        const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
        const source = `credential helper ${program}`;
        if (parsed.Username === '<token>') resolve({ identityToken: parsed.Secret ?? '', source });
        else resolve({ username: parsed.Username ?? '', password: parsed.Secret ?? '', source });
      } catch (cause) {
        reject(new ConfigError(`credential helper ${program} printed something other than JSON`, undefined, { cause }));
      }
    });
    child.stdin.end(serverUrl);
  });
}
