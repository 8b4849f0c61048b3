import { describe, expect, it } from 'vitest';
import type { AddResult } from '../../../renderer/src/stores/jobs';
import { importCounts, importSummaryText } from '../../../renderer/src/screens/import/summary';
import { gridColumns, MIN_TILE, TILE_GAP } from '../../../renderer/src/screens/library/grid-layout';
import { snippetText } from '../../../renderer/src/screens/library/snippet-text';
import { orderSwitchLabel, orderText } from '../../../renderer/src/screens/library/sort-text';

describe('search snippet text', () => {
  it('shows line breaks and tabs as single spaces, never as escapes', () => {
    expect(snippetText('Dear Sir,\r\n\r\nI live in Waltham\tForest')).toBe(
      'Dear Sir, I live in Waltham Forest',
    );
    expect(snippetText('one\u2028two\u0085three\fdone')).toBe('one two three done');
  });

  it('makes other control and bidirectional characters visible', () => {
    expect(snippetText('bell\u0007 and \u202Eevil')).toBe('bell\\u{0007} and \\u{202e}evil');
  });

  it('leaves ordinary text as it is', () => {
    expect(snippetText('  café — “quoted”  ')).toBe(' café — “quoted” ');
  });
});

describe('sort order words', () => {
  it('names each direction in the words of its sort', () => {
    expect(orderText('name', 'asc')).toBe('A to Z');
    expect(orderText('name', 'desc')).toBe('Z to A');
    expect(orderText('size', 'desc')).toBe('Largest first');
    expect(orderText('size', 'asc')).toBe('Smallest first');
    expect(orderText('sourceTime', 'desc')).toBe('Newest first');
    expect(orderText('ingestedAt', 'asc')).toBe('Oldest first');
  });

  it('says what pressing the button does', () => {
    expect(orderSwitchLabel('name', 'asc')).toBe('A to Z; switch to Z to A');
    expect(orderSwitchLabel('size', 'desc')).toBe('Largest first; switch to smallest first');
    expect(orderSwitchLabel('sourceTime', 'asc')).toBe('Oldest first; switch to newest first');
  });
});

describe('grid columns', () => {
  it('fits as many tiles as the width allows, at least one', () => {
    expect(gridColumns(100)).toBe(1);
    expect(gridColumns(MIN_TILE)).toBe(1);
    expect(gridColumns(2 * MIN_TILE + TILE_GAP)).toBe(2);
    expect(gridColumns(2 * MIN_TILE + TILE_GAP - 1)).toBe(1);
    // A 1,280 px and a 1,600 px window: far more than 4 across.
    expect(gridColumns(1248)).toBe(6);
    expect(gridColumns(1568)).toBe(8);
  });
});

describe('import summary', () => {
  const added = (warnings: string[] = []): AddResult => ({
    status: 'added',
    duplicate: false,
    id: '01hx0000000000000000000000',
    sha256: 'a'.repeat(64),
    name: 'x.png',
    path: '/x.png',
    size: 1,
    mime: 'image/png',
    warnings,
  });
  const dupe: AddResult = {
    status: 'duplicate',
    duplicate: true,
    id: '01hx0000000000000000000001',
    sha256: 'b'.repeat(64),
    name: 'y.png',
    path: '/y.png',
    size: 1,
    existingName: 'y.png',
  };
  const failed: AddResult = { status: 'failed', path: '/z', name: 'z', error: 'unreadable' };
  const skipped: AddResult = {
    status: 'skipped',
    path: '/.DS_Store',
    name: '.DS_Store',
    error: '',
  };

  it('counts files added with a warning as problems (a truncated PNG, an empty file)', () => {
    const c = importCounts([
      added(),
      added(['This image is truncated or damaged']),
      added(['The file is empty (0 bytes).', 'another']),
      dupe,
    ]);
    expect(c).toEqual({
      added: 3,
      withWarnings: 2,
      duplicates: 1,
      failed: 0,
      skipped: 0,
      problems: 2,
    });
    expect(importSummaryText(c)).toBe(
      '3 added · 1 already in the vault · 2 with problems (2 added with warnings)',
    );
  });

  it('names each kind of problem once, and says when there are none', () => {
    expect(importSummaryText(importCounts([added(['w']), failed, skipped]))).toBe(
      '1 added · 0 already in the vault · 3 with problems (1 added with a warning, 1 not added, 1 left out)',
    );
    expect(importSummaryText(importCounts([added(), dupe]))).toBe(
      '1 added · 1 already in the vault · no problems',
    );
  });
});
