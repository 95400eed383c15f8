/**
 * Summarises a V8 .cpuprofile: the functions with the most self time, and the share of time per
 * source file. Used for the host profile (`npm run bench -- --profile`) and for profiles from
 * `node --cpu-prof`:
 *
 *   npx tsx bench/profileSummary.ts FILE.cpuprofile [TOP]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Maps a position in a bundle with a source map next to it back to the original file and line. */
function sourceMapper(): (url: string, line: number, column: number) => string | undefined {
  const maps = new Map<string, SourceMap | undefined>();
  return (url, line, column) => {
    if (!maps.has(url)) {
      let map: SourceMap | undefined;
      try {
        const path = url.startsWith('file:') ? fileURLToPath(url) : url;
        if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    const entry = maps.get(url)?.findEntry(line, column) as
      { originalSource?: string; originalLine?: number; name?: string } | undefined;
    if (!entry?.originalSource) return undefined;
    const source = entry.originalSource.replace(/^.*?\/(src|node_modules)\//, '$1/');
    return `${entry.name ?? ''} ${source}:${(entry.originalLine ?? 0) + 1}`.trim();
  };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summariseProfile(file: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const original = sourceMapper();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const source = frame.url
      ? frame.url.replace(/^.*\/(node_modules|out|dist|bench)\//, '$1/').replace(/^file:\/\//, '')
      : '(native)';
    const mapped = frame.url ? original(frame.url, frame.lineNumber, frame.columnNumber) : undefined;
    const name = mapped
      ? `${frame.functionName || '(anonymous)'} → ${mapped}`
      : `${frame.functionName || '(anonymous)'} ${source}:${frame.lineNumber + 1}`;
    const fileName = mapped ? mapped.replace(/^.* /, '').replace(/:\d+$/, '') : source;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
    selfByFile.set(fileName, (selfByFile.get(fileName) ?? 0) + us);
  });
  const line = (label: string, us: number) =>
    `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${label}`;
  return [
    `${(totalUs / 1000).toFixed(0)} ms sampled`,
    'self time by function:',
    ...[...selfByFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => line(name, us)),
    'self time by file:',
    ...[...selfByFile]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, us]) => line(name, us)),
  ];
}

if (require.main === module && /profileSummary\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/profileSummary.ts FILE.cpuprofile [TOP]');
    process.exit(1);
  }
  console.log(summariseProfile(file, Number(top ?? 15)).join('\n'));
}
