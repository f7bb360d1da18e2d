// SDK probe: a filter that exercises every SDK wrapper, driven by the tests in test/filters/sdk/.
// Each request header `x-op: <name>` selects an operation; results go to response headers / logs.
export * from "../../../../filters/sdk/exports";
import {
  RootContext, Context, BaseContext, registerRootContext, httpCall, httpCallResponse, pluginConfiguration, vmConfiguration,
  WasmResultValues, LogLevelValues, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues,
  MapTypeValues, BufferTypeValues, MetricTypeValues, GrpcStatusValues,
  Headers, HeaderPairs, requestHeaders, responseHeaders, requestTrailers, responseTrailers, httpCallResponseHeaders,
  getRequestHeader, getResponseHeader, setRequestHeader, addRequestHeader, removeRequestHeader,
  setResponseHeader, addResponseHeader, removeResponseHeader, setHeaderPairs,
  log, lastStatus, hostErrorCount, currentTimeNanos, setTickPeriod, getStatus,
  encodePropertyPath, getPropertyEncoded, getHeaderMapSize, getBufferSize, setBufferBytes, getBufferBytes,
  closeStream, SharedData, getSharedData, setSharedData,
  registerSharedQueue, resolveSharedQueue, enqueueSharedQueue, dequeueSharedQueue,
  setEffectiveContext, callForeignFunction,
  now, getProperty, getPropertyString, getPropertyInt, setProperty, setPropertyString,
  sendLocalResponse, continueRequest, continueResponse, requestBody, responseBody, setRequestBody, setResponseBody,
  Counter, Gauge, Histogram, MetricCache, Config, ObjectReader, ArrayReader,
} from "../../../../filters/sdk";
import { Context as RuntimeContext } from "@solo-io/proxy-runtime";

function or(value: string | null, fallback: string): string {
  if (value === null) return fallback;
  return value;
}

class ProbeRoot extends RootContext {
  requests: Counter | null = null;
  active: Gauge | null = null;
  sizes: Histogram | null = null;
  cache: MetricCache = new MetricCache(4);
  queue: u32 = 0;
  ticks: i32 = 0;
  prefix: string = "";

  onStart(vm_configuration_size: usize): bool {
    const vm = vmConfiguration(vm_configuration_size);
    if (vm.length > 0) log(LogLevelValues.info, "probe vm config: " + vm);
    return vm != "refuse";
  }

  onConfigure(size: u32): bool {
    const text = pluginConfiguration(size);
    const cfg = Config.parseOrEmpty(text);
    const root = cfg.root;
    if (root !== null) {
      this.prefix = root.string("prefix", "probe");
      root.int("limit", 10, 0, 100);
      root.number("ratio", 0.5, 0, 1);
      root.bool("enabled", true);
      root.oneOf("mode", ["a", "b"], "a");
      root.stringArray("tags");
      const rules = root.array("rules");
      if (rules !== null) {
        for (let i = 0; i < rules.length; i++) {
          const rule = rules.object(i);
          if (rule === null) continue;
          rule.requiredString("name");
          const match = rule.requiredObject("match");
          if (match !== null) {
            match.string("prefix");
            match.end();
          }
          rule.end();
        }
      }
      const nested = root.object("nested");
      if (nested !== null) { nested.requiredInt("n", 1, 5); nested.end(); }
      root.end();
    }
    if (!cfg.ok) {
      cfg.report("probe");
      return false;
    }
    this.requests = new Counter(this.prefix + ".requests");
    this.active = new Gauge(this.prefix + ".active");
    this.sizes = new Histogram(this.prefix + ".sizes");
    this.queue = registerSharedQueue("probe-queue");
    return true;
  }

  createContext(id: u32): Context { return new ProbeStream(id, this); }

  onTick(): void {
    this.ticks++;
    log(LogLevelValues.info, "tick " + this.ticks.toString());
  }

  onQueueReady(token: u32): void {
    const item = dequeueSharedQueue(token);
    log(LogLevelValues.info, "queue ready: " + (item === null ? "null" : String.UTF8.decode(item)));
  }
}

function onCallout(origin: BaseContext, numHeaders: u32, bodySize: usize, numTrailers: u32): void {
  const stream = changetype<ProbeStream>(origin);
  const response = httpCallResponse();
  if (response.failed) {
    const s = getStatus();
    setRequestHeader("x-callout-failed", s.code.toString() + " " + s.message);
  }
  const body = response.body;
  setRequestHeader("x-callout-status", response.status.toString());
  setRequestHeader("x-callout-body", body === null ? "null" : String.UTF8.decode(body));
  setRequestHeader("x-callout-stream", stream.context_id.toString());
  continueRequest();
}

function onRuntimeCallout(origin: RuntimeContext, numHeaders: u32, bodySize: usize, numTrailers: u32): void {}

class ProbeStream extends Context {
  probe: ProbeRoot;
  op: string = "";
  constructor(id: u32, root: ProbeRoot) {
    super(id, root);
    this.probe = root;
  }

