/** `proxy_set_tick_period_milliseconds`: one timer per root context, re-armed after each tick (reference §5.6). */
import type { RootContext } from '../context.ts';
import { WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

/** (Re)arm the root's tick timer; period 0 disables it. */
export function armTick(vm: WasmVm, root: RootContext): void {
  root.tickTimer?.cancel();
  root.tickTimer = null;
  if (root.tickPeriodMs <= 0 || vm.failed || root.deleted) return;
  root.tickTimer = vm.services.clock.setTimer(root.tickPeriodMs, () => {
    root.tickTimer = null;
    vm.callHook('proxy_on_tick', root.id);
    // The period runs from the end of the previous tick; a tick that changed the period re-armed already.
    if (!root.tickTimer) armTick(vm, root);
  });
}

export const timersHostcalls = {
  /** Always Ok; applies to the root of the calling context. */
  proxy_set_tick_period_milliseconds(vm: WasmVm, periodMs: number): number {
    const ctx = vm.context();
    if (!ctx) return WasmResult.Ok;
    ctx.root.tickPeriodMs = periodMs >>> 0;
    armTick(vm, ctx.root);
    return WasmResult.Ok;
  },
};
