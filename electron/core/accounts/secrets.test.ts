import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-repo';
import { SecretStore, type SecretCipher } from './secrets';

/** A reversible stand-in for the OS keychain: the stored bytes must not contain the secret. */
const xorCipher: SecretCipher = {
  name: 'test-xor',
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)),
  decrypt: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString('utf8'),
};

describe('the secret store', () => {
  it('seals with the cipher it is given and keeps the file owner-only', () => {
    const dir = tempDir();
    const store = new SecretStore(dir, xorCipher);
    store.set('claude', 'sk-ant-secret');
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ claude: { cipher: 'test-xor', value: expect.any(String) } });
    expect(readFileSync(file, 'utf8')).not.toContain('sk-ant-secret');
    expect(store.get('claude')).toBe('sk-ant-secret');
    expect(new SecretStore(dir, xorCipher).get('claude')).toBe('sk-ant-secret');
    store.delete('claude');
    expect(store.get('claude')).toBeNull();
  });

  it('stays owner-only when a crash left a world-readable temp file behind', () => {
    const dir = tempDir();
    const leftover = path.join(dir, `secrets.json.${process.pid}.tmp`);
    writeFileSync(leftover, '{}');
    chmodSync(leftover, 0o644);
    new SecretStore(dir, null).set('claude', 'x');
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses, with a typed error, a secret sealed by a keychain that is not here', () => {
    const dir = tempDir();
    new SecretStore(dir, xorCipher).set('claude', 'x');
    expect(() => new SecretStore(dir, null).get('claude')).toThrow(expect.objectContaining({ code: 'secret_store_failed' }));
  });

  it('says which file is broken rather than losing the other secrets silently', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secrets.json'), '{ not json');
    const store = new SecretStore(dir, null);
    expect(() => store.set('claude', 'x')).toThrow(expect.objectContaining({ code: 'secret_store_failed' }));
    expect(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toBe('{ not json');
  });
});
