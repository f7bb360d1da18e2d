/**
 * asmesh proxy-wasm host emulator (ABI 0.2.0 / 0.2.1), modelled on Envoy's Wasm HTTP filter
 * (cpp-host + Envoy `source/extensions/common/wasm`). It is an emulator, not Envoy.
 *
 * Layering mirrors Envoy:
 *   WasmHost (one emulated process: clock, logs, metrics, shared data/queues, upstream for http_call)
 *     └─ Plugin (one `PluginConfig`: canary VM check, its root context in the worker VM it shares with the
 *        other plugins of the same vm_id + code + VM configuration, failure policy)
 *          └─ createFilter() → HttpFilter (the plugin's per-stream context)
 *   FilterManager (one HTTP stream: Envoy's filter-chain iteration over HttpFilter[] + a TerminalFilter)
 */
export { WasmHost } from './host.ts';
export type { WasmHostOptions } from './host.ts';
export { Plugin } from './plugin.ts';
export type { PluginSpec, FailurePolicy, HostViolation } from './plugin.ts';
export { FilterManager } from './filter-manager.ts';
export type { FilterManagerOptions } from './filter-manager.ts';
export { HeaderMap, INLINE_HEADERS } from './header-map.ts';
export type { HeaderInit } from './header-map.ts';
export { ManualClock, RealClock } from './clock.ts';
export { MetricStore, DEFAULT_HISTOGRAM_BUCKETS } from './metrics.ts';
export type { Metric, StatsTagRule } from './metrics.ts';
export { checkModule } from './abi/offered.ts';
export type { ModuleCheck, AbiVersion } from './abi/offered.ts';
export { HOSTCALLS, hostcallTable } from './abi/hostcalls.ts';
export type { HostcallInfo } from './abi/hostcalls.ts';
export { buildLocalReply } from './local-reply.ts';
export { serializePairs, parsePairs } from './pairs.ts';
export * from './status.ts';
export type {
  LogEntry, Clock, TimerHandle, HttpCallRequest, HttpCallOutcome, HttpCallTransport, TlsInfo, StreamInfo,
  PropertyValue, LocalReplyRequest, FilterCallbacks, BodyChunk, HttpFilter, TerminalCallbacks, TerminalFilter,
  DownstreamSink, LogLevel,
} from './types.ts';