  onRequestHeaders(n: u32, eos: bool): FilterHeadersStatusValues {
    const h = requestHeaders();
    const op = h.get("X-Op");
    if (op === null) return FilterHeadersStatusValues.Continue;
    this.op = op;
    if (op == "headers") {
      // Echo a digest of what the view saw into request headers.
      let names = "";
      for (let i = 0; i < h.size; i++) names += (i > 0 ? "," : "") + h.keyAt(i) + "=" + h.valueAt(i);
      addRequestHeader("x-seen", names);
      addRequestHeader("x-size", h.size.toString());
      const missing = h.get("x-missing");
      addRequestHeader("x-missing-is-null", missing === null ? "yes" : "no");
      addRequestHeader("x-has-host", h.has(":AUTHORITY") ? "yes" : "no");
      addRequestHeader("x-all-multi", h.getAll("x-multi").join("|"));
      const single = getRequestHeader("x-missing");
      addRequestHeader("x-get-missing", single === null ? "null" : single);
      removeRequestHeader("x-remove-me");
      setRequestHeader("x-replaced", "new");
      addRequestHeader("x-map-size", getHeaderMapSize(MapTypeValues.RequestHeaders).toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "utf8") {
      // A non-ASCII value read through the view (UTF-8 decoder path) and written back; a value whose worst-case
      // UTF-8 size is over the SDK's scratch limit (16 KiB) takes the allocating path.
      const v = h.get("X-Utf8");
      addRequestHeader("x-utf8-echo", v === null ? "null" : v);
      addRequestHeader("x-long", "é".repeat(6000) + "|" + h.get(":authority")!);
      setRequestHeader("x-replaced-utf8", "ü✓");
      addRequestHeader("x-size-ascii", h.indexOf("x-op").toString() + "," + h.indexOf("x-o").toString() + "," + h.indexOf("x-opp").toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "set-pairs") {
      setHeaderPairs(MapTypeValues.RequestHeaders, new HeaderPairs().add(":method", "GET").add(":path", "/p").add(":authority", "a").add("x-only", "1"));
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "reply") {
      sendLocalResponse(403, "probe_denied", "denied by probe", new HeaderPairs().add("x-reply", "yes"));
      return FilterHeadersStatusValues.StopIteration;
    }
    if (op == "grpc-reply") {
      sendLocalResponse(200, "probe_grpc", "", null, GrpcStatusValues.PermissionDenied);
      return FilterHeadersStatusValues.StopIteration;
    }
    if (op == "property") {
      const path = getPropertyString(["request", "path"]);
      const missing = getPropertyString(["request", "no_such"]);
      const dotted = getPropertyString(["request.path"]);
      const size = getPropertyInt(["request", "size"], -7);
      const raw = getProperty(["plugin_root_id"]);
      setProperty(["probe_value"], String.UTF8.encode("v1"));
      setPropertyString(["probe_text"], "t1");
      const back = getPropertyString(["probe_text"]);
      addRequestHeader("x-prop-path", path === null ? "null" : path);
      addRequestHeader("x-prop-missing", missing === null ? "null" : missing);
      addRequestHeader("x-prop-dotted", dotted === null ? "null" : dotted);
      addRequestHeader("x-prop-size", size.toString());
      addRequestHeader("x-prop-root", raw === null ? "null" : String.UTF8.decode(raw));
      addRequestHeader("x-prop-back", back === null ? "null" : back);
      const enc = encodePropertyPath(["a", "b"]);
      addRequestHeader("x-prop-enc-len", enc.byteLength.toString());
      const v = getPropertyEncoded(enc);
      addRequestHeader("x-prop-enc", v === null ? "null" : "value");
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "shared") {
      const first = getSharedData("probe-key");
      addRequestHeader("x-shared-first", first === null ? "null" : "found");
      addRequestHeader("x-set1", setSharedData("probe-key", String.UTF8.encode("one")).toString());
      const got = getSharedData("probe-key");
      const cas = got === null ? 0 : got.cas;
      addRequestHeader("x-got", got === null ? "null" : String.UTF8.decode(got.value));
      addRequestHeader("x-set-ok", setSharedData("probe-key", String.UTF8.encode("two"), cas).toString());
      addRequestHeader("x-set-stale", setSharedData("probe-key", String.UTF8.encode("three"), cas).toString());
      const last = getSharedData("probe-key");
      addRequestHeader("x-final", last === null ? "null" : String.UTF8.decode(last.value));
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "queue") {
      const token = resolveSharedQueue("", "probe-queue");
      const unknown = resolveSharedQueue("", "no-such-queue");
      addRequestHeader("x-queue-same", token == this.probe.queue && token != 0 ? "yes" : "no");
      addRequestHeader("x-queue-unknown", unknown.toString());
      const empty = dequeueSharedQueue(token);
      addRequestHeader("x-queue-empty", empty === null && lastStatus() == WasmResultValues.Empty ? "yes" : "no");
      addRequestHeader("x-enqueue", enqueueSharedQueue(token, String.UTF8.encode("item-1")).toString());
      addRequestHeader("x-enqueue-bad", enqueueSharedQueue(999999, String.UTF8.encode("x")).toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "metrics") {
      const c = this.probe.requests!;
      c.increment();
      c.increment(4);
      const g = this.probe.active!;
      g.set(10);
      g.add(-3);
      this.probe.sizes!.record(42);
      const cached = this.probe.cache.counter("probe.label.a");
      cached.increment();
      const again = this.probe.cache.counter("probe.label.a");
      addRequestHeader("x-counter", c.value.toString());
      addRequestHeader("x-gauge", g.value.toString());
      addRequestHeader("x-same-id", cached.id == again.id ? "yes" : "no");
      addRequestHeader("x-cache-size", this.probe.cache.size.toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "callout") {
      const token = httpCall(this, "auth", new HeaderPairs().add(":method", "GET").add(":path", "/check").add(":authority", "auth"),
        String.UTF8.encode("ping"), 1000, onCallout);
      if (token == 0) {
        addRequestHeader("x-callout-refused", lastStatus().toString());
        return FilterHeadersStatusValues.Continue;
      }
      return FilterHeadersStatusValues.StopAllIterationAndWatermark;
    }
    if (op == "callout-bad") {
      const token = httpCall(this, "no-such-cluster", new HeaderPairs().add(":method", "GET").add(":path", "/").add(":authority", "x"),
        null, 1000, onCallout);
      addRequestHeader("x-callout-refused", token == 0 ? lastStatus().toString() : "no");
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "runtime-httpcall") {
      const result = this.root.httpCall("auth", [], new ArrayBuffer(0), [], 1000, this, onRuntimeCallout);
      addRequestHeader("x-runtime-httpcall", result.toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "tick") {
      setTickPeriod(100);
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "time") {
      addRequestHeader("x-now-ms", now().toString());
      addRequestHeader("x-now-ns-ok", currentTimeNanos() > 0 ? "yes" : "no");
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "foreign") {
      const r = callForeignFunction("no_such_function", new ArrayBuffer(0));
      addRequestHeader("x-foreign", r === null ? lastStatus().toString() : "value");
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "effective") {
      addRequestHeader("x-effective-bad", setEffectiveContext(987654).toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "errors") {
      // Calls on maps not writable now must not trap; they are counted.
      const before = hostErrorCount();
      setResponseHeader("x-late", "1");
      addResponseHeader("x-late", "1");
      removeResponseHeader("x-late");
      addRequestHeader("x-errors", (hostErrorCount() - before).toString());
      const rh = responseHeaders();
      addRequestHeader("x-resp-size-now", rh.size.toString());
      const rt = requestTrailers();
      addRequestHeader("x-trailers-now", rt.size.toString());
      addRequestHeader("x-resp-get", getResponseHeader(":status") === null ? "null" : "value");
      addRequestHeader("x-buffer-size", getBufferSize(BufferTypeValues.PluginConfiguration).toString());
      return FilterHeadersStatusValues.Continue;
    }
    if (op == "close") {
      closeStream(0);
      return FilterHeadersStatusValues.StopIteration;
    }
    if (op == "buffer") return FilterHeadersStatusValues.Continue;
    if (op == "abort") {
      throw new Error("probe abort");
    }
    return FilterHeadersStatusValues.Continue;
  }

  onRequestBody(size: usize, eos: bool): FilterDataStatusValues {
    if (this.op != "buffer") return FilterDataStatusValues.Continue;
    if (!eos) return FilterDataStatusValues.StopIterationAndBuffer;
    const body = requestBody(<u32>size);
    const text = body === null ? "null" : String.UTF8.decode(body);
    setRequestBody(String.UTF8.encode(text.toUpperCase()));
    return FilterDataStatusValues.Continue;
  }

  onRequestTrailers(n: u32): FilterTrailersStatusValues {
    return FilterTrailersStatusValues.Continue;
  }

  onResponseHeaders(n: u32, eos: bool): FilterHeadersStatusValues {
    if (this.op == "response") {
      const h = responseHeaders();
      setResponseHeader("x-status-seen", or(h.get(":status"), "none"));
      const req = requestHeaders();
      setResponseHeader("x-request-visible", req.size.toString());
    }
    return FilterHeadersStatusValues.Continue;
  }

  onResponseBody(size: usize, eos: bool): FilterDataStatusValues {
    if (this.op == "response" && eos) {
      const b = responseBody(<u32>size);
      if (b !== null) setResponseBody(String.UTF8.encode("[" + String.UTF8.decode(b) + "]"));
    }
    return FilterDataStatusValues.Continue;
  }

  onLog(): void {
    if (this.op == "log") {
      const h = requestHeaders();
      log(LogLevelValues.info, "log phase sees " + h.size.toString() + " request headers, path " + or(h.get(":path"), "?"));
      const t = responseTrailers();
      log(LogLevelValues.info, "trailers " + t.size.toString());
      setBufferBytes(BufferTypeValues.HttpResponseBody, 0, 0, new ArrayBuffer(0));
      continueResponse();
    }
  }
}

registerRootContext((id: u32) => new ProbeRoot(id), "probe");
