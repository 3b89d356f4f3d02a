/** The newline byte: UTF-8 never uses it inside a multi-byte character, so splitting bytes on it is safe. */
const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without a length cap (a capped reader once cut off a final JSON
 * line and produced a false failure). `end()` returns the last line even without a newline.
 * `pendingBytes` is what it holds of a line not yet ended, so a reader knows the offset of the last
 * whole line it has handed on.
 */
export class LineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;

  get pendingBytes(): number {
    return this.partialBytes;
  }

  push(chunk: Buffer): string[] {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.keep(chunk);
      return [];
    }
    const whole = Buffer.concat([...this.partial, chunk.subarray(0, last)]);
    this.partial = [];
    this.partialBytes = 0;
    this.keep(chunk.subarray(last + 1));
    return whole.toString('utf8').split('\n').map(stripCarriageReturn);
  }

  end(): string[] {
    const rest = Buffer.concat(this.partial).toString('utf8');
    this.partial = [];
    this.partialBytes = 0;
    return rest ? [stripCarriageReturn(rest)] : [];
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // A copy: the reader reuses its buffer for the next chunk.
    this.partial.push(Buffer.from(bytes));
    this.partialBytes += bytes.length;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
