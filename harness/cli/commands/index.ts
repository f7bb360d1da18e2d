import type { Command } from 'commander';
import type { CliIO } from '../io.ts';
import { register as build } from './build.ts';
import { register as inspect } from './inspect.ts';
import { register as manifest } from './manifest.ts';
import { register as newFilter } from './new.ts';
import { register as packageImage } from './package.ts';
import { register as pull } from './pull.ts';
import { register as push } from './push.ts';
import { register as runBootstrap } from './run.ts';
import { register as validate } from './validate.ts';

export type RegisterCommand = (program: Command, io: CliIO) => void;

/** Every CLI command, in the order `asmesh --help` lists them. */
export const commandModules: RegisterCommand[] = [build, runBootstrap, validate, newFilter, inspect, packageImage, push, pull, manifest];
