import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { FileTail, TAIL_READ_BYTES } from './file-tail';

describe('file tails sharing their read buffers', () => {
  it('hand each tail exactly its own file, when many read at once', async () => {
    const dir = tempDir();
    // Each file spans several reads, and each has its own byte pattern, so a buffer handed to the wrong tail shows.
    const files = Array.from({ length: 24 }, (_, i) => {
      const file = path.join(dir, `worker-${i}.jsonl`);
      const text = `${String.fromCharCode(65 + i)}`.repeat(TAIL_READ_BYTES * 2 + 1000 * i);
      writeFileSync(file, text);
      return { file, text };
    });
    const read = await Promise.all(
      files.map(({ file }) => {
        const chunks: Buffer[] = [];
        const tail = new FileTail(
          file,
          0,
          (chunk) => chunks.push(Buffer.from(chunk)),
          (error) => {
            throw error;
          },
        );
        return tail.finish().then(() => Buffer.concat(chunks).toString('utf8'));
      }),
    );
    read.forEach((text, i) => expect(text).toBe(files[i]!.text));
  });
});
