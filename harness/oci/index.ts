/** Wasm plugin images without Docker: build (both Istio variants), OCI image layout, push and pull. */
export * from './media-types.ts';
export { sha256Digest, digestHex, type Descriptor, type ImageManifest } from './digest.ts';
export { buildImage, dockerfile, runtimeConfig, type Image, type ImageOptions } from './image.ts';
export { isLayout, readIndex, readLayoutImage, readBlob, writeLayout, tarDirectory, type LayoutIndex } from './layout.ts';
export { packageWasm, type PackageOptions, type PackageResult, type PackagedImage } from './package.ts';
export { parseReference, formatReference, ociUrl, isLoopback, type ImageReference } from './reference.ts';
export { resolveCredentials, type Credentials, type CredentialOptions } from './credentials.ts';
export { RegistryClient, type ConnectionOptions } from './registry.ts';
export { pushImage, type PushOptions, type PushProgress, type PushResult, type BlobAction } from './push.ts';
export { pullImage, extractWasm, type PullOptions, type PullResult } from './pull.ts';
export { readTar, writeTar, type TarEntry } from './tar.ts';
export { resolveWasm, loadImage, type WasmSource } from './source.ts';
export { isWasm, proxyAbiVersions } from './wasm-info.ts';
