/** The emulated Envoy data plane (listeners, routing, clusters, TLS, admin) on top of the host emulator. */
export { startDataPlane, DataPlane } from './dataplane.ts';
export type { DataPlaneOptions, BoundListener } from './dataplane.ts';
export { readDataPlaneConfig } from './config.ts';
export type * from './config-types.ts';
export { selectRoute, selectVirtualHost, matchesHeader, matchesString, pickWeighted, normalizeRequestPath } from './route-match.ts';
export { NO_HEALTHY_UPSTREAM, CONNECTION_FAILURE, UPSTREAM_TIMEOUT } from './upstream.ts';
export { startScenario, renderBootstrap, scenarioEngines } from './scenario.ts';
export type { Scenario, ScenarioSpec, ScenarioFilter, ScenarioResponse, ClientTls } from './scenario.ts';
export { startEchoService } from './echo-service.ts';
export type { EchoService, EchoedRequest } from './echo-service.ts';
export { startEngine, chooseEngine, engineAvailability, ENGINE_NAMES } from './engines.ts';
export type { EngineName, EngineAvailability, RunningEngine, StartEngineOptions } from './engines.ts';
