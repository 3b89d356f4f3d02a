import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/accounts/secrets';

/**
 * Seals account secrets with the OS keychain. Where the OS offers none (a Linux session without a
 * keyring), returns null and the core keeps the owner-only file unsealed, as browser mode does.
 */
export function keychainCipher(): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    name: 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
