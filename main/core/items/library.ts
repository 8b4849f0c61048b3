import type { ItemKind } from '../../../shared/item-kind';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import {
  ftsMatch,
  ftsWord,
  ItemRepository,
  searchTokens,
  searchWords,
  tokensMatch,
  wordMatches,
  type ItemSummary,
  type SummaryRow,
} from './repository';
import { snippetSegments, type SnippetSegment } from './snippets';
import { SortRanks, type RankedSort } from './sort-ranks';
import { searchColumns, sourcedSnippets, type SearchColumn } from './search-sources';
import type { SearchSource } from '../../../shared/search-source';
import {
  CONVERSATION_ROWS,
  ConversationRepository,
  type MessageHit,
} from '../conversations/repository';

/**
 * The library page: filter, sort and page through items, with highlighted search matches.
 * `relevance` (with search words only) is the search's own order, best first: see
 * RELEVANCE_ORDER.
 */
export type LibrarySort = RankedSort | 'relevance';

export interface LibraryQuery {
  text?: string;
  sort: LibrarySort;
  order: 'asc' | 'desc';
  kinds?: readonly ItemKind[];
  /** The item has every one of these tags. */
  tags?: readonly string[];
  /** The item is linked to any of these people. */
  personIds?: readonly string[];
  /** The item is linked to any of these incidents. */
  incidentIds?: readonly string[];
  /** The item is one of these (the adviser's filter by review status). */
  itemIds?: readonly string[];
  /** On the sort time (best source time, else import time); a bare date covers its whole day. */
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

export type { SnippetSegment };

export interface LibraryRow extends ItemSummary {
  kind: ItemKind;
  hasThumbnail: boolean;
  /** How many problems the import found with the file (damaged, empty, unreadable metadata…). */
  warnings: number;
  /** The file holds where it was made (GPS): a person must know before sharing it. */
  hasLocation: boolean;
  /** Where the search words matched, as plain text segments (never HTML); null without a search. */
  snippet: SnippetSegment[] | null;
  /** A conversation found by one of its messages: the first such message and its snippet. */
  message?: MessageHit | null;
  /**
   * With search words: where the match is (see matchSource); null when it cannot be told.
   * Absent without a search.
   */
  source?: SearchSource | null;
  /** A conversation's message count, senders and time span (from its conversations row). */
  conversation?: ConversationGlance;
}

export interface ConversationGlance {
  messages: number;
  senders: number;
  /** The three senders with the most messages, busiest first. */
  topSenders: string[];
  firstTime: string | null;
  lastTime: string | null;
}

export interface LibraryPage {
  total: number;
  rows: LibraryRow[];
}

type PageRow = SummaryRow & {
  r: number;
  kind: ItemKind;
  search_rowid: number;
  thumb_blob_id: string | null;
  warning_count: number;
  has_location: 0 | 1;
};

export interface Facets {
  total: number;
  kinds: { kind: ItemKind; count: number }[];
  tags: { name: string; count: number }[];
}

/**
 * Search words: each must occur in the item's name, notes or text (FTS5), or in one of its
 * tags. Tags are small and few, so they are matched here and joined, not copied into FTS.
 */
interface TextSearch {
  /** The SELECT of the matching items' search rowids, each once. */
  set: string;
  params: unknown[];
  /** The FTS5 expression snippets are cut with. */
  snippet: string;
  /** The words some tag matched: the rows' tags are checked against them for the snippet. */
  tagWords: string[];
}

interface Filter {
  /** Set when there is a search. */
  text: TextSearch | null;
  onlyText: boolean;
  /**
   * Set when the filters are one or more kinds, with at most a date range: each kind's items
   * are read in sort order from its own index (migration 3).
   */
  kinds: { kinds: string[]; dates: { sql: string; params: unknown[] } } | null;
  /**
   * Set when the only filter is tags, people or incidents: the SELECT of the item ids (each
   * once), counted from the links alone (a link always names an item).
   */
  linksOnly: { sql: string; params: unknown[] } | null;
  /** Set when the only filter is one tag: its links are read in sort order (migration 3). */
  oneTag: number | null;
  /** It has a tag, person, incident or text term: a set of items that can be read on its own. */
  narrowing: boolean;
  /**
   * Set when the filters are kinds and whole-day dates at most: the total is a sum over the
   * day counts (migration 4). `to` is the first day not counted.
   */
  byDay: { kinds: string[] | null; from: string | null; to: string | null } | null;
  /** Identifies the filter for the count cache. */
  key: string;
  params: unknown[];
  /** The WHERE clause; `walk` names the sort whose index is being walked, or null. */
  where(walk: RankedSort | null): string;
}

/** What a library row needs (not the metadata JSON). */
const SUMMARY_COLUMNS = `i.id, i.sha256, i.size, i.name, i.mime, i.ingested_at, i.source_exif_time,
  i.source_email_time, i.source_mtime, i.blob_id, i.thumb_blob_id, i.kind, i.search_rowid, i.tag_names,
  json_array_length(i.metadata_errors) AS warning_count, instr(i.sensitive, '"gps"') > 0 AS has_location`;

/**
 * The relevance order: items whose own columns match, by FTS5's rank (bm25) of the search
 * words, best first; then items found only by a tag or only by one of their messages, in
 * the order they were imported (their id). `s` is the FTS5 matches joined by search rowid.
 */
const RELEVANCE_ORDER = 'ORDER BY s.rank IS NULL, s.rank, i.id';

/** Each sort's index (migration 2). */
const SORT_INDEX: Record<RankedSort, string> = {
  sourceTime: 'items_sort_time',
  ingestedAt: 'items_ingested',
  name: 'items_name',
  size: 'items_size',
};

/** Each sort's column, in items and in item_tags (its copy, migration 3). */
const SORT_COLUMN: Record<RankedSort, string> = {
  sourceTime: 'sort_time',
  ingestedAt: 'ingested_at',
  name: 'name',
  size: 'size',
};
const COLLATE: Record<RankedSort, string> = {
  sourceTime: '',
  ingestedAt: '',
  name: ' COLLATE NOCASE',
  size: '',
};

/** Each sort's index leading with the kind, and the one leading with the tag (migration 3). */
const KIND_INDEX: Record<RankedSort, string> = {
  sourceTime: 'items_kind_sort_time',
  ingestedAt: 'items_kind_ingested',
  name: 'items_kind_name',
  size: 'items_kind_size',
};
const TAG_INDEX: Record<RankedSort, string> = {
  sourceTime: 'item_tags_sort_time',
  ingestedAt: 'item_tags_ingested',
  name: 'item_tags_name',
  size: 'item_tags_size',
};

const ORDER_BY: Record<RankedSort, string> = {
  sourceTime: 'i.sort_time',
  ingestedAt: 'i.ingested_at',
  name: 'i.name COLLATE NOCASE',
  size: 'i.size',
};

/** Counts are cached until the next write on this connection (`total_changes()` moves). */
const COUNT_CACHE_SIZE = 64;

export class Library extends ItemRepository {
  private readonly counts = new Map<string, unknown>();
  private countsAt = -1;
  private readonly ranks: SortRanks;
  private readonly conversations: ConversationRepository;
  /** item_search's searched columns, read once (the schema is migrated before this opens). */
  private columns: SearchColumn[] | null = null;
  private readonly readColumns: () => SearchColumn[];

