/** One part of `npm run bench`: measures once and returns the Markdown under its `## heading`. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface BenchResult {
  /** Markdown under the heading, figures next to their goals. */
  body: string;
  /** Set when a check of the figures failed (lost output, double claims): the run exits non-zero. */
  problem?: string;
  /** Raw figures, printed as JSON for whoever runs the bench by hand. */
  figures: unknown;
}

export interface BenchSection {
  /** What `npm run bench -- <key>` selects. */
  key: string;
  heading: string;
  run(outDir: string): Promise<BenchResult>;
}

export const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** Each section says where and when it ran, since a partial run rewrites only its own sections. */
export function machine(): string {
  const git = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, commit ${git}`;
}
