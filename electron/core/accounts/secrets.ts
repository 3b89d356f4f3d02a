import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';

/**
 * Encrypts secrets at rest. The desktop app passes one backed by the OS keychain (Electron's
 * safeStorage); browser mode has none, and relies on the file being readable by the owner only.
 */
export interface SecretCipher {
  readonly name: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

interface StoredSecret {
  cipher: string;
  value: string;
}

const SECRETS_FILE = 'secrets.json';
/** Owner read/write only. */
const OWNER_ONLY = 0o600;

/** Long-lived tokens and API keys, per account; never in SQLite or logs. */
export class SecretStore {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher | null,
  ) {
    this.file = path.join(dataDir, SECRETS_FILE);
  }

  get(ref: string): string | null {
    const stored = this.read()[ref];
    if (!stored) return null;
    if (stored.cipher === 'plain') return Buffer.from(stored.value, 'base64').toString('utf8');
    if (!this.cipher || this.cipher.name !== stored.cipher) {
      throw new FleetError('secret_store_failed', `The secret for ${ref} was sealed with ${stored.cipher}, which is not available here.`);
    }
    return this.cipher.decrypt(Buffer.from(stored.value, 'base64'));
  }

  set(ref: string, secret: string): void {
    const all = this.read();
    all[ref] = this.cipher
      ? { cipher: this.cipher.name, value: this.cipher.encrypt(secret).toString('base64') }
      : { cipher: 'plain', value: Buffer.from(secret, 'utf8').toString('base64') };
    this.write(all);
  }

  delete(ref: string): void {
    const all = this.read();
    if (!(ref in all)) return;
    delete all[ref];
    this.write(all);
  }

  private read(): Record<string, StoredSecret> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, StoredSecret>;
    } catch (error) {
      throw new FleetError('secret_store_failed', `${this.file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Written to a fresh owner-only file and renamed over, so a crash never leaves half a file or a wider
   * mode. A temp file left by a crash would keep its own mode (and could be a planted link), so it goes
   * first and the new one is created exclusively.
   */
  private write(all: Record<string, StoredSecret>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    rmSync(temp, { force: true });
    writeFileSync(temp, JSON.stringify(all), { mode: OWNER_ONLY, flag: 'wx' });
    renameSync(temp, this.file);
  }
}
