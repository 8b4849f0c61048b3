import { z } from 'zod';
import {
  api,
  type Api,
  type ApiError,
  type Envelope,
  type EventName,
  type MethodName,
  type Progress,
  type Result,
  type VaultMethodName,
} from '../../../shared/contract';
import { FAMILY_BUNDLE_PAGE_CAP } from '../../../shared/bundle-pages';
import { wellFormed } from '../../../shared/canonical-json';
import { asDatabaseError } from '../db/database';
import { DossierError, isDossierError } from '../errors';
import { assertPassphraseStrong } from '../keys/passphrase-policy';
import {
  evidenceResponse,
  type EvidenceKind,
  type EvidenceResponse,
} from '../serve/evidence-response';
import type { ApiHost } from './host';
import { Vault, type OpenOptions } from '../vault/vault';
import { HEADER_FILE } from '../vault/vault';
import { access, open as openFile } from 'node:fs/promises';
import { whatsAppDateOrderCheck } from '../conversations/whatsapp';
import { isZip } from '../conversations/archive';
import { dirname, isAbsolute, join } from 'node:path';
import { AdviserSession } from '../review/adviser-session';
import { redactionBoxInMillionths } from '../redaction/copy-records';
import type { OpenedBundle } from '../review/open-bundle';
import { reviewEvidenceResponse } from '../review/evidence';
import {
  notWhileReviewing,
  READ_ONLY_MESSAGE,
  reviewHandlers,
  WITHOUT_VAULT,
} from '../review/review-service';

export interface CallContext {
  onProgress(p: Omit<Progress, 'jobId'>): void;
  signal: AbortSignal;
}

type Handlers = {
  [M in VaultMethodName]: (args: z.output<Api[M]['args']>, ctx: CallContext) => Promise<Result<M>>;
};

/**
 * The API contract implemented on one vault folder, for every transport (IPC, bridge).
 * It holds the session: locked (no keys in memory) or unlocked. Arguments are validated
 * here against the contract before anything runs; failures come back as values with a
 * plain message, never as stack traces.
 */
export interface ServiceOptions extends OpenOptions {
  /**
   * Read pictures' text in the background while unlocked (default true: the app). Tests of
   * other things turn it off, so that no recognition entry lands in the log they read.
   */
  readPicturesInBackground?: boolean;
  /** The adviser's review store folder (default: `Reviews` beside the vault folder). */
  reviewsDir?: string;
}

export class DossierService implements ApiHost {
  private vault: Vault | null = null;
  /** A bundle opened for review (never at the same time as an unlocked vault). */
  private review: OpenedBundle | null = null;
  private readonly reviewing = reviewHandlers(() => {
    if (!this.review) throw new DossierError('LOCKED', 'No bundle is open for review.');
    return this.review;
  });
  /** The adviser's review store and this bundle's review in it (review-format.md). */
  private adviser: AdviserSession | null = null;
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();
  private readonly jobs = new Map<string, AbortController>();
  readonly handlers: Handlers;

  constructor(
    readonly vaultDir: string,
    private readonly options: ServiceOptions = {},
  ) {
    this.handlers = this.makeHandlers();
  }

