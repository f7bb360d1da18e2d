// Bench module (d): on our SDK, read the request headers (one pairs call) and add one header.
export * from "../../filters/sdk/exports";
import {
  registerRootContext, RootContext, Context, FilterHeadersStatusValues, requestHeaders, addRequestHeader,
} from "../../filters/sdk";

class HeadersRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new HeadersStream(context_id, this);
  }
}

class HeadersStream extends Context {
  onRequestHeaders(num_headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const headers = requestHeaders();
    const agent = headers.get("user-agent");
    if (agent !== null && headers.size > 0 && !headers.has("x-bench")) addRequestHeader("x-bench", "1");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new HeadersRoot(context_id), "bench");
