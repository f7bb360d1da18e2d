// The empty filter: every hook is the SDK default (continue). Used by the benchmarks and SDK tests.
export * from "../sdk/exports";
import { registerRootContext, RootContext } from "../sdk";

registerRootContext((id: u32) => new RootContext(id), "empty");
