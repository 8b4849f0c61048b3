/**
 * Writes a BagIt 1.0 bag (RFC 8493) into a sink: payload under data/ hashed with SHA-256
 * and SHA-512 as it streams, then bagit.txt, bag-info.txt, the payload manifests and a
 * SHA-256 tag manifest. Manifests use two spaces, so `sha256sum -c` checks them as is.
 */
import { createHash } from 'node:crypto';
import { HashWorker, SLOT_BYTES } from '../hash-worker';
import { MultiHasher } from './hash';

/** Payload files at least this big have their SHA-512 computed on a worker thread. */
const OFFLOAD_MIN_BYTES = 4 * 1024 * 1024;
import { formatManifest, PAYLOAD_MANIFEST, TAG_MANIFEST } from './manifest';
import { checkWritablePath } from './paths';
import type { BagSink } from './sink';
import { BAG_INFO_TXT, BAGIT_TXT, FETCH_TXT, formatBagInfo, formatBagitTxt } from './tagfiles';

export interface BagWriterOptions {
  /** Ordered label/value pairs, without Payload-Oxum and Bagging-Date (computed here). */
  bagInfo: [string, string][];
  /** YYYY-MM-DD; default today (local time). */
  baggingDate?: string;
}

export interface PayloadDigest {
  sha256: string;
  sha512: string;
  size: number;
}

const COMPUTED_LABELS = ['payload-oxum', 'bagging-date'];