  constructor(db: Db) {
    super(db);
    this.readColumns = () => searchColumns(db);
    this.ranks = new SortRanks(db);
    this.conversations = new ConversationRepository(db);
  }

  query(q: LibraryQuery): LibraryPage {
    if (q.sort === 'relevance' && !q.text?.trim()) {
      throw new DossierError(
        'USAGE',
        'Sorting by relevance needs search words: give some, or sort another way.',
      );
    }
    const filter = this.filter(q);
    if (filter === null) return { total: 0, rows: [] };
    let total: number;
    let rows: PageRow[];
    if (q.sort === 'relevance') {
      const text = filter.text!;
      total = filter.onlyText
        ? this.cached(
            `count ${filter.key}`,
            () =>
              (
                this.stmt(`SELECT count(*) AS n FROM (${text.set})`).get(...text.params) as {
                  n: number;
                }
              ).n,
          )
        : this.countMatching(filter);
      if (total === 0 || q.offset >= total) return { total, rows: [] };
      rows = this.rowsBy('rowid', this.byRelevance(filter, q.offset, q.limit));
    } else if (filter.onlyText) {
      // A search alone: its matches are put in order by their ranks held in memory.
      const matches = this.stmt(filter.text!.set)
        .pluck()
        .all(...filter.text!.params) as number[];
      total = matches.length;
      const page = this.ranks.page(q.sort, q.order === 'desc', matches, q.offset, q.limit);
      rows = this.rowsBy('rowid', page);
    } else {
      total = this.countMatching(filter);
      if (total === 0 || q.offset >= total) return { total, rows: [] };
      rows = this.page(filter, q.sort, q, total);
    }
    const text = filter.text;
    const snippets = text ? this.snippets(text.snippet, rows) : null;
    // Conversations on the page that a message matched: the app opens them at that message.
    const hits =
      text && q.text !== undefined
        ? this.conversations.firstHits(
            rows.map((r) => r.id),
            q.text,
          )
        : null;
    const glances = this.conversationGlances(rows);
    return {
      total,
      rows: rows.map((r): LibraryRow => {
        const summary = this.summary(r);
        const glance = glances.get(r.id);
        const found = snippets?.get(r.search_rowid);
        const tagged = text ? tagSegments(summary.tags, text.tagWords) : [];
        const message = hits?.get(r.id) ?? null;
        return Object.assign(summary, {
          kind: r.kind,
          hasThumbnail: r.thumb_blob_id !== null,
          warnings: r.warning_count,
          hasLocation: r.has_location === 1,
          snippet: text ? joinSegments(snippetSegments(found?.snippet ?? ''), tagged) : null,
          ...(hits ? { message } : {}),
          ...(text
            ? { source: matchSource(found?.source ?? null, tagged.length > 0, message !== null) }
            : {}),
          ...(glance ? { conversation: glance } : {}),
        });
      }),
    };
  }

