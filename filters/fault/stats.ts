// Fault stats (names as Envoy's fault filter stats, under `fault.`):
//   fault.delays_injected   counter   requests delayed
//   fault.aborts_injected   counter   requests aborted
//   fault.faults_overflow   counter   faults skipped because maxActiveFaults was reached
//   fault.active_faults     gauge     requests with an active fault (summed over VMs by Envoy)
import { Counter, Gauge } from "../sdk";

export class FaultStats {
  delaysInjected: Counter = new Counter("fault.delays_injected");
  abortsInjected: Counter = new Counter("fault.aborts_injected");
  faultsOverflow: Counter = new Counter("fault.faults_overflow");
  activeFaults: Gauge = new Gauge("fault.active_faults");
}
