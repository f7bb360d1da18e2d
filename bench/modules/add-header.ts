// Bench module: on our SDK, onRequestHeaders adds one request header and does nothing else
// (the like-for-like case of the TinyGo "add one header" filter).
export * from "../../filters/sdk/exports";
import { registerRootContext, RootContext, Context, FilterHeadersStatusValues, addRequestHeader } from "../../filters/sdk";

class AddHeaderRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new AddHeaderStream(context_id, this);
  }
}

class AddHeaderStream extends Context {
  onRequestHeaders(num_headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    addRequestHeader("x-bench", "1");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new AddHeaderRoot(context_id), "bench");