  /** The page's conversations at a glance: one query on their rows, never their messages. */
  private conversationGlances(rows: readonly PageRow[]): Map<string, ConversationGlance> {
    const ids = rows.filter((r) => r.kind === 'conversation').map((r) => r.id);
    const out = new Map<string, ConversationGlance>();
    if (ids.length === 0) return out;
    const found = this.stmt(
      `SELECT c.item_id AS id, c.message_count AS messages, c.first_time AS firstTime,
         c.last_time AS lastTime, json_array_length(c.participants) AS senders,
         (SELECT json_group_array(s) FROM (SELECT json_extract(p.value, '$.sender') AS s
            FROM json_each(c.participants) p
            ORDER BY json_extract(p.value, '$.messages') DESC LIMIT 3)) AS top
       FROM conversations c WHERE c.item_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as {
      id: string;
      messages: number;
      firstTime: string | null;
      lastTime: string | null;
      senders: number;
      top: string;
    }[];
    for (const f of found) {
      const top = JSON.parse(f.top) as unknown[];
      out.set(f.id, {
        messages: f.messages,
        senders: f.senders,
        topSenders: top.map((t) => (typeof t === 'string' ? t : '')),
        firstTime: f.firstTime,
        lastTime: f.lastTime,
      });
    }
    return out;
  }

  /**
   * A page of the matches in relevance order (RELEVANCE_ORDER), as the items' rowids. Every
   * match's rank is computed: FTS5 cannot rank only a page. Bounded by the search's own cost.
   */
  private byRelevance(filter: Filter, offset: number, limit: number): number[] {
    const text = filter.text!;
    return this.stmt(
      // The ranks are read once, into a table joined by rowid: as a plain subquery, SQLite
      // could run the whole FTS5 query again for each item (37 s for 10,000 matches).
      `WITH s(sr, rank) AS MATERIALIZED (SELECT rowid, rank FROM item_search WHERE item_search MATCH ?)
       SELECT i.rowid AS r FROM items i LEFT JOIN s ON s.sr = i.search_rowid
       ${filter.where(null)} ${RELEVANCE_ORDER} LIMIT ? OFFSET ?`,
    )
      .pluck()
      .all(text.snippet, ...filter.params, limit, offset) as number[];
  }

  /** The page's rows, in order. */
  private page(filter: Filter, sort: RankedSort, q: LibraryQuery, total: number): PageRow[] {
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const col = SORT_COLUMN[sort];
    const collate = COLLATE[sort];
    const limits = [q.limit, q.offset];
    if (filter.oneTag !== null) {
      // One tag: its links hold the sort keys, so the page is a range of one index.
      const ids = this.stmt(
        `SELECT item_id AS k FROM item_tags INDEXED BY ${TAG_INDEX[sort]} WHERE tag_id = ?
         ORDER BY ${col}${collate} ${dir}, item_id ${dir} LIMIT ? OFFSET ?`,
      )
        .all(filter.oneTag, ...limits)
        .map((r) => (r as { k: string }).k);
      return this.rowsBy('id', ids);
    }
    if (filter.kinds !== null) {
      // Kinds: each kind's index in sort order; several are merged (no sort of all matches).
      const { kinds, dates } = filter.kinds;
      const one = `SELECT i.rowid AS r, i.${col} AS k, i.id AS id FROM items i
        INDEXED BY ${KIND_INDEX[sort]} WHERE i.kind = ?${dates.sql}`;
      const rowids = this.stmt(
        `${kinds.map(() => one).join(' UNION ALL ')}
         ORDER BY 2${collate} ${dir}, 3 ${dir} LIMIT ? OFFSET ?`,
      )
        .all(...kinds.flatMap((k) => [k, ...dates.params]), ...limits)
        .map((r) => (r as { r: number }).r);
      return this.rowsBy('rowid', rowids);
    }
    const order = `ORDER BY ${ORDER_BY[sort]} ${dir}, i.id ${dir} LIMIT ? OFFSET ?`;
    /*
     * Two ways to find a page. Walking the sort's index in order and testing each entry
     * against the filters stops after the page, so it wins when many items match; reading
     * the matches and sorting them wins when few do. The exact count says which is cheaper.
     */
    const n = this.cached('count all', () => this.count());
    // Index entries the walk reads, against matches to look up (each ~4 times the cost).
    const walked = ((q.offset + q.limit) * n) / total;
    // The matches' sort keys come from a covering index: from the search rowid or the id.
    const byKey = filter.text !== null ? 'items_by_search' : 'items_by_id';
    const rowids = (
      !filter.narrowing || walked < total * 4
        ? this.stmt(
            `SELECT i.rowid AS r FROM items i INDEXED BY ${SORT_INDEX[sort]} ${filter.where(sort)} ${order}`,
          )
        : this.stmt(
            `SELECT i.rowid AS r FROM items i INDEXED BY ${byKey} ${filter.where(null)} ${order}`,
          )
    )
      .all(...filter.params, ...limits)
      .map((r) => (r as { r: number }).r);
    return this.rowsBy('rowid', rowids);
  }

  /** The library columns of these items (by rowid or by id), in the order given. */
  private rowsBy(key: 'rowid' | 'id', keys: readonly (number | string)[]): PageRow[] {
    const found = this.stmt(
      `SELECT i.rowid AS r, ${SUMMARY_COLUMNS} FROM items i
       WHERE i.${key} IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(keys)) as PageRow[];
    const byKey = new Map<number | string, PageRow>(
      found.map((r) => [key === 'rowid' ? r.r : r.id, r]),
    );
    return keys.map((k) => byKey.get(k)!);
  }

