// Where a one-time job at unlock keeps its progress (`settings`, key `job:<name>`), so that a
// job killed part-way resumes, and one that finished never runs again.
import type { Db } from '../db/database';

export interface JobProgress {
  state: 'running' | 'done';
  /** The last item done, by id, in id order. */
  after?: string;
}

/** The job's progress as saved, or null when it never started (or the record is unreadable). */
export function readJobState<T extends JobProgress>(db: Db, key: string): T | null {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
    string | undefined;
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as T;
    return v && (v.state === 'running' || v.state === 'done') ? v : null;
  } catch {
    return null;
  }
}

/** Saves the job's progress (inside the caller's transaction, when there is one). */
export function writeJobState<T extends JobProgress>(db: Db, key: string, state: T): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(state));
}
