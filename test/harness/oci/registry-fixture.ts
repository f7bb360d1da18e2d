/**
 * Starts Debian's `docker-registry` (the CNCF distribution registry) on a loopback ephemeral port
 * with a throw-away config: plain, with htpasswd basic auth, and/or TLS from a certificate made
 * with openssl at test time. Test-only; the tests stop it in afterAll.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RegistryOptions {
  basicAuth?: { username: string; password: string };
  tls?: boolean;
  /** Bearer-token auth: the registry trusts tokens signed by this issuer's certificate. */
  tokenAuth?: { realm: string; service: string; issuer: string; rootCertPath: string };
}

export interface RunningRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  dir: string;
  /** PEM of the generated CA/server certificate when TLS is on. */
  caPem?: string;
  /** Directory with `ca.crt` for skopeo's --cert-dir. */
  certDir?: string;
  stop(): Promise<void>;
}

/** Why the registry tests cannot run here, or undefined when they can. */
export function registryUnavailableReason(): string | undefined {
  for (const tool of ['docker-registry', 'htpasswd', 'openssl']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} not installed (apt-get install -y docker-registry apache2-utils openssl skopeo)`;
    }
  }
  return undefined;
}

export function skopeoUnavailableReason(): string | undefined {
  try {
    execFileSync('sh', ['-c', 'command -v skopeo'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skopeo not installed (apt-get install -y skopeo)';
  }
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'asmesh-registry-'));
  const lines = [
    'version: 0.1',
    'log: {level: info, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${JSON.stringify(join(dir, 'data'))}}, delete: {enabled: true}}`,
    'http:',
    '  addr: "127.0.0.1:0"',
    '  secret: asmesh-test-secret',
  ];
  let caPem: string | undefined;
  let certDir: string | undefined;
  if (options.tls) {
    const cert = join(dir, 'server.crt');
    const key = join(dir, 'server.key');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    lines.push(`  tls: {certificate: ${JSON.stringify(cert)}, key: ${JSON.stringify(key)}}`);
    caPem = readFileSync(cert, 'utf8');
    certDir = join(dir, 'certs');
    mkdirSync(certDir, { recursive: true });
    writeFileSync(join(certDir, 'ca.crt'), caPem);
  }
  if (options.basicAuth) {
    const htpasswd = join(dir, 'htpasswd');
    const entry = execFileSync('htpasswd', ['-Bbn', options.basicAuth.username, options.basicAuth.password], { encoding: 'utf8' });
    writeFileSync(htpasswd, entry);
    lines.push('auth:', `  htpasswd: {realm: asmesh-test, path: ${JSON.stringify(htpasswd)}}`);
  }
  if (options.tokenAuth) {
    const t = options.tokenAuth;
    lines.push('auth:', `  token: {realm: ${JSON.stringify(t.realm)}, service: ${JSON.stringify(t.service)}, issuer: ${JSON.stringify(t.issuer)}, rootcertbundle: ${JSON.stringify(t.rootCertPath)}}`);
  }
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, lines.join('\n') + '\n');
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const host = await waitForListening(child);
  return {
    host,
    dir,
    caPem,
    certDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`docker-registry did not start within 15 s:\n${log}`)), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    const onData = (data: Buffer) => {
      log += data.toString('utf8');
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`docker-registry exited with ${code}:\n${log}`)));
  });
}
