// Bench module: module (d) written on bare @solo-io/proxy-runtime 0.1.8 — read the request headers and
// add one header — for comparison with the same filter on our SDK.
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, FilterHeadersStatusValues, stream_context,
} from "@solo-io/proxy-runtime";

class HeadersRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new HeadersStream(context_id, this);
  }
}

class HeadersStream extends Context {
  constructor(context_id: u32, root: HeadersRoot) {
    super(context_id, root);
  }
  onRequestHeaders(num_headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const headers = stream_context.headers.request.get_headers();
    let agent = false;
    let bench = false;
    for (let i = 0; i < headers.length; i++) {
      const name = String.UTF8.decode(headers[i].key);
      if (name == "user-agent") agent = true;
      if (name == "x-bench") bench = true;
    }
    if (agent && !bench) stream_context.headers.request.add("x-bench", "1");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new HeadersRoot(context_id), "bench");
