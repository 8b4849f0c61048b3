// 6. "A library page query and an FTS search at p95 ≤ 5 ms with 100,000 items": the core's
//    items.query on a seeded vault, and the same calls through the loopback bridge (p95 ≤ 25 ms).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LibraryQuery } from '../../main/core/items/library';
import { seedItems } from '../support/seed';
import { TREE, loadCore, log, secs, verdict, type Bench, type Check } from './lib';

const ITEMS = Number(process.env.DOSSIER_BENCH_LIBRARY_ITEMS ?? 100_000);
const QUERIES = 250;
const CORE_P95_MS = 5;
const BRIDGE_P95_MS = 25;
const PASSPHRASE = 'correct horse battery staple (bench)';
const FAST_KDF = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;

/** A deterministic stream of page queries and searches, like a person clicking around. */
function workload(seeded: ReturnType<typeof seedItems>) {
  let state = 12345;
  const r = (n: number): number => (state = (state * 48271) % 2147483647) % n;
  const sorts = ['sourceTime', 'ingestedAt', 'name', 'size'] as const;
  const kinds = ['image', 'email', 'document', 'text', 'audio', 'video', 'other'] as const;
  const page = (): LibraryQuery => {
    const q: LibraryQuery = {
      sort: sorts[r(4)]!,
      order: r(2) ? 'asc' : 'desc',
      // Mostly the first pages; sometimes far down the list.
      offset: r(4) === 0 ? 200 * r(50) : 200 * r(3),
      limit: 200,
    };
    switch (r(6)) {
      case 0:
        q.kinds = [kinds[r(7)]!];
        break;
      case 1:
        q.kinds = [kinds[r(7)]!, kinds[r(7)]!];
        break;
      case 2:
        q.tags = r(2)
          ? [seeded.tags[r(seeded.tags.length)]!]
          : [seeded.tags[r(10)]!, seeded.tags[r(10)]!];
        break;
      case 3:
        q.personIds = [seeded.personIds[r(seeded.personIds.length)]!];
        break;
      case 4:
        q.incidentIds = [seeded.incidentIds[r(seeded.incidentIds.length)]!];
        break;
      default: {
        const month = 1 + r(12);
        q.from = `2024-${String(month).padStart(2, '0')}-01`;
        q.to = `2025-${String(month).padStart(2, '0')}-28`;
      }
    }
    return q;
  };
  // Any word of the notes and extracted text, picked uniformly: most are rare, some common.
  const search = (): LibraryQuery => ({
    text: seeded.words[r(seeded.words.length)]!,
    sort: sorts[r(4)]!,
    order: r(2) ? 'asc' : 'desc',
    offset: 0,
    limit: 200,
  });
  return { page, search };
}

