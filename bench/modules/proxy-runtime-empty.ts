// Bench module (b): an empty filter on bare @solo-io/proxy-runtime 0.1.8 (its exports and defaults).
export * from "@solo-io/proxy-runtime/proxy";
import { RootContext, Context, registerRootContext } from "@solo-io/proxy-runtime";

class EmptyRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new Context(context_id, this);
  }
}

registerRootContext((context_id: u32) => new EmptyRoot(context_id), "bench");
