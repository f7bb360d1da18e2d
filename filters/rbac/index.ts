// Entry point of the rbac filter (root_id "rbac").
export * from "../sdk/exports";
import { registerRootContext } from "../sdk";
import { RbacRoot } from "./filter";

registerRootContext((id: u32) => new RbacRoot(id), "rbac");
