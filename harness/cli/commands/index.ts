import type { Command } from 'commander';
import type { CliIO } from '../io.ts';
import { register as inspect } from './inspect.ts';

export type RegisterCommand = (program: Command, io: CliIO) => void;

/** Every CLI command, in the order `asmesh --help` lists them. */
export const commandModules: RegisterCommand[] = [inspect];