  /**
   * FTS5 snippets of the best matching column, and which column that is, for the page's rows
   * only. One pass over the matches: a MATCH per row would re-run the whole query each time.
   */
  private snippets(
    match: string,
    rows: readonly { search_rowid: number }[],
  ): Map<number, { snippet: string; source: SearchSource | null }> {
    this.columns ??= this.readColumns();
    return sourcedSnippets(
      (sql) => this.stmt(sql),
      this.columns,
      match,
      rows.map((r) => r.search_rowid),
    );
  }

  /** The WHERE clause for a query's filters; null when nothing can match (an unknown tag). */
  private filter(q: LibraryQuery): Filter | null {
    // Each term is written with a column reference; `+col` stops SQLite using another index.
    // A term on links also gives the SELECT of its item ids (`set`), each id once.
    const terms: { col: string; sql: (c: string) => string; params: unknown[]; set?: string }[] =
      [];
    let text: TextSearch | null = null;
    if (q.text !== undefined && q.text.trim() !== '') {
      text = this.textSearch(q.text);
      if (text === null) return null;
      const { set } = text;
      terms.push({ col: 'i.search_rowid', sql: (c) => `${c} IN (${set})`, params: text.params });
    }
    if (q.kinds?.length) {
      const kinds = [...new Set(q.kinds)];
      terms.push({
        col: 'i.kind',
        sql: (c) => `${c} IN (${kinds.map(() => '?').join(',')})`,
        params: kinds,
      });
    }
    const tagIds: number[] = [];
    for (const tag of new Set((q.tags ?? []).map((t) => t.trim()).filter(Boolean))) {
      const row = this.stmt('SELECT id FROM tags WHERE name = ?').get(tag) as
        { id: number } | undefined;
      if (!row) return null;
      if (!tagIds.includes(row.id)) tagIds.push(row.id);
    }
    // All of them: each tag's ids come in order from item_tags_tag, and SQLite merges them
    // (MERGE (INTERSECT)) before any item is looked at.
    const tagSet =
      tagIds.length === 0
        ? null
        : tagIds.map(() => 'SELECT item_id FROM item_tags WHERE tag_id = ?').join(' INTERSECT ') +
          (tagIds.length > 1 ? ' ORDER BY 1' : '');
    if (tagSet !== null) {
      terms.push({ col: 'i.id', sql: (c) => `${c} IN (${tagSet})`, params: tagIds, set: tagSet });
    }
    const linked = (ids: readonly string[] | undefined, table: string, key: string): void => {
      if (!ids?.length) return;
      const unique = [...new Set(ids)];
      const set = `SELECT DISTINCT item_id FROM ${table} WHERE ${key} IN (${unique.map(() => '?').join(',')})`;
      terms.push({ col: 'i.id', sql: (c) => `${c} IN (${set})`, params: unique, set });
    };
    linked(q.personIds, 'item_people', 'person_id');
    linked(q.incidentIds, 'incident_items', 'incident_id');
    if (q.itemIds) {
      // One parameter, however many: SQLite's limit on parameters is not reached.
      const set = 'SELECT value FROM json_each(?)';
      terms.push({
        col: 'i.id',
        sql: (c) => `${c} IN (${set})`,
        params: [JSON.stringify([...new Set(q.itemIds)])],
        set,
      });
    }
    const from = q.from === undefined ? null : timeBound(q.from, 'from');
    const to = q.to === undefined ? null : timeBound(q.to, 'to');
    if (from && to && (to.dateOnly ? from.value >= to.value : from.value > to.value)) {
      throw new DossierError(
        'USAGE',
        `The start date (${q.from}) is after the end date (${q.to}). Swap them, or change one.`,
      );
    }
    // Kinds and nothing else but dates.
    const kindsOnly = q.kinds?.length && terms.length === 1 ? [...new Set(q.kinds)] : null;
    const dateStart = terms.length;
    if (from) terms.push({ col: 'i.sort_time', sql: (c) => `${c} >= ?`, params: [from.value] });
    // A bare date is the whole day: everything before the next midnight.
    if (to) {
      terms.push({
        col: 'i.sort_time',
        sql: (c) => `${c} ${to.dateOnly ? '<' : '<='} ?`,
        params: [to.value],
      });
    }
    const dates = terms.slice(dateStart);
    const alone = terms.length === 1;
    const narrowing = terms.some((t) => t.col === 'i.id' || t.col === 'i.search_rowid');
    const wholeDay = (b: { value: string } | null, midnight: boolean): boolean =>
      b === null || (midnight && /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(b.value));
    return {
      text,
      onlyText: alone && text !== null,
      kinds: kindsOnly && {
        kinds: kindsOnly,
        dates: {
          sql: dates.map((t) => ` AND ${t.sql(t.col)}`).join(''),
          params: dates.flatMap((t) => t.params),
        },
      },
      linksOnly: alone && terms[0]!.set ? { sql: terms[0]!.set, params: terms[0]!.params } : null,
      oneTag: alone && tagIds.length === 1 ? tagIds[0]! : null,
      narrowing,
      byDay:
        !narrowing && wholeDay(from, true) && wholeDay(to, to?.dateOnly === true)
          ? {
              kinds: q.kinds?.length ? [...new Set(q.kinds)] : null,
              from: from && from.value.slice(0, 10),
              to: to && to.value.slice(0, 10),
            }
          : null,
      key: JSON.stringify(terms.map((t) => [t.sql(t.col), t.params])),
      params: terms.flatMap((t) => t.params),
      where(walk) {
        if (terms.length === 0) return '';
        // While walking a sort's index, only its own column may narrow the walk.
        const own = walk === 'sourceTime' ? 'i.sort_time' : null;
        return `WHERE ${terms.map((t) => t.sql(walk === null || t.col === own ? t.col : `+${t.col}`)).join(' AND ')}`;
      },
    };
  }

