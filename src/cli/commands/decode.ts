import { decodeSamlInput } from '../../core/messages';
import { prettyPrintXml } from '../../core/messages/text';
import { ExitCode, InputError } from '../errors';
import { readMessageArgument } from '../inputs';
import type { CliCommand } from '../command';
import type { Output } from '../output';

export const DECODE_HELP = `Usage: saml-lens decode [INPUT|-] [--raw] [--json]

Decodes a SAML message and prints its XML.

INPUT is a file, or the text itself: base64 (HTTP-POST), a URL with SAMLRequest=/SAMLResponse=
(HTTP-Redirect: base64 + DEFLATE), a form body, a log line containing one of those, or XML.
Without INPUT, or with -, the message is read from standard input.

Options:
  --raw     print the decoded bytes exactly (default: pretty-printed; pretty-printing changes
            signed bytes, so use --raw to keep the signature verifiable)
  --json    print {"messageType", "binding", "relayState", "sigAlg", "xml"} as JSON
The message type and binding are printed to standard error, so standard output is only XML.`;

const BINDING_NAMES = { post: 'HTTP-POST', redirect: 'HTTP-Redirect', xml: 'plain XML' } as const;

export function runDecode(args: { input?: string; raw: boolean; json: boolean }, out: Output): number {
  const { text } = readMessageArgument(args.input, process.stdin.isTTY === true);
  const decoded = decodeSamlInput(text);
  if (!decoded.ok) throw new InputError(decoded.message);
  const xml = args.raw ? decoded.xml : prettyPrintXml(decoded.xml);
  if (args.json) {
    out.line(
      JSON.stringify(
        {
          messageType: decoded.messageType,
          binding: decoded.binding,
          relayState: decoded.relayState ?? null,
          sigAlg: decoded.sigAlg ?? null,
          xml,
        },
        null,
        2,
      ),
    );
  } else {
    out.error(
      out.colour.dim(
        `${decoded.messageType} · ${BINDING_NAMES[decoded.binding]}${decoded.relayState ? ` · RelayState ${decoded.relayState}` : ''}`,
      ),
    );
    if (args.raw) out.write(xml);
    else out.line(xml.trimEnd());
  }
  return ExitCode.Ok;
}

export const decodeCommand: CliCommand = {
  name: 'decode',
  summary: 'decode a SAML message (base64, Redirect URL, form body, log line, XML) and print its XML',
  help: DECODE_HELP,
  options: { raw: { type: 'boolean' } },
  run: (line, out) =>
    runDecode({ input: line.onePositional('INPUT'), raw: line.flag('raw'), json: line.flag('json') }, out),
};
