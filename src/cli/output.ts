/**
 * Terminal output for the command line: colours only on a TTY and never with NO_COLOR set
 * (https://no-color.org), plain lines otherwise, so logs and pipes stay clean.
 */
export interface Output {
  line(text?: string): void;
  /** Exactly these characters, no newline added (for --raw). */
  write(text: string): void;
  error(text: string): void;
  readonly colour: Colours;
}

export interface Colours {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const plain: Colours = { red: String, green: String, yellow: String, dim: String, bold: String };
const ansi: Colours = { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };

export function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, forceOff: boolean): boolean {
  if (forceOff || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  return stream.isTTY === true;
}

export function processOutput(options: { noColour: boolean }): Output {
  const colour = useColour(process.stdout, process.env, options.noColour) ? ansi : plain;
  return {
    line: (text = '') => process.stdout.write(text + '\n'),
    write: (text) => process.stdout.write(text),
    error: (text) => process.stderr.write(text + '\n'),
    colour,
  };
}
