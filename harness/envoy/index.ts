/** Real Envoy: lookup (ENVOY_BIN, func-e, PATH), process lifecycle, admin client, and bootstrap proto validation. */
export { locateEnvoy, findOnPath, INSTALL_HINT } from './locate.ts';
export type { EnvoyLocation } from './locate.ts';
export { startEnvoy, EnvoyProcess, envoyErrorLine } from './process.ts';
export type { StartEnvoyOptions } from './process.ts';
export { isReady, prometheus, statsJson, statValue, listeners, quit, adminGet } from './admin-client.ts';
export type { ListenerAddress, StatsJson } from './admin-client.ts';
export { checkBootstrap, checkMessage, validateBootstrap, loadBootstrapFile, parseBootstrapText, formatIssues, BOOTSTRAP_TYPE } from './validate.ts';
export type { ValidatedBootstrap, ProtoIssue } from './validate.ts';
export { envoyProtoSet } from './proto-set.ts';
