/**
 * `saml-lens`: the SAML Lens engine for terminals and CI pipelines.
 * The same core as the editor extension, so a verdict here is the verdict the panel shows.
 */
import { parseArgs } from 'node:util';
import { CERTS_HELP, runCerts } from './commands/certs';
import { DECODE_HELP, runDecode } from './commands/decode';
import { METADATA_HELP, runMetadata } from './commands/metadata';
import { VALIDATE_HELP, runValidate } from './commands/validate';
import { ExitCode, InputError, UsageError } from './errors';
import { processOutput, type Output } from './output';

declare const SAML_LENS_VERSION: string | undefined;

const MAIN_HELP = `Usage: saml-lens <command> [options]

Commands:
  decode    decode a SAML message (base64, Redirect URL, form body, log line, XML) and print its XML
  validate  list every reason a service provider would reject a SAML response
  certs     check certificates in metadata, messages and PEM/DER files (a CI expiry gate)
  metadata  print the entities, roles, keys and endpoints of a metadata file

Run "saml-lens <command> --help" for a command's options.
Global options: --no-color (also NO_COLOR=1), --debug (stack traces), --version`;

const HELP: Record<string, string> = {
  decode: DECODE_HELP,
  validate: VALIDATE_HELP,
  certs: CERTS_HELP,
  metadata: METADATA_HELP,
};

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const COMMAND_OPTIONS = {
  decode: { raw: { type: 'boolean' } },
  validate: {
    'idp-metadata': { type: 'string' },
    'sp-metadata': { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
    'trust-fingerprint': { type: 'string', multiple: true },
    'sp-entity-id': { type: 'string' },
    acs: { type: 'string', multiple: true },
    'expect-attributes': { type: 'string' },
    'request-id': { type: 'string' },
    now: { type: 'string' },
    'clock-skew': { type: 'string' },
    'decryption-key': { type: 'string' },
    'strict-sha1': { type: 'boolean' },
  },
  certs: { 'warn-days': { type: 'string' }, now: { type: 'string' }, all: { type: 'boolean' } },
  metadata: { now: { type: 'string' } },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

function isCommand(name: string): name is Command {
  return Object.hasOwn(COMMAND_OPTIONS, name);
}

function parse(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's messages name the option; drop its error-code prefix.
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

function maxOne(positionals: string[], command: string, what: string): string | undefined {
  if (positionals.length > 1)
    throw new UsageError(
      `${command} takes one ${what}, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p.length > 40 ? p.slice(0, 40) + '…' : p)).join(' ')}.`,
    );
  return positionals[0];
}

function dispatch(command: Command, argv: string[], out: Output): number {
  const { values: v, positionals } = parse(command, argv);
  const values = v as Record<string, string | string[] | boolean | undefined>;
  const str = (name: string) => values[name] as string | undefined;
  const flag = (name: string) => values[name] === true;
  switch (command) {
    case 'decode':
      return runDecode({ input: maxOne(positionals, 'decode', 'INPUT'), raw: flag('raw'), json: flag('json') }, out);
    case 'validate':
      return runValidate(
        {
          input: maxOne(positionals, 'validate', 'INPUT'),
          idpMetadata: str('idp-metadata'),
          spMetadata: str('sp-metadata'),
          trustKeys: (values['trust-key'] as string[] | undefined) ?? [],
          trustFingerprints: (values['trust-fingerprint'] as string[] | undefined) ?? [],
          spEntityId: str('sp-entity-id'),
          acs: (values.acs as string[] | undefined) ?? [],
          expectAttributes: str('expect-attributes'),
          requestId: str('request-id'),
          now: str('now'),
          clockSkew: str('clock-skew'),
          decryptionKey: str('decryption-key'),
          strictSha1: flag('strict-sha1'),
          json: flag('json'),
        },
        out,
      );
    case 'certs':
      return runCerts(
        { files: positionals, warnDays: str('warn-days'), now: str('now'), all: flag('all'), json: flag('json') },
        out,
      );
    case 'metadata':
      return runMetadata({ file: maxOne(positionals, 'metadata', 'FILE'), json: flag('json'), now: str('now') }, out);
  }
}

export function main(argv: string[]): number {
  const noColour = argv.includes('--no-color');
  const debug = argv.includes('--debug');
  const out = processOutput({ noColour });
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out.line(rest[0] && HELP[rest[0]] ? HELP[rest[0]] : MAIN_HELP);
      return command === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (command === '--version') {
      out.line(typeof SAML_LENS_VERSION === 'string' ? SAML_LENS_VERSION : 'development');
      return ExitCode.Ok;
    }
    if (!isCommand(command)) throw new UsageError(`Unknown command "${command}".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out.line(HELP[command]);
      return ExitCode.Ok;
    }
    return dispatch(command, rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`saml-lens: ${error.message}`);
      out.error(`Run "saml-lens ${command && isCommand(command) ? `${command} ` : ''}--help" for usage.`);
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
