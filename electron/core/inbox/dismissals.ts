import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { InboxItem } from '../../../shared/runs';
import { OWNER_ONLY_FILE } from '../store/owner-only';

/** The data dir's record of what the owner dismissed from the Inbox. */
export const INBOX_DISMISSED_FILE = 'inbox-dismissed.json';

const dismissedSchema = z.array(z.string());

/**
 * An occurrence of an item: its id and when it arose. A dismissed item stays away until its cause
 * arises again (a run blocked anew has a new time), so dismissing never hides what happens next.
 */
function occurrence(item: Pick<InboxItem, 'id' | 'createdAt'>): string {
  return `${item.id}@${item.createdAt}`;
}

/** What the owner dismissed, kept owner-only in the data dir so it stays dismissed across restarts. */
export class InboxDismissals {
  private readonly dismissed: Set<string>;

  constructor(
    private readonly dataDir: string,
    log: (message: string) => void,
  ) {
    this.dismissed = new Set(readDismissed(this.file, log));
  }

  private get file(): string {
    return path.join(this.dataDir, INBOX_DISMISSED_FILE);
  }

  isDismissed(item: InboxItem): boolean {
    return this.dismissed.has(occurrence(item));
  }

  dismiss(item: InboxItem): void {
    this.dismissed.add(occurrence(item));
    this.save();
  }

  /** Forgets dismissals of occurrences that are gone, so the file never outgrows the Inbox. */
  keepOnly(items: readonly InboxItem[]): void {
    const current = new Set(items.map(occurrence));
    const gone = [...this.dismissed].filter((key) => !current.has(key));
    if (gone.length === 0) return;
    for (const key of gone) this.dismissed.delete(key);
    this.save();
  }

  private save(): void {
    // Through a temp file and a rename: a crash mid-write leaves the old record, never half of one.
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify([...this.dismissed]), { mode: OWNER_ONLY_FILE });
    renameSync(temp, this.file);
  }
}

function readDismissed(file: string, log: (message: string) => void): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    return dismissedSchema.parse(JSON.parse(text));
  } catch (error) {
    // An unreadable record costs only the dismissals: the items show again.
    log(`${file} is not a list of dismissed Inbox items (${error instanceof Error ? error.message : String(error)}); starting with none`);
    return [];
  }
}
