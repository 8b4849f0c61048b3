// Kept apart from the evidence module, which loads sharp: ingest needs this on every import.
import type { EvidenceFacts } from './index';

/** What an item records of the facts found at import (`items.metadata`). */
export function itemMetadata(facts: EvidenceFacts): Record<string, unknown> {
  return {
    image: facts.image,
    exif: facts.exif,
    email: facts.email,
    ...(facts.xmpLocation ? { xmpLocation: facts.xmpLocation } : {}),
  };
}
