/** Which header map a context can reach for a map type right now (reference §4.1, §5.1). */
import type { HostContext } from '../context.ts';
import type { HeaderMap } from '../header-map.ts';
import { MapType } from '../status.ts';

export interface MapLookup {
  map: HeaderMap | null;
  writable: boolean;
  /** Access-log phase: missing maps read as NotFound on get_header_map_value. */
  logPhase: boolean;
}

const NONE: MapLookup = { map: null, writable: false, logPhase: false };

/** `forWrite` on the last body chunk creates the trailer map (Envoy addDecodedTrailers/addEncodedTrailers). */
export function lookupMap(ctx: HostContext | undefined, type: number, forWrite: boolean): MapLookup {
  if (!ctx) return NONE;
  // Envoy getConstMap: http-call maps come from the root context, whichever context is effective.
  if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) {
    const r = ctx.root.httpCallResponse;
    const map = type === MapType.HttpCallResponseHeaders ? r?.headers : r?.trailers;
    return { map: map ?? null, writable: false, logPhase: !ctx.isRoot && ctx.inLog };
  }
  if (ctx.isRoot) return NONE;
  if (ctx.inLog) {
    const m = ctx.logMaps;
    const map =
      type === MapType.HttpRequestHeaders ? m?.requestHeaders ?? null
      : type === MapType.HttpResponseHeaders ? m?.responseHeaders ?? null
      : type === MapType.HttpResponseTrailers ? m?.responseTrailers ?? null
      : null;
    return { map, writable: false, logPhase: true };
  }
  switch (type) {
    case MapType.HttpRequestHeaders:
      return { map: ctx.requestHeaders, writable: true, logPhase: false };
    case MapType.HttpResponseHeaders:
      return { map: ctx.responseHeaders, writable: true, logPhase: false };
    case MapType.HttpRequestTrailers:
      if (!ctx.requestTrailers && forWrite && ctx.canAddRequestTrailers && ctx.callbacks) {
        ctx.requestTrailers = ctx.callbacks.addDecodedTrailers();
      }
      return { map: ctx.requestTrailers, writable: true, logPhase: false };
    case MapType.HttpResponseTrailers:
      if (!ctx.responseTrailers && forWrite && ctx.canAddResponseTrailers && ctx.callbacks) {
        ctx.responseTrailers = ctx.callbacks.addEncodedTrailers();
      }
      return { map: ctx.responseTrailers, writable: true, logPhase: false };
    default:
      return NONE;
  }
}
