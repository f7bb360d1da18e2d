/** Test fixtures: the WAT probe filter compiled with wabt, and certificates made with openssl at test time. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CACHE = join(import.meta.dirname, '../../../.cache/test-dataplane');

/** Compiles fixtures/<name>.wat to .cache/test-dataplane/<name>.wasm and returns its path. */
export async function compileWat(name: string): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const wabt = await wabtInit();
  const module = wabt.parseWat(`${name}.wat`, readFileSync(join(FIXTURES, `${name}.wat`), 'utf8'));
  const { buffer } = module.toBinary({});
  module.destroy();
  const out = join(CACHE, `${name}.wasm`);
  writeFileSync(out, buffer);
  return out;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Client certificate with URI SAN `spiffe://cluster.local/ns/<ns>/sa/<sa>`. */
  client(ns: string, sa: string): { cert: string; key: string };
  /** A client certificate signed by a different CA. */
  rogueClient(): { cert: string; key: string };
}

/** A CA, a server certificate for 127.0.0.1/localhost and SPIFFE client certificates, made with openssl. */
export function makePki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ca = (name: string): void => {
    if (!existsSync(join(dir, `${name}.crt`)))
      ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/O=asmesh-test/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  };
  const leaf = (name: string, issuer: string, subject: string, san: string): { cert: string; key: string } => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  };
  ca('ca');
  const server = leaf('server', 'ca', '/O=asmesh-test/CN=localhost', 'DNS:localhost,IP:127.0.0.1');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: server.cert,
    serverKey: server.key,
    client: (ns, sa) => leaf(`client-${ns}-${sa}`, 'ca', `/O=asmesh-test/CN=${sa}`, `URI:spiffe://cluster.local/ns/${ns}/sa/${sa}`),
    rogueClient: () => {
      ca('rogue-ca');
      return leaf('rogue', 'rogue-ca', '/O=rogue/CN=rogue', 'URI:spiffe://cluster.local/ns/evil/sa/rogue');
    },
  };
}
