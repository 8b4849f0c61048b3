/**
 * The contract's read methods answered from a bundle opened for review (the service's review
 * session, api/service.ts). Each answers as it does for a vault, from the review workspace;
 * a read method not listed here is refused while reviewing, and so is every method that
 * changes anything.
 */
import type { z } from 'zod';
import type { Api, Result, VaultMethodName } from '../../../shared/contract';
import { DossierError } from '../errors';
import type { CallContext } from '../api/service';
import { DEFAULT_SETTINGS } from '../vault/vault';
import type { OpenedBundle } from './open-bundle';

type ReviewHandlers = {
  [M in VaultMethodName]?: (args: z.output<Api[M]['args']>, ctx: CallContext) => Promise<Result<M>>;
};

export const READ_ONLY_MESSAGE =
  'This is a bundle opened for review: nothing in it can be changed.';

/** Methods that need no vault, answered by the service's own handlers while reviewing too. */
export const WITHOUT_VAULT: ReadonlySet<string> = new Set([
  'session.status',
  'session.lock',
  'review.open',
  'review.close',
  'review.state',
  'review.unlock',
  'review.record',
  'review.setReviewer',
  'review.send',
  'export.verify',
]);

/** Said for a method that needs a vault (check, export, keys…) while a bundle is open. */
export function notWhileReviewing(method: string): DossierError {
  return new DossierError(
    'USAGE',
    `A bundle is open for review, so ${method} (which needs your own vault) is not available. Close the bundle first.`,
  );
}

const CUSTODY = 'data/metadata/custody.jsonl';

export function reviewHandlers(opened: () => OpenedBundle): ReviewHandlers {
  const ws = () => opened().workspace;
  return {
    'items.list': async () => ws().list(),
    'items.get': async ({ id }) => ({ ...ws().itemDetail(id), readableAsConversation: null }),
    'items.search': async ({ query }) => ws().items.search(query),
    'items.query': async (q) => {
      const page = ws().items.query(q);
      const e = new Map(
        ws()
          .exhibits()
          .map((x) => [x.itemId, x.bagPath]),
      );
      return { ...page, rows: page.rows.map((r) => ({ ...r, blob: e.get(r.id) ?? r.blob })) };
    },
    'items.facets': async () => ws().items.facets(),
    'conversation.get': async ({ id }) => ws().conversation(id),
    'conversation.messages': async ({ id, from, limit }) =>
      ws().conversationMessages(id, from, limit),
    'conversation.search': async ({ id, text, offset, limit }) =>
      ws().searchConversation(id, text, offset, limit),
    'conversation.indexAt': async ({ id, date }) => ({
      index: ws().conversationIndexAt(id, date),
    }),
    'messages.get': async ({ id }) => ws().message(id),
    'custody.page': async (args) => ws().logPage(args),
    // The bundle's chain was checked when it was opened (verify-custody.ts): its verdict.
    'custody.verify': async () => {
      const { summary } = opened();
      const broken = summary.problems.find((p) => p.severity === 'error' && p.file === CUSTODY);
      const seq = broken
        ? Number(/\b(?:entry|seq(?:uence)?)\s+(\d+)/i.exec(broken.message)?.[1] ?? 0)
        : 0;
      return {
        ok: broken === undefined,
        entries: ws().logPage({ offset: 0, limit: 1, order: 'asc' }).total,
        firstBroken: broken ? { seq, reason: broken.message } : null,
      };
    },
    'incidents.list': async () => ws().cases.incidents(),
    'people.list': async () => ws().cases.people(),
    'ocr.status': async () => ws().textRecognitionStatus(),
    'ocr.get': async ({ id }) => ws().textReading(id),
    'ocr.languages': async () => ws().textRecognitionLanguages(),
    'settings.get': async () => ({ ...DEFAULT_SETTINGS }),
  };
}
