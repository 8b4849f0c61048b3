/**
 * The ways a person is known: the one list every side uses (the contract, the vault, the
 * export's people.csv, the app's person form), and how each is compared. A chat sender is
 * matched to a person through these: a message's sender_key is `<kind>:<normal form>` of its
 * sender, equal to a person identifier's kind and value (docs/conversations.md, "Senders").
 */
export const IDENTIFIER_KINDS = [
  'email',
  'handle',
  'phone',
  'whatsapp',
  'telegram',
  'instagram',
  'facebook',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Words for each kind, for forms and lists. */
export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = {
  email: 'Email address',
  handle: 'Handle or username',
  phone: 'Phone number',
  whatsapp: 'WhatsApp name or number',
  telegram: 'Telegram user id',
  instagram: 'Instagram name',
  facebook: 'Facebook name',
};

// Marks that change nothing a person sees: WhatsApp wraps numbers in U+202A…U+202C and
// puts U+200E before names; a zero-width space or BOM can come with a copy and paste.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** A display name compared as a person reads it: case, spacing and invisible marks ignored. */
function nameForm(v: string): string {
  return v.replace(INVISIBLE, '').normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** Digits and + only: "+44 (0)7700-900 123" is "+4407700900123". */
function phoneForm(v: string): string {
  return v.replace(/[^\d+]/g, '');
}

/** A phone number as WhatsApp shows one: digits with spaces, dashes, brackets, a leading +. */
const PHONE_SHAPE = /^\+?[\d\s\-().]{6,}$/;

/**
 * The form an identifier is stored and compared in:
 * - email: lower case; handle: lower case without a leading @;
 * - phone: digits and a leading + only;
 * - whatsapp: a number as a phone, else the name as shown (case, spacing and invisible marks
 *   ignored);
 * - telegram: the export's from_id in lower case ("user123456789"); bare digits are a user id;
 * - instagram, facebook: the sender name as shown (as whatsapp names).
 */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'phone':
      return phoneForm(v);
    case 'handle':
      return v.replace(/^@/, '').toLowerCase();
    case 'email':
      return v.toLowerCase();
    case 'whatsapp': {
      const bare = v.replace(INVISIBLE, '').trim();
      return PHONE_SHAPE.test(bare) ? phoneForm(bare) : nameForm(v);
    }
    case 'telegram': {
      const bare = v.replace(INVISIBLE, '').trim().toLowerCase();
      return /^\d+$/.test(bare) ? `user${bare}` : bare;
    }
    case 'instagram':
    case 'facebook':
      return nameForm(v);
  }
}

/** The identifier kind a conversation format's senders are (mbox senders are email addresses). */
export function senderKind(
  format: 'mbox' | 'whatsapp' | 'telegram' | 'instagram' | 'facebook',
): IdentifierKind {
  return format === 'mbox' ? 'email' : format;
}

/** messages.sender_key for a sender id of a format: `<kind>:<normal form>`; null without one. */
export function senderKey(
  format: 'mbox' | 'whatsapp' | 'telegram' | 'instagram' | 'facebook',
  senderId: string | null,
): string | null {
  if (senderId === null) return null;
  const kind = senderKind(format);
  const value = normaliseIdentifier(kind, senderId);
  return value === '' ? null : `${kind}:${value}`;
}
