import { connection } from '../api/transport';

/** An item's preview, decrypted on request and loaded only when scrolled into view. */
export function ThumbnailImage({ itemId }: { itemId: string }) {
  return (
    <img
      src={connection.evidenceUrl(itemId, 'thumbnail')}
      alt=""
      loading="lazy"
      decoding="async"
      draggable={false}
    />
  );
}