function today(): string {
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function isReservedTagName(relPath: string): boolean {
  return (
    [BAGIT_TXT, BAG_INFO_TXT, FETCH_TXT].includes(relPath) ||
    PAYLOAD_MANIFEST.test(relPath) ||
    TAG_MANIFEST.test(relPath)
  );
}

export class BagWriter {
  private readonly payload = new Map<string, PayloadDigest>();
  private readonly tagFiles = new Map<string, string>();
  private readonly bagInfo: [string, string][];
  private readonly baggingDate: string;
  private finished = false;
  private hashWorker: HashWorker | null = null;
  private sha256Worker: HashWorker | null = null;
  /** Calls run one after another: a sink writes one file at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sink: BagSink,
    opts: BagWriterOptions,
  ) {
    for (const [label] of opts.bagInfo) {
      if (COMPUTED_LABELS.includes(label.trim().toLowerCase())) {
        throw new TypeError(`bagit: ${label} is computed by BagWriter; do not pass it`);
      }
    }
    this.baggingDate = opts.baggingDate ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.baggingDate)) {
      throw new TypeError(`bagit: Bagging-Date must be YYYY-MM-DD, not ${this.baggingDate}`);
    }
    this.bagInfo = opts.bagInfo.map(([l, v]) => [l, v]);
    formatBagInfo(this.bagInfo); // fail now, not at finish(), on a bad label or value
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private checkNotFinished(): void {
    if (this.finished)
      throw new Error('bagit: the bag is finished; only unlisted tag files can be added');
  }

  /** Adds a payload file under data/, hashing SHA-256 and SHA-512 in the same pass as writing. */
  addPayload(
    relPath: string,
    data: Buffer | AsyncIterable<Buffer>,
    sizeHint?: number,
  ): Promise<PayloadDigest> {
    return this.run(async () => {
      this.checkNotFinished();
      checkWritablePath(relPath);
      if (!relPath.startsWith('data/') || relPath.length <= 'data/'.length) {
        throw new TypeError(`bagit: payload paths start with data/, not ${relPath}`);
      }
      // Big files: SHA-512 and SHA-256 each on a worker of its own, on slots of one shared
      // pool, while this thread decrypts and writes. Three threads keep two cores busy even
      // when one of them stalls or other programs compete for the cores.
      const workers = this.offload(sizeHint);
      const hasher = new MultiHasher(workers ? [] : ['sha256', 'sha512']);
      const jobs = workers && ([workers[0].start('sha512'), workers[1].start('sha256')] as const);
      let hashed = 0;
      async function* tap(): AsyncGenerator<Buffer> {
        const chunks = Buffer.isBuffer(data) ? [data] : data;
        for await (const chunk of chunks) {
          hashed += chunk.length;
          if (!workers || !jobs) {
            hasher.update(chunk);
            yield chunk;
            continue;
          }
          const owner = workers[0];
          const hashBoth = async (piece: Buffer): Promise<void> => {
            owner.retain(piece); // the first hash holds it from slot(); this is the second's
            await jobs[0].update(piece);
            await jobs[1].update(piece);
          };
          if (chunk.buffer === owner.pool) {
            // A slot from payloadBuffers(): hashed where it is, and ours until the sink wrote it.
            owner.retain(chunk);
            await hashBoth(chunk);
            yield chunk;
            owner.releaseSlot(chunk);
            continue;
          }
          for (let at = 0; at < chunk.length; at += SLOT_BYTES) {
            const slot = await owner.slot();
            await hashBoth(slot.subarray(0, chunk.copy(slot, 0, at, at + SLOT_BYTES)));
          }
          yield chunk;
        }
      }
      let written: number;
      try {
        written = await this.sink.writeFile(relPath, tap(), sizeHint);
      } catch (e) {
        for (const job of jobs ?? []) job.abandon();
        throw e;
      }
      if (written !== hashed) {
        for (const job of jobs ?? []) job.abandon();
        throw new Error(`bagit: ${relPath}: wrote ${written} bytes but hashed ${hashed}`);
      }
      const d = jobs
        ? new Map([
            ['sha512', await jobs[0].digest()],
            ['sha256', await jobs[1].digest()],
          ])
        : hasher.digest();
      const digest = {
        sha256: d.get('sha256') ?? '',
        sha512: d.get('sha512') ?? '',
        size: written,
      };
      this.payload.set(relPath, digest);
      return digest;
    });
  }

  /** The SHA-512 and SHA-256 workers (one pool), for a payload file big enough to be worth it. */
  private offload(sizeHint: number | undefined): [HashWorker, HashWorker] | null {
    if ((sizeHint ?? 0) < OFFLOAD_MIN_BYTES) return null;
    const owner = (this.hashWorker ??= new HashWorker());
    return [owner, (this.sha256Worker ??= new HashWorker(owner))];
  }

  /**
   * For a payload file of `sizeHint` bytes: where to put its bytes so the SHA-512 worker hashes
   * them in place (slots of its shared pool, 1 MiB each), or null when it is hashed inline.
   * Pass the filled buffers to addPayload in order, each one once.
   */
  payloadBuffers(sizeHint: number): (() => Promise<Buffer>) | null {
    const workers = this.offload(sizeHint);
    return workers && (() => workers[0].slot());
  }

  /** Adds a tag file (outside data/) that will be listed in tagmanifest-sha256.txt. */
  addTagFile(relPath: string, data: Buffer): Promise<void> {
    return this.run(async () => {
      this.checkNotFinished();
      await this.writeTag(relPath, data);
    });
  }

  /** A tag file no manifest lists: a signature over the tag manifest, VERIFY.txt. */
  addUnlistedTagFile(relPath: string, data: Buffer): Promise<void> {
    return this.run(async () => {
      await this.writeTag(relPath, data, false);
    });
  }

  private async writeTag(relPath: string, data: Buffer, listed = true): Promise<void> {
    checkWritablePath(relPath);
    if (relPath === 'data' || relPath.startsWith('data/')) {
      throw new TypeError(`bagit: tag files live outside data/, not ${relPath}`);
    }
    if (isReservedTagName(relPath)) {
      throw new TypeError(`bagit: ${relPath} is written by BagWriter itself`);
    }
    await this.sink.writeFile(relPath, data);
    if (listed) this.tagFiles.set(relPath, sha256(data));
  }

  /**
   * Writes bagit.txt, bag-info.txt (with Payload-Oxum), both payload manifests and
   * tagmanifest-sha256.txt over all of them and every addTagFile. Does not commit.
   */
  /** Stops the hash worker, if one was started. Call when the bag is finished or abandoned. */
  async dispose(): Promise<void> {
    const workers = [this.sha256Worker, this.hashWorker];
    this.hashWorker = this.sha256Worker = null;
    for (const w of workers) await w?.close();
  }

  finish(): Promise<{ tagManifest: Buffer; tagManifestSha256: string; payloadOxum: string }> {
    return this.run(async () => {
      this.checkNotFinished();
      this.finished = true;
      let bytes = 0;
      for (const d of this.payload.values()) bytes += d.size;
      const payloadOxum = `${bytes}.${this.payload.size}`;
      const files: [string, Buffer][] = [
        [BAGIT_TXT, formatBagitTxt()],
        [
          BAG_INFO_TXT,
          formatBagInfo([
            ...this.bagInfo,
            ['Bagging-Date', this.baggingDate],
            ['Payload-Oxum', payloadOxum],
          ]),
        ],
        ['manifest-sha256.txt', formatManifest([...this.payload].map(([p, d]) => [p, d.sha256]))],
        ['manifest-sha512.txt', formatManifest([...this.payload].map(([p, d]) => [p, d.sha512]))],
      ];
      const listed = new Map(this.tagFiles);
      for (const [path, data] of files) {
        await this.sink.writeFile(path, data);
        listed.set(path, sha256(data));
      }
      const tagManifest = formatManifest(listed);
      await this.sink.writeFile('tagmanifest-sha256.txt', tagManifest);
      return { tagManifest, tagManifestSha256: sha256(tagManifest), payloadOxum };
    });
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