export const libraryQuery: Bench = {
  name: 'library-query',
  title: `Library page and search on ${ITEMS.toLocaleString('en')} items (core and bridge)`,
  async run(ctx) {
    const { Vault } = await loadCore();
    const { DossierService } = (await import(
      pathToFileURL(join(TREE, 'main/core/api/service.ts')).href
    )) as typeof import('../../main/core/api/service');
    const { startBridge } = (await import(
      pathToFileURL(join(TREE, 'main/bridge/server.ts')).href
    )) as typeof import('../../main/bridge/server');
    const dir = ctx.vaultPath('library');
    const created = await Vault.create(dir, PASSPHRASE, { kdf: FAST_KDF, actor: 'bench' });
    const t = performance.now();
    const seeded = seedItems(created.vault, ITEMS);
    log(
      `  seeded ${ITEMS.toLocaleString('en')} items in ${secs(performance.now() - t)} (one transaction)`,
    );
    // Lock and unlock, as a person opening the app: the database's page cache starts empty.
    await created.vault.lock();
    const vault = await Vault.unlock(dir, PASSPHRASE, { actor: 'bench' });
    const db = (vault as unknown as { db: import('better-sqlite3-multiple-ciphers').Database }).db;

    const timeAll = <T>(qs: readonly T[], f: (q: T) => unknown): number[] =>
      qs.map((q) => {
        const a = performance.now();
        f(q);
        return performance.now() - a;
      });

    const w = workload(seeded);
    const pages = Array.from({ length: QUERIES }, w.page);
    const searches = Array.from({ length: QUERIES }, w.search);
    /*
     * The first pass after unlock reads every page it needs from the file, and each page
     * read costs a decryption and an HMAC: printed, not checked. It leaves the page cache
     * holding what the workload touches, as after a minute of use, for the baselines and
     * the timed runs alike (the raw baselines are warm-cache figures too).
     */
    const firstPage = timeAll(pages, (q) => vault.items.query(q));
    const firstSearch = timeAll(searches, (q) => vault.items.query(q));

    // Baselines on the same database: a raw indexed SELECT of 200 rows, and a raw FTS5 MATCH.
    const rawPage = db.prepare(
      'SELECT * FROM items INDEXED BY items_sort_time ORDER BY sort_time DESC, id DESC LIMIT 200 OFFSET ?',
    );
    const rawSearch = db.prepare(
      'SELECT rowid, item_id FROM item_search WHERE item_search MATCH ? LIMIT 200',
    );
    const basePage = timeAll(pages, (q) => rawPage.all(q.offset));
    const baseSearch = timeAll(searches, (q) => rawSearch.all(`"${q.text}"*`));
    /*
     * Totals are cached per filter set until the next write, as the app pages through one
     * query. The workload repeats filter sets (7 kinds, 30 tags, 12 date ranges...), so a
     * run in order hits that cache for some queries. The targets are checked on a cold run:
     * before each timed query a write to a temporary table moves total_changes(), which
     * empties the cache, so every query computes its total.
     */
    db.exec('CREATE TEMP TABLE bench_bump (x INTEGER)');
    const bump = db.prepare('INSERT INTO bench_bump VALUES (1)');
    const timeCold = <T>(qs: readonly T[], f: (q: T) => unknown): number[] =>
      qs.map((q) => {
        bump.run();
        const a = performance.now();
        f(q);
        return performance.now() - a;
      });
    const corePage = timeCold(pages, (q) => vault.items.query(q));
    const coreSearch = timeCold(searches, (q) => vault.items.query(q));
    bump.run();
    const corePageCached = timeAll(pages, (q) => vault.items.query(q));
    const coreSearchCached = timeAll(searches, (q) => vault.items.query(q));
    const hits = searches.map((q) => vault.items.query(q).total);
    const common = seeded.words.slice(0, 10).map((word) => ({ ...searches[0]!, text: word }));
    const coreCommon = timeAll(common, (q) => vault.items.query(q));
    await vault.lock();

    // The same two through the loopback bridge: HTTP, JSON, validation and the service.
    const service = new DossierService(dir, { kdf: FAST_KDF, actor: 'bench' });
    await service.call('session.unlock', { passphrase: PASSPHRASE }, null, () => undefined);
    const bridge = await startBridge({ vault: service });
    const base = new URL(bridge.url).origin;
    const call = async (args: LibraryQuery): Promise<number> => {
      const a = performance.now();
      const res = await fetch(`${base}/api/items.query`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ args, jobId: null }),
      });
      const body = (await res.json()) as { ok: boolean };
      if (!body.ok) throw new Error(`items.query failed: ${JSON.stringify(body)}`);
      return performance.now() - a;
    };
    const bridgePage: number[] = [];
    const bridgeSearch: number[] = [];
    try {
      for (const q of pages.slice(0, 20)) await call(q);
      for (const q of pages) bridgePage.push(await call(q));
      for (const q of searches) bridgeSearch.push(await call(q));
    } finally {
      await bridge.close();
      await service.lock();
      await ctx.remove(dir);
    }

    const line = (label: string, xs: number[], base?: number[]): void => {
      const ratio = base
        ? `   ratio p50 ${(percentile(xs, 50) / percentile(base, 50)).toFixed(1)}× p95 ${(percentile(xs, 95) / percentile(base, 95)).toFixed(1)}×`
        : '';
      log(
        `  ${label.padEnd(46)} p50 ${ms(percentile(xs, 50)).padStart(9)}  p95 ${ms(percentile(xs, 95)).padStart(9)}  max ${ms(Math.max(...xs)).padStart(9)}${ratio}`,
      );
    };
    log(
      `  ${QUERIES} page queries (a filter + sort + 200 rows, ${pages.filter((q) => q.offset >= 1000).length} of them at offset ≥ 1,000) and ${QUERIES} searches`,
    );
    log(
      `  "cold": the count cache emptied before each query (targets); "in order": totals of repeated filter sets cached, as when paging`,
    );
    line('first pass after unlock: page', firstPage);
    line('first pass after unlock: search', firstSearch);
    line('baseline: raw indexed SELECT 200 rows', basePage);
    line('baseline: raw FTS5 MATCH, 200 rows', baseSearch);
    line('core items.query, page (cold)', corePage, basePage);
    line('core items.query, search (cold)', coreSearch, baseSearch);
    line('core items.query, page (in order)', corePageCached, basePage);
    line('core items.query, search (in order)', coreSearchCached, baseSearch);
    line('core search, the 10 commonest words', coreCommon);
    line('bridge POST /api/items.query, page (in order)', bridgePage);
    line('bridge POST /api/items.query, search (in order)', bridgeSearch);
    log(
      `  search matches: median ${percentile(hits, 50)}, p95 ${percentile(hits, 95)}, max ${Math.max(...hits)} items`,
    );
    const checks: Check[] = [
      verdict(
        this.name,
        'core page p95',
        ms(percentile(corePage, 95)),
        `≤ ${CORE_P95_MS} ms`,
        percentile(corePage, 95) <= CORE_P95_MS,
      ),
      verdict(
        this.name,
        'core search p95',
        ms(percentile(coreSearch, 95)),
        `≤ ${CORE_P95_MS} ms`,
        percentile(coreSearch, 95) <= CORE_P95_MS,
      ),
      verdict(
        this.name,
        'bridge page p95',
        ms(percentile(bridgePage, 95)),
        `≤ ${BRIDGE_P95_MS} ms`,
        percentile(bridgePage, 95) <= BRIDGE_P95_MS,
      ),
      verdict(
        this.name,
        'bridge search p95',
        ms(percentile(bridgeSearch, 95)),
        `≤ ${BRIDGE_P95_MS} ms`,
        percentile(bridgeSearch, 95) <= BRIDGE_P95_MS,
      ),
    ];
    return checks;
  },
};
