import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** What the vault reports at unlock, and a sessionStorage that outlives a "reload". */
const fake = vi.hoisted(() => {
  const stored = new Map<string, string>();
  const storage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, String(v)),
    removeItem: (k: string) => void stored.delete(k),
  };
  (globalThis as { sessionStorage?: unknown }).sessionStorage = storage;
  return { stored, notices: [] as string[] };
});

vi.mock('../../../renderer/src/api/transport', () => {
  const status = () => ({ state: 'unlocked', fingerprint: 'ab cd', notices: [...fake.notices] });
  return {
    api: {
      'session.status': async () => status(),
      'session.unlock': async () => status(),
      'session.unlockWithRecoveryCode': async () => status(),
      on: () => () => undefined,
    },
  };
});

const QUARANTINE =
  '1 encrypted file that no item refers to was moved to quarantine/ in the vault folder (blobs/01/<img src=x onerror=alert(1)>.age).';
const READ_ONLY =
  'The disk is full: this session is read-only, and the unlock could not be logged.';

/** A fresh page: the store module loaded anew, as after a window reload. */
async function page() {
  vi.resetModules();
  const { useSession } = await import('../../../renderer/src/stores/session');
  const { NoticeList } = await import('../../../renderer/src/screens/library/VaultNotices');
  // What VaultNotices hands the list from the store (server rendering reads a store's
  // initial state, so the list is rendered with the store's current state here).
  const render = () => {
    const s = useSession.getState();
    return renderToStaticMarkup(
      createElement(NoticeList, {
        notices: s.notices,
        dismissed: s.dismissedNotices,
        onDismiss: s.dismissNotice,
      }),
    );
  };
  return { useSession, render };
}

describe('notices from opening the vault, on the library screen', () => {
  beforeEach(() => {
    fake.stored.clear();
    fake.notices = [QUARANTINE, READ_ONLY];
  });

  it('shows each notice as text in a status region, with a way to dismiss it', async () => {
    const { useSession, render } = await page();
    expect(await useSession.getState().unlock('correct horse battery staple')).toBe(true);
    const html = render();
    expect(html).toContain('role="status"');
    expect(html).toContain('moved to quarantine/');
    expect(html).toContain('read-only');
    // A file name is text, never markup.
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/>Dismiss</g)).toHaveLength(2);
  });

  it('a dismissed notice stays hidden in this session, also after a reload', async () => {
    const first = await page();
    await first.useSession.getState().unlock('correct horse battery staple');
    first.useSession.getState().dismissNotice(0);
    expect(first.render()).not.toContain('quarantine');
    expect(first.render()).toContain('read-only');

    // The window reloads while the vault stays open: main reports the same notices.
    const second = await page();
    await second.useSession.getState().refresh();
    expect(second.useSession.getState().notices).toHaveLength(2);
    expect(second.render()).not.toContain('quarantine');
    expect(second.render()).toContain('read-only');
    // No notice text is kept in the page's storage, only which positions were dismissed.
    expect([...fake.stored.values()].join()).not.toContain('quarantine');

    second.useSession.getState().dismissNotice(1);
    expect(second.render()).not.toContain('<li');
  });

  it('a new unlock is a new session: its notices show again', async () => {
    const first = await page();
    await first.useSession.getState().unlock('correct horse battery staple');
    first.useSession.getState().dismissNotice(0);
    first.useSession.getState().dismissNotice(1);
    expect(first.render()).not.toContain('<li');

    const second = await page();
    await second.useSession.getState().unlockWithRecoveryCode('ABCD-EFGH');
    expect(second.render()).toContain('quarantine');
    expect(second.render()).toContain('read-only');
  });

  it('renders nothing but the empty live region when there is nothing to say', async () => {
    fake.notices = [];
    const { useSession, render } = await page();
    await useSession.getState().unlock('correct horse battery staple');
    expect(render()).not.toContain('<li');
    expect(render()).toContain('role="status"');
  });
});
