// Bench module: an otherwise empty filter on bare @solo-io/proxy-runtime 0.1.8 whose stream and root classes
// can reference each other (a typical filter shape: the root keeps streams, the stream keeps its root). That
// makes AssemblyScript 0.17 use deferred cycle collection, and proxy-runtime never runs __collect(): every
// stream context touched through its Map stays allocated. This is the per-request growth reported for
// 0.1.8 filters; an empty filter with no cyclic type stays flat (see the README's Benchmarks section).
export * from "@solo-io/proxy-runtime/proxy";
import { RootContext, Context, registerRootContext } from "@solo-io/proxy-runtime";

class CyclicRoot extends RootContext {
  last: CyclicStream | null = null;   // never set: the type alone makes the stream class cyclic
  createContext(context_id: u32): Context {
    return new CyclicStream(context_id, this);
  }
}

class CyclicStream extends Context {
  owner: CyclicRoot;
  constructor(context_id: u32, root: CyclicRoot) {
    super(context_id, root);
    this.owner = root;
  }
}

registerRootContext((context_id: u32) => new CyclicRoot(context_id), "bench");
