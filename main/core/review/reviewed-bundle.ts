/**
 * What the review layer needs to know of a bundle opened for review: who it is (the
 * reference a review carries) and what it holds, in the bundle's order. The bundle reader
 * makes it from the bundle's own files; the review file, the PDF summary and the app read it.
 */
import type { ReviewBundleRef } from '../../../shared/review';

export interface ReviewedExhibit {
  /** Its label in the bundle ("JD3", "JD3.1", "JD/3"). */
  label: string;
  itemId: string;
  sha256: string;
  /** The name it has in the client's vault (items.json `name`, else `originalName`). */
  name: string;
  mime: string;
}

export interface ReviewedIncident {
  incidentId: string;
  /** When it happened, as incidents.csv gives it (ISO 8601), or "" when not given. */
  occurredAt: string;
  whatHappened: string;
}

export interface ReviewedMessage {
  messageId: string;
  /** The conversation exhibit's label, and the message's place in it (from 0). */
  exhibit: string;
  index: number;
  sender: string;
  time: string | null;
  text: string;
}

export interface ReviewedBundle {
  ref: ReviewBundleRef;
  /** bag-info.txt's Contact-Name, or null when it says "Not given". */
  exporter: string | null;
  exhibits: ReviewedExhibit[];
  incidents: ReviewedIncident[];
  messages: ReviewedMessage[];
}
