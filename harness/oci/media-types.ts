/**
 * Media types and annotation keys of the Wasm image formats Istio's agent pulls
 * (the "oci" variant with custom artifact types and the "compat" variant with a
 * standard tar+gzip layer holding `plugin.wasm`) and of the OCI distribution API.
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** oci variant: the single layer is the raw Wasm module. */
export const WASM_LAYER = 'application/vnd.module.wasm.content.layer.v1+wasm';
/** oci variant: the config blob describes the module for the runtime. */
export const WASM_CONFIG = 'application/vnd.module.wasm.config.v1+json';

/** compat variant: a standard image config and one gzipped tar layer. */
export const OCI_IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const DOCKER_LAYER_TAR_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** Manifest types we accept when pulling, in order of preference. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST];

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_VERSION = 'org.opencontainers.image.version';
export const ANNOTATION_REVISION = 'org.opencontainers.image.revision';
export const ANNOTATION_SOURCE = 'org.opencontainers.image.source';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_DESCRIPTION = 'org.opencontainers.image.description';
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** Marks a compat-variant image so runtimes can tell it from the oci variant. */
export const ANNOTATION_VARIANT = 'module.wasm.image/variant';

/** File name Istio's agent looks for inside a compat layer. */
export const PLUGIN_FILE = 'plugin.wasm';

export type Variant = 'oci' | 'compat';
export const VARIANTS: readonly Variant[] = ['oci', 'compat'];