  /** Full-text search, tags and messages included, in relevance order (RELEVANCE_ORDER). */
  override search(query: string): string[] {
    const filter = this.filter({
      text: query,
      sort: 'relevance',
      order: 'desc',
      offset: 0,
      limit: 1,
    });
    if (filter?.text == null) return [];
    const rowids = this.byRelevance(filter, 0, -1);
    return this.rowsBy('rowid', rowids).map((r) => r.id);
  }

  /** The search's set of items; null when the text has no words (nothing can match). */
  private textSearch(typed: string): TextSearch | null {
    const words = [...new Set(searchWords(typed))];
    if (words.length === 0) return null;
    const match = ftsMatch(typed)!;
    // Each tag's tokens, made once until the next write: a vault may hold thousands of tags.
    const tags = this.cached('tag tokens', () =>
      (this.stmt('SELECT id, name FROM tags').all() as { id: number; name: string }[]).map((t) => ({
        id: t.id,
        tokens: searchTokens(t.name),
      })),
    );
    const inText: string[] = [];
    const parts: string[] = [];
    const params: unknown[] = [];
    const tagWords: string[] = [];
    for (const word of words) {
      const want = searchTokens(word);
      const ids = tags.filter((t) => tokensMatch(want, t.tokens)).map((t) => t.id);
      if (ids.length === 0) {
        inText.push(ftsWord(word));
        continue;
      }
      // In the text, or on an item with one of the tags it matches.
      tagWords.push(word);
      parts.push(
        `SELECT r FROM (SELECT rowid AS r FROM item_search WHERE item_search MATCH ?
         UNION SELECT i.search_rowid FROM item_tags it JOIN items i INDEXED BY items_by_id ON i.id = it.item_id
         WHERE it.tag_id IN (${ids.map(() => '?').join(',')}))`,
      );
      params.push(ftsWord(word), ...ids);
    }
    // The words no tag matches are one FTS5 query, as before: every one must occur.
    if (inText.length > 0) {
      parts.unshift('SELECT rowid FROM item_search WHERE item_search MATCH ?');
      params.unshift(inText.join(' '));
    }
    // Or a conversation one of whose messages has every word (compound selects run left to
    // right: the item matches above, then these). Each conversation is asked of the index by
    // its run of rows (docs/vault-format.md, "messages"), not each match joined to its message:
    // a word in each of 100,000 messages took 3 s that way.
    const inMessage = `SELECT i.search_rowid FROM (${CONVERSATION_ROWS}) r
      JOIN items i INDEXED BY items_by_id ON i.id = r.item
      WHERE CASE WHEN r.run
        THEN EXISTS (SELECT 1 FROM message_search
          WHERE message_search MATCH ? AND rowid BETWEEN r.first AND r.last)
        ELSE EXISTS (SELECT 1 FROM message_search s JOIN messages m ON m.n = s.rowid
          WHERE message_search MATCH ? AND m.item_id = r.item) END`;
    return {
      set: `${parts.join(' INTERSECT ')} UNION ${inMessage}`,
      params: [...params, match, match],
      snippet: tagWords.length === 0 ? match : words.map(ftsWord).join(' OR '),
      tagWords,
    };
  }