  /** Validates, runs and wraps one call. `jobId` names a progress-reporting call for cancel(). */
  async call(
    name: string,
    rawArgs: unknown,
    jobId: string | null,
    onProgress: (p: Progress) => void,
  ): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(api, name))
      return fail('USAGE', `There is no method called ${String(name).slice(0, 80)}.`);
    const method = name as MethodName;
    if (api[method].host) {
      return fail(
        'UNSUPPORTED',
        'This needs the Dossier desktop app (it opens a window of your system).',
      );
    }
    // A bundle opened for review: reads answer from it; nothing can change (review/).
    let reviewRead: unknown;
    if (this.review) {
      if (api[method].changes) return fail('READ_ONLY', READ_ONLY_MESSAGE);
      reviewRead = this.reviewing[method as VaultMethodName];
      if (!reviewRead && !WITHOUT_VAULT.has(method))
        return fail('USAGE', notWhileReviewing(method).message);
    }
    const parsed = api[method].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return fail(
        'USAGE',
        `Invalid arguments for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'} ${i.message}`).join('; ')}.`,
      );
    }
    const controller = new AbortController();
    if (jobId) this.jobs.set(jobId, controller);
    try {
      const handler = (reviewRead ?? this.handlers[method as VaultMethodName]) as (
        a: unknown,
        c: CallContext,
      ) => Promise<unknown>;
      // Text with a broken UTF-16 pair is stored as UTF-8 encoders store it (U+FFFD).
      const value = await handler(wellFormed(parsed.data), {
        onProgress: (p) => jobId && onProgress({ jobId, ...p }),
        signal: controller.signal,
      });
      if (api[method].changes) this.emit('vaultChanged', {});
      this.runTextRecognition();
      this.watchCopyPreviews();
      return { ok: true, value };
    } catch (caught) {
      // SQLite's own failures (a damaged page, a read-only file) are named, not "unexpected".
      const e = asDatabaseError(caught);
      if (isDossierError(e)) return fail(e.code, e.message);
      return fail(
        'INTERNAL',
        'Something went wrong that Dossier did not expect. Nothing was changed by it; please try again.',
      );
    } finally {
      if (jobId) this.jobs.delete(jobId);
    }
  }

  /**
   * While the vault is unlocked, pictures are read in the background: started after every
   * successful call (an unlock, an import), a no-op when running, paused or empty.
   */
  private runTextRecognition(): void {
    const v = this.vault;
    if (!v || v.recoveryCodePending || this.options.readPicturesInBackground === false) return;
    try {
      v.startTextRecognition();
    } catch {
      // A locked or read-only vault reads nothing; the call itself succeeded.
    }
  }

  /** The vault whose background copy previews refresh the app (one subscription per session). */
  private watched: Vault | null = null;

  /** A redacted picture's preview saved in the background: the app shows it in the copy's tile. */
  private watchCopyPreviews(): void {
    const v = this.vault;
    if (!v || this.watched === v) return;
    this.watched = v;
    v.onCopyPreviewMade(() => this.emit('vaultChanged', {}));
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.abort();
  }

  get unlocked(): Vault | null {
    return this.vault;
  }

  /** A vault is unlocked, or a bundle is open for review: either holds evidence (auto-lock closes it). */
  get isUnlocked(): boolean {
    return this.vault !== null || this.review !== null;
  }

  evidence(id: string, kind: EvidenceKind, range: string | null): Promise<EvidenceResponse> {
    if (this.review) return reviewEvidenceResponse(this.review.workspace, id, kind, range);
    return evidenceResponse(this.vault, id, kind, range);
  }

  /** `vaultChanged` after a method declared `changes` succeeds, `locked` after session.lock. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EventName, payload: unknown): void {
    for (const l of this.listeners) l(event, payload);
  }

  async lock(): Promise<void> {
    for (const job of this.jobs.values()) job.abort();
    const v = this.vault;
    this.vault = null;
    await v?.lock();
    await this.closeReview();
  }

  private async closeReview(): Promise<void> {
    const r = this.review;
    this.review = null;
    this.adviser?.lock();
    this.adviser = null;
    await r?.close();
  }

  /**
   * Opens a bundle for review. An unlocked vault is locked first (and says so with `locked`):
   * one person's evidence and another's are never open together in one window.
   */
  private async openReview(
    path: string,
    passphrase: string | undefined,
    ctx: CallContext,
  ): Promise<Result<'review.open'>> {
    if (!isAbsolute(path)) {
      throw new DossierError(
        'USAGE',
        `Refused "${path.slice(0, 200)}": a bundle must be given by its full path.`,
      );
    }
    // As lock() does, but this call's own job goes on.
    for (const job of this.jobs.values()) if (job.signal !== ctx.signal) job.abort();
    const vault = this.vault;
    if (vault) {
      this.vault = null;
      await vault.lock();
      this.emit('locked', { reason: 'user' });
    }
    await this.closeReview();
    const { openBundleForReview } = await import('../review/open-bundle');
    const opened = await openBundleForReview(path, {
      passphrase,
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.onProgress({
          itemsDone: p.filesDone,
          itemsTotal: p.filesTotal,
          bytesDone: p.bytesDone,
          bytesTotal: 0,
        }),
    });
    // Locked, or cancelled, while it was being opened: it is not kept.
    if (ctx.signal.aborted) {
      await opened.close();
      throw new DossierError(
        'USAGE',
        'Opening the bundle was cancelled before it finished. Nothing was changed.',
      );
    }
    await this.closeReview(); // one opened meanwhile by another call
    this.review = opened;
    return this.status();
  }

  /** The bundle open for review, as the review layer reads it. */
  private reviewedBundle(): OpenedBundle['bundle'] {
    if (!this.review) {
      throw new DossierError(
        'USAGE',
        'Open a bundle for review first: a review is about one bundle.',
      );
    }
    return this.review.bundle;
  }

  private adviserSession(): AdviserSession {
    this.adviser ??= new AdviserSession(
      this.options.reviewsDir ?? join(dirname(this.vaultDir), 'Reviews'),
      this.reviewedBundle(),
    );
    return this.adviser;
  }

  /** The open vault, for the session's own methods (passphrase, recovery code). */
  private session(): Vault {
    if (!this.vault)
      throw new DossierError('LOCKED', 'The vault is locked. Unlock it to continue.');
    return this.vault;
  }

  /** The open vault, once its recovery code is confirmed: until then it is not usable. */
  private open(): Vault {
    const vault = this.session();
    if (vault.recoveryCodePending) {
      throw new DossierError(
        'RECOVERY_CODE_PENDING',
        'Confirm that you wrote down your recovery code first: it is the only way back in if the passphrase is forgotten.',
      );
    }
    return vault;
  }

  /** The item view's detail, with whether it can be read as a conversation (head bytes). */
  private async itemView(id: string): Promise<Result<'items.get'>> {
    const vault = this.open();
    const detail = vault.itemDetail(id);
    return { ...detail, readableAsConversation: await vault.readableAsConversation(detail.id) };
  }

  private async status(): Promise<Result<'session.status'>> {
    if (this.review) {
      return {
        state: 'reviewing',
        fingerprint: this.review.summary.fingerprint,
        notices: [],
        recoveryCodePending: false,
        review: this.review.summary,
      };
    }
    if (this.vault) {
      return {
        state: 'unlocked',
        fingerprint: this.vault.fingerprint(),
        notices: [...this.vault.notices],
        recoveryCodePending: this.vault.recoveryCodePending,
      };
    }
    const exists = await access(join(this.vaultDir, HEADER_FILE)).then(
      () => true,
      () => false,
    );
    return {
      state: exists ? 'locked' : 'no-vault',
      fingerprint: null,
      notices: [],
      recoveryCodePending: false,
    };
  }

  private makeHandlers(): Handlers {
    const opts = { actor: this.options.actor ?? 'app', kdf: this.options.kdf };
    return {
      'session.status': () => this.status(),
      'session.create': async ({ passphrase, acceptWeakPassphrase }) => {
        if (this.vault) throw new DossierError('USAGE', 'A vault is already open.');
        assertPassphraseStrong(passphrase, acceptWeakPassphrase);
        const { vault, recoveryCode } = await Vault.create(this.vaultDir, passphrase, {
          ...opts,
          holdRecoveryCode: true,
        });
        this.vault = vault;
        return { recoveryCode };
      },
      'session.unlock': async ({ passphrase }) => {
        this.vault ??= await Vault.unlock(this.vaultDir, passphrase, opts);
        return this.status();
      },
      'session.unlockWithRecoveryCode': async ({ code }) => {
        this.vault ??= await Vault.unlockWithRecoveryCode(this.vaultDir, code, opts);
        return this.status();
      },
      'review.open': async ({ path, passphrase }, ctx) => this.openReview(path, passphrase, ctx),
      'review.close': async () => {
        await this.closeReview();
        return this.status();
      },
      'review.state': async () => this.adviserSession().state(),
      'review.unlock': async ({ passphrase, create, acceptWeakPassphrase }) =>
        this.adviserSession().unlock(passphrase, create === true, acceptWeakPassphrase),
      'review.record': async ({ target, change }) => this.adviserSession().record(target, change),
      'review.setReviewer': async (reviewer) => this.adviserSession().setReviewer(reviewer),
      'review.send': async ({ out, passphrase }) => this.adviserSession().send(out, passphrase),
      'session.lock': async () => {
        await this.lock();
        this.emit('locked', { reason: 'user' });
        return this.status();
      },
      'session.changePassphrase': async ({ current, passphrase, acceptWeakPassphrase }) => {
        const vault = this.open();
        assertPassphraseStrong(passphrase, acceptWeakPassphrase);
        await vault.changePassphrase(current, passphrase);
        return {};
      },
      'session.recoveryCode': async () => ({
        recoveryCode: this.session().pendingRecoveryCode(),
      }),
      'session.confirmRecoveryCode': async ({ group, typed }) => {
        await this.session().confirmRecoveryCode(group, typed);
        return this.status();
      },
      'session.newRecoveryCode': async ({ current }) => ({
        recoveryCode: await this.session().newRecoveryCode(current, { hold: true }),
      }),
      'items.list': async () => this.open().list(),
      'items.get': async ({ id }) => this.itemView(id),
      'items.search': async ({ query }) => this.open().items.search(query),
      'items.query': async (q) => this.open().items.query(q),
      'items.facets': async () => this.open().items.facets(),
      'items.addNote': async ({ id, body }) => this.open().addNote(id, body),
      'items.editNote': async ({ noteId, body }) => this.open().editNote(noteId, body),
      'items.setTags': async ({ id, tags }) => this.open().setTags(id, tags),
      'items.addRegion': async ({ id, comment, ...box }) =>
        this.open().addRegion(id, box, comment ?? ''),
      'items.removeRegion': async ({ regionId }) => {
        this.open().removeRegion(regionId);
        return {};
      },
      'items.remove': async ({ id, reason }) => this.open().removeItem(id, reason),
      'items.rename': async ({ id, name }) => {
        this.open().renameItem(id, name);
        return this.itemView(id);
      },
      'items.add': async (args, ctx) => {
        // Paths come from a dialog or a drop: only whole paths, never relative to the worker's folder.
        const relative = args.paths.find((p) => !isAbsolute(p));
        if (relative !== undefined) {
          throw new DossierError(
            'USAGE',
            `Refused "${relative.slice(0, 200)}": a file to add must be given by its full path.`,
          );
        }
        return this.open().add(args.paths, {
          tags: args.tags,
          note: args.note,
          dateOrder: args.dateOrder,
          timeZone: args.timeZone,
          signal: ctx.signal,
          onProgress: (p) => ctx.onProgress(p),
        });
      },
      'items.addData': async ({ tags, note, dateOrder, timeZone, ...input }) =>
        this.open().addData(input, { tags, note, dateOrder, timeZone }),
      'items.chatChoice': async (args) => {
        this.open();
        let source: Uint8Array | { path: string };
        if ('id' in args) return (await this.open().itemDateOrderCheck(args.id)) ?? NO_CHOICE;
        if ('data' in args) source = args.data;
        else {
          if (!isAbsolute(args.path)) {
            throw new DossierError(
              'USAGE',
              `Refused "${args.path.slice(0, 200)}": a file must be given by its full path.`,
            );
          }
          source = await chatChoiceSource(args.path);
        }
        return (await whatsAppDateOrderCheck(source)) ?? NO_CHOICE;
      },
      'items.makeRedactedCopy': async ({ id, boxes }) =>
        this.open().makeRedactedCopy(
          id,
          boxes.map((b, i) => redactionBoxInMillionths(b, i + 1)),
        ),
      'items.textForRedaction': async ({ id }) => this.open().textForRedaction(id),
      'items.makeRedactedTextCopy': async ({ id, spans }) =>
        this.open().makeRedactedTextCopy(
          id,
          spans.map((s) => ({ ...s, otherReason: s.otherReason ?? null })),
        ),
      'items.makeCopyWithoutLocation': async ({ id }) => this.open().makeCopyWithoutLocation(id),
      'items.readAsConversation': async ({ id, dateOrder, timeZone }, ctx) =>
        this.open().readAsConversation(id, { dateOrder, timeZone }, ctx.signal),
      'conversation.get': async ({ id }) => this.open().conversation(id),
      'conversation.messages': async ({ id, from, limit }) =>
        this.open().conversationMessages(id, from, limit),
      'conversation.search': async ({ id, text, offset, limit }) =>
        this.open().searchConversation(id, text, offset, limit),
      'conversation.indexAt': async ({ id, date }) => ({
        index: this.open().conversationIndexAt(id, date),
      }),
      'messages.get': async ({ id }) => this.open().message(id),
      'messages.linkIncident': async ({ incidentId, messageIds }) =>
        this.open().setMessageIncident(incidentId, messageIds, 'link'),
      'messages.unlinkIncident': async ({ incidentId, messageIds }) =>
        this.open().setMessageIncident(incidentId, messageIds, 'unlink'),
      'messages.tag': async ({ messageIds, tags }) =>
        this.open().tagMessages(messageIds, tags, 'tag'),
      'messages.untag': async ({ messageIds, tags }) =>
        this.open().tagMessages(messageIds, tags, 'untag'),
      'messages.note': async ({ messageId, noteId, body }) =>
        this.open().noteMessage(messageId, body, noteId),
      'messages.markSender': async ({ messageId, personId }) =>
        this.open().markSender(messageId, personId),
      'vault.check': async (_args, ctx) =>
        this.open().check({
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.onProgress({
              itemsDone: p.blobsDone,
              itemsTotal: p.blobsTotal,
              bytesDone: p.bytesDone,
              bytesTotal: p.bytesTotal,
            }),
        }),
      'custody.page': async (args) => this.open().logPage(args),
      'custody.verify': async () => this.open().verifyLog(),
      'incidents.list': async () => this.open().cases.incidents(),
      'incidents.create': async ({ itemIds, personIds, ...input }) =>
        this.open().createIncident(input, { itemIds, personIds }),
      'incidents.update': async ({ id, ...patch }) => this.open().updateIncident(id, patch),
      'incidents.link': async ({ id, ...links }) => this.open().setIncidentLinks(id, links, 'link'),
      'incidents.unlink': async ({ id, ...links }) =>
        this.open().setIncidentLinks(id, links, 'unlink'),
      'incidents.remove': async ({ id, reason }) => this.open().removeIncident(id, reason),
      'people.list': async () => this.open().cases.people(),
      'people.update': async ({ id, ...patch }) => this.open().updatePerson(id, patch),
      'people.linkItems': async ({ id, itemIds }) =>
        this.open().setPersonItems(id, itemIds, 'link'),
      'people.unlinkItems': async ({ id, itemIds }) =>
        this.open().setPersonItems(id, itemIds, 'unlink'),
      'people.remove': async ({ id, reason }) => this.open().removePerson(id, reason),
      'people.create': async (input) => this.open().createPerson(input),
      'ocr.status': async () => this.open().textRecognitionStatus(),
      'ocr.get': async ({ id }) => this.open().textReading(id),
      'ocr.languages': async () => this.open().textRecognitionLanguages(),
      'ocr.setLanguage': async ({ language }) => {
        const vault = this.open();
        vault.setTextRecognitionLanguage(language);
        return vault.textRecognitionLanguages();
      },
      'ocr.pause': async () => this.open().pauseTextRecognition(),
      'ocr.resume': async () => this.open().resumeTextRecognition(),
      'ocr.readAgain': async ({ ids, language }) => {
        const vault = this.open();
        const queued = vault.readTextAgain(ids ?? null, language ?? null);
        vault.startTextRecognition();
        return { queued, status: vault.textRecognitionStatus() };
      },
      'settings.get': async () => this.open().settings(),
      'settings.update': async (patch) => this.open().updateSettings(patch),
      'keys.reveal': async ({ passphrase }) => this.open().revealKeysWithPassphrase(passphrase),
      'export.create': async (args, ctx) =>
        this.open().export({ ...args, signal: ctx.signal, onProgress: (p) => ctx.onProgress(p) }),
      'export.bundlePages': async (args) => ({
        pages: await this.open().bundlePages(args),
        cap: FAMILY_BUNDLE_PAGE_CAP,
      }),
      'adviserReviews.import': async ({ passphrase, ...source }) => {
        if ('path' in source && !isAbsolute(source.path)) {
          throw new DossierError(
            'USAGE',
            `Refused "${source.path.slice(0, 200)}": a review must be given by its full path.`,
          );
        }
        return this.open().importReview(source, { passphrase });
      },
      'adviserReviews.list': async () => {
        const reviews = this.open().adviserReviews;
        return reviews.list().map((r) => ({
          ...r,
          overall: reviews.overall(r.id),
          targets: reviews.targetCounts(r.id),
        }));
      },
      'adviserReviews.about': async (what) => this.open().adviserReviews.about(what),
      'export.located': async (args) => ({
        items: await this.open().locatedItems(args),
        withheldByCopies: await this.open().locatedOriginalsWithheld(args),
      }),
      'export.verify': async ({ path, passphrase }, ctx) => {
        const { verifyBundle } = await import('../export/verify-bundle');
        const report = await verifyBundle(path, {
          passphrase,
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.onProgress({
              itemsDone: p.filesDone,
              itemsTotal: p.filesTotal,
              bytesDone: p.bytesDone,
              bytesTotal: 0,
            }),
        });
        return report;
      },
    };
  }
}

function fail(code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

/** The date-order question's answer for a file that is not a WhatsApp export. */
const NO_CHOICE = {
  needed: false,
  proven: null,
  examples: [],
  dayFirstLine: null,
  monthFirstLine: null,
};

/** Past this, a file is not read for the date-order question (a chat zip is rarely this big). */
const CHAT_CHOICE_MAX_BYTES = 512 * 1024 * 1024;

/** A chat export on disk for items.chatChoice: a zip by its path (read in place), text whole. */
async function chatChoiceSource(path: string): Promise<Uint8Array | { path: string }> {
  let handle;
  try {
    handle = await openFile(path, 'r');
  } catch {
    throw new DossierError(
      'NOT_FOUND',
      `Could not open "${path.slice(0, 200)}" to read its dates.`,
    );
  }
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (isZip(head)) return { path };
    const { size } = await handle.stat();
    if (size > CHAT_CHOICE_MAX_BYTES) {
      throw new DossierError(
        'USAGE',
        'This chat text is too large for Dossier to show example dates from it (over 512 MiB). Choose the order from what the chat shows on your phone.',
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
