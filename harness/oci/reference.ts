import { ConfigError } from '../errors.ts';
import { isDigest } from './digest.ts';

/** A parsed image reference: `[oci://]registry[:port]/repository[:tag][@sha256:…]`. */
export interface ImageReference {
  /** Registry host as written (`localhost:5000`, `ghcr.io`, `docker.io`). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function parseReference(input: string): ImageReference {
  const text = input.startsWith('oci://') ? input.slice('oci://'.length) : input;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw new ConfigError(`image reference ${JSON.stringify(input)}: digest must be sha256:<64 hex digits>`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ConfigError(`image reference ${JSON.stringify(input)}: invalid tag ${JSON.stringify(tag)}`);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let registry: string;
  let repository: string;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = rest.slice(slash + 1);
  } else {
    registry = DOCKER_HUB;
    repository = slash < 0 ? `library/${rest}` : rest;
  }
  if (!REPOSITORY.test(repository)) {
    throw new ConfigError(`image reference ${JSON.stringify(input)}: invalid repository name ${JSON.stringify(repository)}`, 'repository names are lower-case: registry.example.com/team/plugin:1.0');
  }
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The host the distribution API is served from (Docker Hub's API host differs from its name). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** The tag or digest used in `/v2/<name>/manifests/<reference>`. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** `registry/repository@sha256:…` with the `oci://` scheme Istio's WasmPlugin `url` expects. */
export function ociUrl(ref: ImageReference, digest: string): string {
  return `oci://${ref.registry}/${ref.repository}@${digest}`;
}

export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Loopback registries may be reached over plain HTTP without a flag. */
export function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
