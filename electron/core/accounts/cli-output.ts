/** CSI sequences (colours, cursor moves) and OSC sequences (titles, links) that CLIs print even into pipes. */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** Lines worth showing the owner with a failure: ANSI stripped, blank lines dropped, the last `count`. */
export function outputTail(text: string, count: number): string[] {
  return stripAnsi(text)
    .replace(/\r/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