  private countMatching(f: Filter): number {
    return this.cached(`count ${f.key}`, () => {
      if (f.params.length === 0) return this.cached('count all', () => this.count());
      if (f.byDay) return this.countByDay(f.byDay);
      // Text alone never comes here: its matches are counted as they are read.
      const r = (
        f.linksOnly
          ? this.stmt(`SELECT count(*) AS n FROM (${f.linksOnly.sql})`)
          : this.stmt(`SELECT count(*) AS n FROM items i ${f.where(null)}`)
      ).get(...f.params) as { n: number };
      return r.n;
    });
  }

  private countByDay({ kinds, from, to }: NonNullable<Filter['byDay']>): number {
    const where: string[] = [];
    const params: string[] = [];
    if (kinds) {
      where.push(`kind IN (${kinds.map(() => '?').join(',')})`);
      params.push(...kinds);
    }
    if (from !== null) {
      where.push('day >= ?');
      params.push(from);
    }
    if (to !== null) {
      where.push('day < ?');
      params.push(to);
    }
    const r = this.stmt(
      `SELECT coalesce(sum(n), 0) AS n FROM library_counts WHERE ${where.join(' AND ')}`,
    ).get(...params) as { n: number };
    return r.n;
  }

  facets(): Facets {
    return this.cached('facets', () => ({
      total: (this.stmt('SELECT count(*) AS n FROM items').get() as { n: number }).n,
      kinds: this.stmt(
        'SELECT kind, count(*) AS count FROM items GROUP BY kind ORDER BY count DESC, kind',
      ).all() as Facets['kinds'],
      tags: this.stmt(
        `SELECT t.name, c.count FROM
           (SELECT tag_id, count(*) AS count FROM item_tags GROUP BY tag_id) c
           JOIN tags t ON t.id = c.tag_id
         ORDER BY c.count DESC, t.name COLLATE NOCASE`,
      ).all() as Facets['tags'],
    }));
  }

