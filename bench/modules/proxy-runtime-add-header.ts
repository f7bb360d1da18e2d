// Bench module: on bare @solo-io/proxy-runtime 0.1.8, onRequestHeaders adds one request header and does
// nothing else (its own `stream_context.headers.request.add`), for contrast with the same filter on our SDK.
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, FilterHeadersStatusValues, stream_context,
} from "@solo-io/proxy-runtime";

class AddHeaderRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new AddHeaderStream(context_id, this);
  }
}

class AddHeaderStream extends Context {
  constructor(context_id: u32, root: AddHeaderRoot) {
    super(context_id, root);
  }
  onRequestHeaders(num_headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.request.add("x-bench", "1");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new AddHeaderRoot(context_id), "bench");
