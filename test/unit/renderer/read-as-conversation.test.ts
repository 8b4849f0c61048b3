import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError } from '../../../shared/client';

/** What the jobs store asked of the API, and what the API says next. */
const api = vi.hoisted(() => ({
  calls: [] as { method: string; args: unknown }[],
  replies: [] as (() => unknown)[],
}));

vi.mock('../../../renderer/src/api/transport', () => {
  const call = (method: string) => async (args: unknown) => {
    api.calls.push({ method, args });
    return api.replies.shift()?.() ?? {};
  };
  return {
    api: new Proxy(
      { on: () => () => undefined },
      { get: (t, m: string) => (m in t ? t[m as 'on'] : call(m)) },
    ),
    connection: { surface: 'web' },
  };
});

const { useJobs } = await import('../../../renderer/src/stores/jobs');
const { useSelection } = await import('../../../renderer/src/stores/selection');
const jobs = () => useJobs.getState();
const reads = () => api.calls.filter((c) => c.method === 'items.readAsConversation');

describe('the app reading an item as a conversation (jobs store)', () => {
  beforeEach(() => {
    api.calls.length = 0;
    api.replies.length = 0;
    useJobs.setState({ chatChoices: [], readJob: null });
    useSelection.setState({ openItemId: 'i1', openConversation: null });
  });

  it('reads it and opens the conversation view in place of the item', async () => {
    api.replies.push(() => ({ itemId: 'i1' }));
    await jobs().readAsConversation('i1', 'chat.zip');
    expect(reads()).toEqual([{ method: 'items.readAsConversation', args: { id: 'i1' } }]);
    expect(useSelection.getState()).toMatchObject({
      openItemId: null,
      openConversation: { id: 'i1', index: null },
    });
    expect(jobs().readJob).toBeNull();
  });

  it('asks the date order (the item, not a file), then reads with the answer; "not now" reads nothing', async () => {
    api.replies.push(() => {
      throw new ApiCallError('NEEDS_CHOICE', 'Give --date-order dmy or mdy.');
    });
    await jobs().readAsConversation('i1', 'chat.zip');
    expect(jobs().chatChoices).toEqual([
      { name: 'chat.zip', reason: 'Give --date-order dmy or mdy.', source: { itemId: 'i1' } },
    ]);
    expect(useSelection.getState().openConversation).toBeNull();

    // The dialog's examples come from the stored item.
    api.replies.push(() => ({ needed: true }));
    await jobs().chatChoiceCheck(jobs().chatChoices[0]!);
    expect(api.calls.at(-1)).toEqual({ method: 'items.chatChoice', args: { id: 'i1' } });

    api.replies.push(() => ({ itemId: 'i1' }));
    await jobs().answerChatChoice({ dateOrder: 'mdy', timeZone: 'Europe/London' });
    expect(reads().at(-1)!.args).toEqual({
      id: 'i1',
      dateOrder: 'mdy',
      timeZone: 'Europe/London',
    });
    expect(jobs().chatChoices).toEqual([]);
    expect(useSelection.getState().openConversation).toEqual({ id: 'i1', index: null });

    useSelection.setState({ openConversation: null });
    api.replies.push(() => {
      throw new ApiCallError('NEEDS_CHOICE', 'Give --date-order dmy or mdy.');
    });
    await jobs().readAsConversation('i1', 'chat.zip');
    const before = reads().length;
    await jobs().answerChatChoice(null);
    expect(reads()).toHaveLength(before);
    expect(jobs().chatChoices).toEqual([]);
  });

  it('says in plain words why it could not be read, and keeps the item open', async () => {
    api.replies.push(() => {
      throw new ApiCallError('CORRUPT', '"chat.zip" looks like a WhatsApp export, but …');
    });
    await jobs().readAsConversation('i1', 'chat.zip');
    expect(jobs().readJob).toEqual({
      itemId: 'i1',
      state: 'failed',
      error: '"chat.zip" looks like a WhatsApp export, but …',
    });
    expect(useSelection.getState().openItemId).toBe('i1');
    jobs().dismissRead();
    expect(jobs().readJob).toBeNull();
  });
});
