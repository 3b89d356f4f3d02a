/** How a verb prints: plain text for people, one JSON document for scripts (`--json`). */
export interface Output {
  json: boolean;
  /** stdout is a terminal: `--watch` and long waits redraw in place; piped, they print plain lines. */
  tty: boolean;
  line(text?: string): void;
  /** The whole machine-readable answer, on stdout. */
  data(value: unknown): void;
  /** Progress and notes that are not the answer, on stderr (a piped stdout stays clean). */
  note(text: string): void;
  /** Replaces what the last redraw printed (a TTY), or prints the frame after a blank line (piped). */
  redraw(frame: string): void;
}

/** Clears the screen and homes the cursor: the redraw of `--watch` in a terminal. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export function createOutput(json: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  const tty = stdout.isTTY === true;
  let frames = 0;
  return {
    json,
    tty,
    line: (text = '') => void stdout.write(`${text}\n`),
    data: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    redraw(frame) {
      if (tty) stdout.write(`${CLEAR_SCREEN}${frame}`);
      else stdout.write(`${frames > 0 ? '\n' : ''}${frame}`);
      frames += 1;
    },
  };
}

/** Columns padded to their widest cell, two spaces apart, like `gh`'s tables. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [format(headers.map((header) => header.toUpperCase())), ...rows.map(format)].join('\n') + '\n';
}

/** A dash for a missing value, so a table's columns never collapse. */
export const orDash = (value: string | number | null | undefined): string => (value === null || value === undefined || value === '' ? '-' : String(value));
