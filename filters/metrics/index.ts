// Entry point of the metrics filter (root_id "metrics").
export * from "../sdk/exports";
import { registerRootContext } from "../sdk";
import { MetricsRoot } from "./filter";

registerRootContext((id: u32) => new MetricsRoot(id), "metrics");
