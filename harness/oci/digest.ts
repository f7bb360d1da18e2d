import { createHash } from 'node:crypto';

/** A content descriptor as in the OCI image spec. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

/** The hex part of `sha256:<hex>` (what Istio's `WasmPlugin.spec.sha256` holds). */
export function digestHex(digest: string): string {
  return digest.slice('sha256:'.length);
}

export function describe(mediaType: string, bytes: Uint8Array, annotations?: Record<string, string>): Descriptor {
  const d: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
  if (annotations && Object.keys(annotations).length > 0) d.annotations = sortedRecord(annotations);
  return d;
}

/** JSON with object keys in insertion order and no whitespace: callers build objects in a fixed order. */
export function canonicalJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}