  private cached<T>(key: string, compute: () => T): T {
    const at = (this.stmt('SELECT total_changes() AS n').get() as { n: number }).n;
    if (at !== this.countsAt) {
      this.counts.clear();
      this.countsAt = at;
    }
    if (this.counts.has(key)) return this.counts.get(key) as T;
    const value = compute();
    if (this.counts.size >= COUNT_CACHE_SIZE) this.counts.clear();
    this.counts.set(key, value);
    return value;
  }
}

/**
 * Where a search hit matched, by one stated rule: the item's own column its snippet was cut
 * from (FTS5's best-scoring column, the first in table order on a tie: name, note, text,
 * then any column added later, such as ocr); else a tag; else one of its messages.
 */
export function matchSource(
  column: SearchSource | null,
  byTag: boolean,
  byMessage: boolean,
): SearchSource | null {
  return column ?? (byTag ? 'tag' : byMessage ? 'message' : null);
}

/** The row's tags a search word matched, as a snippet part: "tag: threat". */
function tagSegments(tags: readonly string[], words: readonly string[]): SnippetSegment[] {
  const hit = tags.filter((t) => words.some((w) => wordMatches(w, t)));
  if (hit.length === 0) return [];
  return [
    { text: hit.length === 1 ? 'tag: ' : 'tags: ', match: false },
    ...hit.flatMap((t, i) => [
      ...(i > 0 ? [{ text: ', ', match: false }] : []),
      { text: t, match: true },
    ]),
  ];
}

function joinSegments(a: SnippetSegment[], b: SnippetSegment[]): SnippetSegment[] {
  return a.length && b.length ? [...a, { text: ' · ', match: false }, ...b] : [...a, ...b];
}

/** A date or time a person typed, as the UTC form sort_time is stored in. */
function timeBound(typed: string, which: 'from' | 'to'): { value: string; dateOnly: boolean } {
  const t = typed.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const ms = Date.parse(dateOnly ? `${t}T00:00:00Z` : t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) || Number.isNaN(ms)) {
    throw new DossierError(
      'USAGE',
      `"${typed.slice(0, 64)}" is not a date. Use a form like 2026-03-09 or 2026-03-09T21:30:00Z for the "${which}" date.`,
    );
  }
  return {
    value: new Date(dateOnly && which === 'to' ? ms + 86_400_000 : ms).toISOString(),
    dateOnly,
  };
}
