// Registration: the only file that touches the SDK entry point. Root id: "fault".
export * from "../sdk/exports";
import { registerRootContext } from "../sdk";
import { FaultRoot } from "./filter";

registerRootContext((context_id: u32) => new FaultRoot(context_id), "fault");
