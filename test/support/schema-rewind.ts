import Database from 'better-sqlite3-multiple-ciphers';
import { MIGRATIONS } from '../../main/core/db/migrations';

/**
 * Makes a current vault database look as one at schema `version` did, for tests of a later
 * migration: drops every table, index and trigger that the steps after `version` created, and
 * sets user_version. Tables a later step rebuilt under the same name are kept (re-running such
 * a step must then work on them, which is itself worth testing).
 */
export function rewindSchema(db: Database.Database, version: number): void {
  const then = new Database(':memory:');
  try {
    for (const step of MIGRATIONS.slice(0, version)) {
      if (typeof step === 'string') then.exec(step);
      else then.transaction(() => step(then))();
    }
    const kept = new Set(
      (then.prepare('SELECT name FROM sqlite_master').all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    const now = db
      .prepare(
        `SELECT type, name FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL
         ORDER BY type = 'table', sql NOT LIKE 'CREATE VIRTUAL%'`,
      )
      .all() as { type: string; name: string }[];
    for (const { type, name } of now) {
      if (kept.has(name)) continue;
      // A virtual table's shadow tables go with it.
      const exists = db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name);
      if (exists) db.exec(`DROP ${type.toUpperCase()} "${name.replace(/"/g, '""')}"`);
    }
    db.pragma(`user_version = ${version}`);
  } finally {
    then.close();
  }
}
