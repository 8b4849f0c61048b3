// item_search's searched columns (migrations 1 and 11) and the name each one has where a hit says
// where it matched (`dossier search`'s `source`). A new searched column adds one line here.
export const ITEM_SEARCH_SOURCES = {
  name: 'name',
  notes: 'note',
  text: 'text',
  /** Text read from a picture by machine (migration 11). */
  ocr: 'ocr',
} as const;

export type ItemSearchColumn = keyof typeof ITEM_SEARCH_SOURCES;
export type ItemSearchSource = (typeof ITEM_SEARCH_SOURCES)[ItemSearchColumn];
