// The certificate of exhibits, prepared for signature. The report's keeps its short statement
// of truth; the court bundle's uses the civil wording of England and Wales (CPR PD 22),
// with the sentence on contempt of court, and says where the criminal form differs.
import { instantText, plural } from '../../report/text';
import type { CaseFacts } from '../facts';
import { BODY, CONTENT_W, INK, MARGIN, PAGE, SMALL, SOFT, type PdfWriter } from '../writer';

/** The sentence the civil statement of truth must include (CPR 32.14, PD 22 para 2.1). */
export const CONTEMPT_SENTENCE =
  'I understand that proceedings for contempt of court may be brought against anyone who makes, ' +
  'or causes to be made, a false statement in a document verified by a statement of truth ' +
  'without an honest belief in its truth.';

export interface CertificateWords {
  /** Where the exhibits are listed, e.g. "section 3 of this report". */
  listedIn: string;
  /** Where each exhibit's hash is printed, e.g. "exhibit block". */
  block: string;
  /** 'short': the report's one line; 'civil': CPR wording with contempt and the s.9 note. */
  statement: 'short' | 'civil';
}

export function certificate(w: PdfWriter, f: CaseFacts, words: CertificateWords): void {
  const m = f.model;
  w.para(
    'This page is prepared for signature. It follows the pattern of a certificate for electronic ' +
      'records (in the spirit of US Federal Rule of Evidence 902(14)) and of a UK exhibit ' +
      'statement. The wording a court or police force requires may differ; it can be adapted before signing.',
    { size: SMALL + 0.5, color: SOFT },
  );
  w.gap(12);
  const n = m.exhibits.length;
  const first = m.exhibits[0]?.number;
  const last = m.exhibits[n - 1]?.number;
  const range =
    n === 0
      ? 'no exhibits'
      : n === 1
        ? `exhibit ${first}`
        : `exhibits ${first} to ${last} (${plural(n, 'exhibit')})`;
  const who = m.exporter.trim()
    ? w.t(m.exporter, { max: 120 })
    : '____________________________________';
  w.para(`I, ${who}, state that:`);
  w.gap(8);
  const items = [
    `I produced ${w.t(range, { max: 200 })}, listed in ${words.listedIn}, from the Dossier evidence vault for the case “${w.t(m.caseName, { max: 200 })}”, in an export made on ${instantText(m.exportedAt, m.exportedOffsetMinutes, w.supports)}.`,
    `Each exhibit is identified by its SHA-256 hash, printed in its ${words.block} and listed in ` +
      `data/metadata/items.json, whose own SHA-256 is ${w.t(m.evidenceIndexSha256, { max: 80 })}.`,
    'Each file in the bundle gives the SHA-256 that Dossier recorded when it was imported; it was checked when the bundle was made.',
    `The bundle is signed with the key whose fingerprint is ${w.t(m.signingKeyFingerprint, { max: 100 })}.`,
  ];
  items.forEach((text, i) => {
    const y = w.y;
    w.use('R', BODY + 0.5);
    w.doc.text(`${i + 1}.`, MARGIN.left, y, { lineBreak: false });
    w.doc.text(text, MARGIN.left + 18, y, { width: CONTENT_W - 18, lineGap: 2 });
    w.gap(6);
  });
  w.gap(8);
  w.heading('Statement of truth', 11, 4);
  if (words.statement === 'short') {
    w.para('I believe that the facts stated in this certificate are true.', { size: BODY + 0.5 });
  } else {
    w.para(`I believe that the facts stated in this certificate are true. ${CONTEMPT_SENTENCE}`, {
      size: BODY + 0.5,
    });
    w.gap(6);
    w.para(
      'This is the form for civil proceedings in England and Wales (Civil Procedure Rules, ' +
        'Practice Direction 22). In criminal proceedings a witness statement under section 9 of the ' +
        'Criminal Justice Act 1967 says instead that it is true to the best of the maker’s knowledge ' +
        'and belief, made knowing that they are liable to prosecution if they wilfully state in it ' +
        'anything they know to be false or do not believe to be true, and gives its number of pages.',
      { size: SMALL + 0.5, color: SOFT },
    );
  }
  w.gap(28);
  const line = (label: string): void => {
    w.keep(34);
    const y = w.y;
    w.use('R', BODY);
    w.doc.text(label, MARGIN.left, y, { lineBreak: false });
    w.doc
      .moveTo(MARGIN.left + 120, y + 10)
      .lineTo(PAGE.width - MARGIN.right, y + 10)
      .lineWidth(0.6)
      .strokeColor(INK)
      .stroke();
    w.y = y + 32;
  };
  line('Signature');
  line('Full name');
  line('Role');
  line('Date');
  line('Place');
}
