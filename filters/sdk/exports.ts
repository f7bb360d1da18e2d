// The module's ABI surface. A filter's index.ts does `export * from "../sdk/exports"`.
// The dispatcher makes no hostcall of its own during a request (an empty filter makes none), logs
// nothing, and keeps linear memory flat: contexts are dropped from the registry in proxy_on_delete.
import "./abort";
import { allocate, deallocate } from "./memory";
import { Context } from "./context";
import { createRoot, createStream, findRoot, findStreamPtr, removeContext } from "./registry";

/** ABI marker: the host looks for this export (never calls it). */
export function proxy_abi_version_0_2_0(): void {}

/** Allocator the host uses for every returned value. */
export function malloc(size: usize): usize { return allocate(size); }
export function free(ptr: usize): void { deallocate(ptr); }

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {
  if (parent_context_id == 0) createRoot(context_id);
  else createStream(context_id, parent_context_id);
}

export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: u32): u32 {
  const root = findRoot(root_context_id);
  return root !== null && root.onStart(vm_configuration_size) ? 1 : 0;
}

export function proxy_validate_configuration(root_context_id: u32, configuration_size: u32): u32 {
  const root = findRoot(root_context_id);
  return root !== null && root.validateConfiguration(configuration_size) ? 1 : 0;
}

export function proxy_on_configure(root_context_id: u32, configuration_size: u32): u32 {
  const root = findRoot(root_context_id);
  return root !== null && root.onConfigure(configuration_size) ? 1 : 0;
}

export function proxy_on_tick(root_context_id: u32): void {
  const root = findRoot(root_context_id);
  if (root !== null) root.onTick();
}

export function proxy_on_queue_ready(root_context_id: u32, token: u32): void {
  const root = findRoot(root_context_id);
  if (root !== null) root.onQueueReady(token);
}

export function proxy_on_foreign_function(root_context_id: u32, function_id: u32, data_size: u32): void {}

export function proxy_on_request_headers(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onRequestHeaders(num_headers, end_of_stream != 0);
}

export function proxy_on_request_body(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onRequestBody(body_size, end_of_stream != 0);
}

export function proxy_on_request_trailers(context_id: u32, num_trailers: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onRequestTrailers(num_trailers);
}

export function proxy_on_request_metadata(context_id: u32, num_elements: u32): u32 {
  return 0;
}

export function proxy_on_response_headers(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onResponseHeaders(num_headers, end_of_stream != 0);
}

export function proxy_on_response_body(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onResponseBody(body_size, end_of_stream != 0);
}

export function proxy_on_response_trailers(context_id: u32, num_trailers: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return 0;
  return <u32>changetype<Context>(ptr).onResponseTrailers(num_trailers);
}

export function proxy_on_response_metadata(context_id: u32, num_elements: u32): u32 {
  return 0;
}

export function proxy_on_http_call_response(root_context_id: u32, token: u32, num_headers: u32, body_size: u32, num_trailers: u32): void {
  const root = findRoot(root_context_id);
  if (root !== null) root.onHttpCallResponse(token, num_headers, body_size, num_trailers);
}

export function proxy_on_grpc_receive_initial_metadata(root_context_id: u32, token: u32, num_headers: u32): void {}
export function proxy_on_grpc_receive_trailing_metadata(root_context_id: u32, token: u32, num_trailers: u32): void {}
export function proxy_on_grpc_receive(root_context_id: u32, token: u32, response_size: u32): void {}
export function proxy_on_grpc_close(root_context_id: u32, token: u32, status_code: u32): void {}

export function proxy_on_log(context_id: u32): void {
  const ptr = findStreamPtr(context_id);
  if (ptr != 0) changetype<Context>(ptr).onLog();
}

export function proxy_on_done(context_id: u32): u32 {
  const ptr = findStreamPtr(context_id);
  if (ptr != 0) return changetype<Context>(ptr).onDone() ? 1 : 0;
  const root = findRoot(context_id);
  return root === null || root.onDone() ? 1 : 0;
}

// AssemblyScript 0.17's reference counting keeps every object that may be part of a cycle until
// __collect() runs, and nothing runs it automatically: without this, memory grows with every request.
const COLLECT_EVERY: u32 = 64;
let deletedSinceCollect: u32 = 0;

export function proxy_on_delete(context_id: u32): void {
  const ptr = findStreamPtr(context_id);
  if (ptr != 0) changetype<Context>(ptr).onDelete();
  else {
    const root = findRoot(context_id);
    if (root !== null) root.onDelete();
  }
  removeContext(context_id);
  if (++deletedSinceCollect >= COLLECT_EVERY) {
    deletedSinceCollect = 0;
    __collect();
  }
}
