import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-repo';
import { hostFilePath, readHostFile, writeHostFile } from './host-file';
import { HOST_TOKEN_PATTERN, newHostToken } from './ws';

describe('host.json across restarts', () => {
  it('gives the next start the port and token of the last one, and nothing it did not write', () => {
    const dataDir = tempDir();
    expect(readHostFile(dataDir, HOST_TOKEN_PATTERN)).toBeNull();
    const token = newHostToken();
    writeHostFile(dataDir, { url: 'ws://127.0.0.1:43117/ws', token });
    expect(readHostFile(dataDir, HOST_TOKEN_PATTERN)).toEqual({ port: 43117, token });
    writeFileSync(hostFilePath(dataDir), JSON.stringify({ url: 'ws://127.0.0.1:43117/ws', token: 'short' }));
    expect(readHostFile(dataDir, HOST_TOKEN_PATTERN)).toBeNull();
    writeFileSync(hostFilePath(dataDir), '{ torn');
    expect(readHostFile(dataDir, HOST_TOKEN_PATTERN)).toBeNull();
  });
});
