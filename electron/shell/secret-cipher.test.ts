import { describe, expect, it, vi } from 'vitest';

const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn(() => true),
  // Reversible, and visibly not the plain text: enough to prove the cipher delegates both ways.
  encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${plain}`)),
  decryptString: vi.fn((sealed: Buffer) => sealed.toString().replace(/^sealed:/, '')),
}));
vi.mock('electron', () => ({ safeStorage }));

describe('the keychain cipher', () => {
  it('seals through safeStorage when the OS offers it', async () => {
    const { keychainCipher } = await import('./secret-cipher');
    const cipher = keychainCipher()!;
    expect(cipher.name).toBe('safeStorage');
    const sealed = cipher.encrypt('token');
    expect(sealed.toString()).toBe('sealed:token');
    expect(cipher.decrypt(sealed)).toBe('token');
  });

  it('is absent where the OS has no keychain, so the owner-only file is used', async () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    const { keychainCipher } = await import('./secret-cipher');
    expect(keychainCipher()).toBeNull();
  });
});
