// What every `saml-lens` subcommand is: its name, a one-line summary for the main help, its own
// help, its options (node:util parseArgs form) and how it runs. A new subcommand is one module
// exporting a CliCommand and one entry in COMMANDS (main.ts).
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import type { Output } from './output';

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** The parsed command line of one subcommand, with typed accessors. */
export interface CommandLine {
  readonly positionals: readonly string[];
  /** A string option's value. */
  string(name: string): string | undefined;
  /** A repeatable string option's values (empty when absent). */
  strings(name: string): string[];
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
  /** The one positional argument, or undefined; more than one is a usage error naming `what`. */
  onePositional(what: string): string | undefined;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly options: CommandOptions;
  run(line: CommandLine, out: Output): number;
}

export function commandLine(
  command: string,
  values: Record<string, unknown>,
  positionals: readonly string[],
): CommandLine {
  return {
    positionals,
    string: (name) => values[name] as string | undefined,
    strings: (name) => (values[name] as string[] | undefined) ?? [],
    flag: (name) => values[name] === true,
    onePositional(what) {
      if (positionals.length > 1)
        throw new UsageError(
          `${command} takes one ${what}, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p.length > 40 ? p.slice(0, 40) + '…' : p)).join(' ')}.`,
        );
      return positionals[0];
    },
  };
}
