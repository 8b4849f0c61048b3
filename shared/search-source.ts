/**
 * Where a library search hit matched (items.query's `source`, `dossier search --json`): one
 * of the item's searched columns (main/core/items/search-sources.ts names them; `ocr` is the
 * text recognised in a picture), one of its tags, or a message of a conversation.
 */
export const SEARCH_SOURCES = ['name', 'note', 'text', 'ocr', 'tag', 'message'] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];
