// `saml-lens validate --as LIB`: what each modelled SP library would answer, after SAML Lens's own
// report. One line per library, or a table with `--as all`.
import {
  parseLibraryIds,
  parseLibraryOption,
  type LibrarySettings,
  type LibraryVerdict,
  type OptionValue,
  type SpLibraryId,
} from '../core/libraries';
import { UsageError } from './errors';
import type { Output } from './output';

/** --as and --library-option read into settings; undefined when no library was asked for. */
export function librarySettingsFromArgs(
  as: readonly string[] = [],
  libraryOptions: readonly string[] = [],
): LibrarySettings | undefined {
  const ids = parseLibraryIds(as);
  if (!ids.ok) throw new UsageError(`--as: ${ids.message}`);
  const options: Partial<Record<SpLibraryId, Record<string, OptionValue>>> = {};
  for (const text of libraryOptions) {
    const parsed = parseLibraryOption(text);
    if (!parsed.ok) throw new UsageError(`--library-option: ${parsed.message}`);
    const { library, option, value } = parsed.value;
    if (!ids.value.includes(library))
      throw new UsageError(
        `--library-option ${text} sets an option of ${library}, which is not modelled; add --as ${library} (or --as all).`,
      );
    (options[library] ??= {})[option] = value;
  }
  if (ids.value.length === 0) return undefined;
  return { libraries: ids.value, options };
}

const OUTCOME_TEXT = { accepted: 'ACCEPTED', rejected: 'REJECTED', unknown: 'UNKNOWN' } as const;

function change(c: LibraryVerdict['changes'][number]): string {
  return `\`${c.option}: ${JSON.stringify(c.value)}\` ${c.outcome}`;
}

function warning(v: LibraryVerdict): string | undefined {
  if (!v.acceptsWhatSamlLensRejects?.length) return undefined;
  return `${v.library} ${v.version} with these settings would accept this response, which SAML Lens rejects: ${v.acceptsWhatSamlLensRejects.join(', ')}`;
}

function colourOutcome(v: LibraryVerdict, text: string, out: Output): string {
  const c = out.colour;
  return v.outcome === 'accepted' ? c.green(text) : v.outcome === 'rejected' ? c.red(text) : c.yellow(text);
}

function messageText(v: LibraryVerdict): string {
  if (v.outcome === 'accepted') return '';
  if (v.outcome === 'unknown') return v.check ?? '';
  return `"${v.message}"${v.match === 'prefix' ? '…' : ''}`;
}

/** The section after the report; `table` for `--as all`. */
export function printLibraryVerdicts(verdicts: readonly LibraryVerdict[], out: Output, table: boolean): void {
  const c = out.colour;
  out.line();
  out.line(c.bold('Service provider libraries'));
  if (verdicts.length === 0) {
    out.line('  only a Response is judged by the libraries; this message is not one');
    return;
  }
  if (table) {
    const rows = verdicts.map((v) => [
      `${v.library} ${v.version}`,
      OUTCOME_TEXT[v.outcome],
      messageText(v),
      v.changes.map(change).join('; '),
    ]);
    const header = ['Library', 'Outcome', 'Message', 'Would change it'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const pad = (text: string, i: number) => (i === header.length - 1 ? text : text.padEnd(widths[i]!));
    out.line(c.dim(header.map(pad).join('  ').trimEnd()));
    rows.forEach((row, index) => {
      const cells = row.map(pad);
      cells[1] = colourOutcome(verdicts[index]!, cells[1]!, out);
      out.line(cells.join('  ').trimEnd());
    });
  } else {
    for (const v of verdicts) {
      const message = messageText(v);
      out.line(
        `  ${v.library} ${v.version}  ${colourOutcome(v, OUTCOME_TEXT[v.outcome], out)}${message ? `  ${message}` : ''}${v.check && v.outcome === 'rejected' ? c.dim(`  (${v.check})`) : ''}`,
      );
      for (const ch of v.changes) out.line(`      ${change(ch)}`);
    }
  }
  for (const v of verdicts) {
    const text = warning(v);
    if (text) out.line(c.yellow(`Warning: ${text}`));
  }
  // The same for every library: said once.
  const assumed = verdicts[0]?.assumed ?? [];
  if (assumed.length) out.line(c.dim(`Assumed for the libraries: ${assumed.join('; ')}`));
}
