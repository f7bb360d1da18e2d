// Abort handler (build flag `--use abort=asmesh_abort`): log at critical, then trap. No `env.abort`
// import and no WASI import; a trap marks the VM failed, as Envoy's failure policy expects.
import { log } from "./hostcalls";
import { LogLevelValues } from "./types";

// @ts-ignore: decorator
@global
export function asmesh_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "abort";
  if (message !== null) text = message;
  if (fileName !== null) text += " at: " + fileName + "(" + line.toString() + ":" + column.toString() + ")";
  log(LogLevelValues.critical, text);
  unreachable();
}
