// Registration: the only file that touches the SDK entry point. Root id: "router".
export * from "../sdk/exports";
import { registerRootContext } from "../sdk";
import { RouterRoot } from "./filter";

registerRootContext((context_id: u32) => new RouterRoot(context_id), "router");
