import type { RecentRepository } from '../../../shared/repos';
import type { Clock } from '../accounts/capacity';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';

interface RawRecent {
  path: string;
  used_at: string;
  verify_command: string | null;
}

/** The repositories the owner started work in, and the guides the owner closed (migration 13). */
export class RepoStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  /** Marks the repository as used now, with the verify command just used there. */
  used(path: string, verifyCommand: string): void {
    prepared(
        this.db,
        `INSERT INTO recent_repositories (path, used_at, use_order, verify_command)
         VALUES (?, ?, (SELECT COALESCE(MAX(use_order), 0) + 1 FROM recent_repositories), ?)
         ON CONFLICT (path) DO UPDATE SET used_at = excluded.used_at, use_order = excluded.use_order, verify_command = excluded.verify_command`,
      )
      .run(path, new Date(this.now()).toISOString(), verifyCommand);
  }

  /** Most recent first. */
  recent(limit: number): RecentRepository[] {
    const rows = prepared(this.db, 'SELECT path, used_at, verify_command FROM recent_repositories ORDER BY use_order DESC LIMIT ?')
      .all(limit) as RawRecent[];
    return rows.map((row) => ({ path: row.path, usedAt: row.used_at, verifyCommand: row.verify_command }));
  }

  verifyCommandOf(path: string): string | null {
    const value = this.db.prepare('SELECT verify_command FROM recent_repositories WHERE path = ?').pluck().get(path);
    return typeof value === 'string' ? value : null;
  }

  guideDismissed(guide: string): boolean {
    return this.db.prepare('SELECT 1 FROM dismissed_guides WHERE guide = ?').get(guide) !== undefined;
  }

  dismissGuide(guide: string): void {
    prepared(this.db, 'INSERT OR IGNORE INTO dismissed_guides (guide, dismissed_at) VALUES (?, ?)')
      .run(guide, new Date(this.now()).toISOString());
  }
}
