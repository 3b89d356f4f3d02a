/**
 * `npm run bench`: runs every section once and writes docs/benchmarks.md.
 * `npm run bench -- <key> [key...]` runs only those sections and keeps the others' last figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adoptionSection } from './adoption';
import { boardScaleSection, coldStartSection } from './board-scale';
import { connectionsSection } from './connections';
import { diffSection } from './diff';
import { fleetSection } from './fleet';
import { terminalSection } from './output-path';
import { scaleSection } from './scale';
import { machine, type BenchSection } from './section';

const REPORT = 'docs/benchmarks.md';

/** In the order the report shows them. */
const sections: readonly BenchSection[] = [terminalSection, fleetSection, connectionsSection, adoptionSection, scaleSection, boardScaleSection, coldStartSection, diffSection];

const preamble = `# Benchmarks

Written by \`npm run bench\` (one section: \`npm run bench -- <key>\`). Each section names the machine and
commit it ran on. These machines are shared and noisy: compare figures from the same run, not across runs.
`;

/** The bodies of the report's \`## \` sections, by heading. */
function previousBodies(): Map<string, string> {
  const bodies = new Map<string, string>();
  if (!existsSync(REPORT)) return bodies;
  for (const chunk of readFileSync(REPORT, 'utf8').split(/\n(?=## )/).slice(1)) {
    const newline = chunk.indexOf('\n');
    bodies.set(chunk.slice(3, newline).trim(), chunk.slice(newline + 1).trim());
  }
  return bodies;
}

async function main(): Promise<void> {
  const keys = process.argv.slice(2);
  const unknown = keys.filter((key) => !sections.some((section) => section.key === key));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench section(s): ${unknown.join(', ')}; known: ${sections.map((s) => s.key).join(', ')}\n`);
    process.exit(2);
  }
  const outDir = path.resolve('out');
  const bodies = previousBodies();
  const problems: string[] = [];
  for (const section of sections) {
    if (keys.length > 0 && !keys.includes(section.key)) continue;
    const result = await section.run(outDir);
    bodies.set(section.heading, `_Measured ${new Date().toISOString()} on ${machine()}._\n\n${result.body.trim()}`);
    if (result.problem) problems.push(`${section.key}: ${result.problem}`);
    process.stdout.write(`${JSON.stringify({ [section.key]: result.figures }, null, 2)}\n`);
  }
  const report = sections.map(
    (section) => `## ${section.heading}\n\n${bodies.get(section.heading) ?? `Not measured yet: \`npm run bench -- ${section.key}\`.`}\n`,
  );
  writeFileSync(REPORT, `${preamble}\n${report.join('\n')}`);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
}

void main();
