/**
 * Downstream TLS/mTLS from a `DownstreamTlsContext`, and the peer certificate facts Envoy exposes to filters
 * as `connection.*` properties (URI SANs, subject, SHA-256 digest, mtls).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket, TlsOptions } from 'node:tls';
import type { TlsInfo } from '../host/index.ts';
import { ConfigError } from '../errors.ts';
import type { DataSource, TlsConfig } from './config-types.ts';

export function readDataSource(source: DataSource, what: string): string {
  if ('inline' in source) return source.inline;
  try {
    return readFileSync(source.filename, 'utf8');
  } catch (error) {
    throw new ConfigError(`${what}: cannot read ${source.filename}: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/**
 * Node TLS server options. With a validation context the client certificate is requested; Envoy then rejects
 * a certificate that does not validate, and a missing one only when `require_client_certificate` is true
 * (the connection manager checks `verifyPeer` for the optional case).
 */
export function tlsServerOptions(tls: TlsConfig, listenerName: string): TlsOptions {
  const ca = tls.trustedCa ? readDataSource(tls.trustedCa, `listener ${listenerName} trusted_ca`) : undefined;
  return {
    cert: readDataSource(tls.certificateChain, `listener ${listenerName} certificate_chain`),
    key: readDataSource(tls.privateKey, `listener ${listenerName} private_key`),
    ca,
    requestCert: ca !== undefined || tls.requireClientCertificate,
    rejectUnauthorized: tls.requireClientCertificate,
    ALPNProtocols: ['http/1.1'],
  };
}

/** False when the peer presented a certificate that does not validate (Envoy closes such connections). */
export function verifyPeer(socket: TLSSocket): boolean {
  const peer = socket.getPeerCertificate();
  const presented = peer && Object.keys(peer).length > 0;
  return !presented || socket.authorized;
}

/** What Envoy's SSL connection info reports about a downstream TLS connection. */
export function tlsInfo(socket: TLSSocket): TlsInfo {
  const info: TlsInfo = { sni: (socket as TLSSocket & { servername?: string | false }).servername || undefined, version: socket.getProtocol() ?? undefined, mtls: false };
  const local = socket.getX509Certificate?.();
  if (local) {
    info.subjectLocalCertificate = rfc2253(local.subject);
    info.uriSanLocalCertificate = sans(local, 'URI');
    info.dnsSanLocalCertificate = sans(local, 'DNS');
  }
  const peer = socket.getPeerX509Certificate?.();
  if (peer && socket.authorized) {
    info.mtls = true;
    info.subjectPeerCertificate = rfc2253(peer.subject);
    info.uriSanPeerCertificate = sans(peer, 'URI');
    info.dnsSanPeerCertificate = sans(peer, 'DNS');
    info.sha256PeerCertificateDigest = createHash('sha256').update(peer.raw).digest('hex');
    info.peerCertificate = encodeURIComponent(peer.toString());
  }
  return info;
}

/** Node prints the subject one RDN per line in certificate order; Envoy prints RFC 2253 (reversed, comma-separated). */
function rfc2253(subject: string): string {
  return subject.split('\n').filter(Boolean).reverse().join(',');
}

function sans(cert: X509Certificate, kind: 'URI' | 'DNS'): string[] {
  const out: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith(`${kind}:`)) out.push(part.slice(kind.length + 1));
  }
  return out;
}
