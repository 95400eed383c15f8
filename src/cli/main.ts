/**
 * `saml-lens`: the SAML Lens engine for terminals and CI pipelines.
 * The same core as the editor extension, so a verdict here is the verdict the panel shows.
 */
import { parseArgs } from 'node:util';
import { type CliCommand, commandLine } from './command';
import { certsCommand } from './commands/certs';
import { decodeCommand } from './commands/decode';
import { flowCommand } from './commands/flow';
import { diffCommand } from './commands/diff';
import { metadataCommand } from './commands/metadata';
import { validateCommand } from './commands/validate';
import { ExitCode, InputError, UsageError } from './errors';
import { processOutput } from './output';

declare const SAML_LENS_VERSION: string | undefined;

/** Every subcommand, in the order the main help lists them. */
const COMMANDS: readonly CliCommand[] = [
  decodeCommand,
  validateCommand,
  flowCommand,
  certsCommand,
  metadataCommand,
  diffCommand,
];

const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
const MAIN_HELP = `Usage: saml-lens <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join('\n')}

Run "saml-lens <command> --help" for a command's options.
Global options: --no-color (also NO_COLOR=1), --debug (stack traces), --version`;

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function find(name: string | undefined): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

function parse(command: CliCommand, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's messages name the option; drop its error-code prefix.
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function main(argv: string[]): number {
  const noColour = argv.includes('--no-color');
  const debug = argv.includes('--debug');
  const out = processOutput({ noColour });
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out.line(find(rest[0])?.help ?? MAIN_HELP);
      return command === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (command === '--version') {
      out.line(typeof SAML_LENS_VERSION === 'string' ? SAML_LENS_VERSION : 'development');
      return ExitCode.Ok;
    }
    const chosen = find(command);
    if (!chosen) throw new UsageError(`Unknown command "${command}".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out.line(chosen.help);
      return ExitCode.Ok;
    }
    const { values, positionals } = parse(chosen, rest);
    return chosen.run(commandLine(chosen.name, values, positionals), out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`saml-lens: ${error.message}`);
      out.error(`Run "saml-lens ${find(command) ? `${command} ` : ''}--help" for usage.`);
      return ExitCode.Usage;
    }
    if (error instanceof InputError) {
      out.error(`saml-lens: ${error.message}`);
      return ExitCode.ParseError;
    }
    out.error(`saml-lens: unexpected error: ${(error as Error).message ?? error}`);
    if (debug) out.error((error as Error).stack ?? String(error));
    else out.error('Run again with --debug for details, and please report it.');
    return ExitCode.ParseError;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
