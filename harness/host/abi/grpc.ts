/**
 * gRPC callouts. The emulator has no gRPC transport: a call to a cluster the host does not know → ParseFailure
 * (Envoy's status for an unknown cluster); a known cluster → InternalFailure (Envoy: async client refused).
 * Tokens: calls ≡ 1 mod 4, streams ≡ 2 mod 4; anything else → BadArgument; valid-looking unknown → NotFound.
 */
import { WasmResult } from '../status.ts';
import { isKnownCluster } from '../types.ts';
import type { WasmVm } from '../vm.ts';

function start(vm: WasmVm, svcPtr: number, svcLen: number, tokenPtr: number): number {
  const svc = vm.memory.string(svcPtr, svcLen);
  if (svc === null) return WasmResult.InvalidMemoryAccess;
  if (!vm.memory.writeU32(tokenPtr, 0)) return WasmResult.InvalidMemoryAccess;
  const known = isKnownCluster(vm.services.upstream, svc);
  if (!known) return WasmResult.ParseFailure;
  vm.violation('proxy_grpc_call', `gRPC to cluster "${svc}" is not supported by the asmesh emulator`);
  return WasmResult.InternalFailure;
}

function tokenStatus(token: number, streamOnly: boolean): number {
  const kind = (token >>> 0) % 4;
  if (streamOnly ? kind !== 2 : kind !== 1 && kind !== 2) return WasmResult.BadArgument;
  return WasmResult.NotFound;
}

export const grpcHostcalls = {
  proxy_grpc_call(
    vm: WasmVm, svcPtr: number, svcLen: number, _sn: number, _snl: number, _mn: number, _mnl: number,
    _md: number, _mdl: number, _msg: number, _msgl: number, _timeout: number, tokenPtr: number,
  ): number {
    return start(vm, svcPtr, svcLen, tokenPtr);
  },
  proxy_grpc_stream(
    vm: WasmVm, svcPtr: number, svcLen: number, _sn: number, _snl: number, _mn: number, _mnl: number,
    _md: number, _mdl: number, tokenPtr: number,
  ): number {
    return start(vm, svcPtr, svcLen, tokenPtr);
  },
  proxy_grpc_send(_vm: WasmVm, token: number): number {
    return tokenStatus(token, true);
  },
  proxy_grpc_cancel(_vm: WasmVm, token: number): number {
    return tokenStatus(token, false);
  },
  proxy_grpc_close(_vm: WasmVm, token: number): number {
    return tokenStatus(token, false);
  },
};
