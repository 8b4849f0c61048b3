// The words WhatsApp writes into an export, per language (docs/conversations.md, "WhatsApp").
// Everything here is compared after `normalisePhrase`: lower case, bidi marks removed, spaces
// collapsed, quotes and apostrophes unified to ", and a final full stop dropped. A line that
// matches nothing here is never guessed at: the reader keeps it and reports it.

export interface WhatsAppLocale {
  /** BCP 47 language, for the docs table and tests. */
  language: string;
  /** The label in iOS's `<attached: NAME>` marker. */
  attachedLabel: string[];
  /** Android's `NAME (file attached)`, without the brackets. */
  fileAttached: string[];
  /** Android's marker for media left out of the export. */
  mediaOmitted: string[];
  /** iOS's markers for media left out of the export ("image omitted"). */
  iosOmitted: string[];
  /** The whole text of a deleted message. */
  deleted: string[];
  /** The marker after an edited message's text. */
  edited: string[];
  /** Call records; a text that is one of these, or starts with one and a comma, is a call. */
  calls: string[];
  /** The start of the encryption notice at the top of a chat. */
  encryptionNotices: string[];
  /** System lines: {name} is a participant (no ':'), {text} a quoted subject. */
  system: string[];
  /** The start of the chat text file's name in an Android export ("WhatsApp Chat with "). */
  chatFilePrefixes: string[];
}

export const WHATSAPP_LOCALES: WhatsAppLocale[] = [
  {
    language: 'en',
    attachedLabel: ['attached'],
    fileAttached: ['file attached'],
    mediaOmitted: [
      '<media omitted>',
      '<image omitted>',
      '<video omitted>',
      '<video message omitted>',
      '<video note omitted>',
    ],
    iosOmitted: [
      'image omitted',
      'video omitted',
      'audio omitted',
      'sticker omitted',
      'gif omitted',
      'document omitted',
      'contact card omitted',
      'voice message omitted',
      'video note omitted',
    ],
    deleted: ['this message was deleted', 'you deleted this message'],
    edited: ['<this message was edited>'],
    calls: [
      'missed voice call',
      'missed video call',
      'missed group voice call',
      'missed group video call',
      'voice call',
      'video call',
    ],
    encryptionNotices: [
      'messages and calls are end-to-end encrypted',
      'messages to this group are now secured with end-to-end encryption',
      'messages to this chat and calls are now secured with end-to-end encryption',
      'messages you send to this chat and calls are now secured with end-to-end encryption',
    ],
    system: [
      '{name} created group "{text}"',
      '{name} created this group',
      '{name} added {name}',
      '{name} removed {name}',
      '{name} left',
      "{name} joined using this group's invite link",
      '{name} changed the subject from "{text}" to "{text}"',
      '{name} changed the subject to "{text}"',
      '{name} changed the group name from "{text}" to "{text}"',
      "{name} changed this group's icon",
      "{name} deleted this group's icon",
      '{name} changed the group description',
      '{name} deleted the group description',
      '{name} changed to {name}',
      '{name} changed their phone number to a new number. tap to message or add the new number',
      'your security code with {name} changed. tap to learn more',
      "you're now an admin",
      'you blocked this contact. tap to unblock',
      'you unblocked this contact',
      '{name} turned on disappearing messages.{text}',
      '{name} turned off disappearing messages',
    ],
    chatFilePrefixes: ['whatsapp chat with ', 'whatsapp chat - '],
  },
  {
    language: 'de',
    attachedLabel: ['anhang'],
    fileAttached: ['datei angehängt'],
    mediaOmitted: ['<medien ausgeschlossen>', '<medien weggelassen>'],
    iosOmitted: [
      'bild weggelassen',
      'video weggelassen',
      'audio weggelassen',
      'sticker weggelassen',
      'gif weggelassen',
      'dokument weggelassen',
      'kontaktkarte ausgelassen',
    ],
    deleted: ['diese nachricht wurde gelöscht', 'du hast diese nachricht gelöscht'],
    edited: ['<diese nachricht wurde bearbeitet>'],
    calls: ['verpasster sprachanruf', 'verpasster videoanruf', 'sprachanruf', 'videoanruf'],
    encryptionNotices: ['nachrichten und anrufe sind ende-zu-ende-verschlüsselt'],
    system: [
      '{name} hat die gruppe "{text}" erstellt',
      'du hast die gruppe "{text}" erstellt',
      '{name} hat {name} hinzugefügt',
      'du hast {name} hinzugefügt',
      '{name} hat {name} entfernt',
      'du hast {name} entfernt',
      '{name} hat die gruppe verlassen',
      'du hast die gruppe verlassen',
      '{name} ist über den einladungslink dieser gruppe beigetreten',
      '{name} hat den betreff von "{text}" zu "{text}" geändert',
      '{name} hat den betreff zu "{text}" geändert',
      '{name} hat das gruppenbild geändert',
      '{name} hat das gruppenbild gelöscht',
      '{name} hat die gruppenbeschreibung geändert',
      'dein sicherheitscode für {name} hat sich geändert. tippe, um mehr zu erfahren',
      'du bist jetzt admin',
    ],
    chatFilePrefixes: ['whatsapp-chat mit ', 'whatsapp chat mit '],
  },
  {
    language: 'fr',
    attachedLabel: ['pièce jointe'],
    fileAttached: ['fichier joint'],
    mediaOmitted: ['<médias omis>', '<fichier omis>'],
    iosOmitted: [
      'image absente',
      'vidéo absente',
      'audio omis',
      'autocollant omis',
      'sticker omis',
      'document omis',
      'gif retiré',
    ],
    deleted: ['ce message a été supprimé', 'vous avez supprimé ce message'],
    edited: ['<ce message a été modifié>'],
    calls: ['appel vocal manqué', 'appel vidéo manqué', 'appel vocal', 'appel vidéo'],
    encryptionNotices: ['les messages et les appels sont chiffrés de bout en bout'],
    system: [
      '{name} a créé le groupe "{text}"',
      'vous avez créé le groupe "{text}"',
      '{name} a ajouté {name}',
      'vous avez ajouté {name}',
      '{name} a retiré {name}',
      '{name} est parti',
      '{name} est partie',
      '{name} est parti(e)',
      'vous êtes parti',
      "{name} a rejoint ce groupe via le lien d'invitation",
      '{name} a modifié le sujet de "{text}" à "{text}"',
      '{name} a changé le sujet de "{text}" à "{text}"',
      "{name} a changé l'icône de ce groupe",
      "{name} a supprimé l'icône de ce groupe",
      '{name} a modifié la description du groupe',
    ],
    chatFilePrefixes: ['discussion whatsapp avec '],
  },
  {
    language: 'es',
    attachedLabel: ['adjunto'],
    fileAttached: ['archivo adjunto'],
    mediaOmitted: ['<multimedia omitido>', '<archivo omitido>'],
    iosOmitted: [
      'imagen omitida',
      'video omitido',
      'audio omitido',
      'sticker omitido',
      'gif omitido',
      'documento omitido',
    ],
    deleted: ['se eliminó este mensaje', 'eliminaste este mensaje', 'este mensaje fue eliminado'],
    edited: ['<se editó este mensaje.>', '<se editó este mensaje>'],
    calls: [
      'llamada perdida',
      'llamada de voz perdida',
      'videollamada perdida',
      'llamada de voz',
      'videollamada',
    ],
    encryptionNotices: ['los mensajes y las llamadas están cifrados de extremo a extremo'],
    system: [
      '{name} creó el grupo "{text}"',
      'creaste el grupo "{text}"',
      '{name} añadió a {name}',
      'añadiste a {name}',
      '{name} eliminó a {name}',
      '{name} salió del grupo',
      'saliste del grupo',
      '{name} se unió usando el enlace de invitación de este grupo',
      '{name} cambió el asunto de "{text}" a "{text}"',
      '{name} cambió el asunto a "{text}"',
      '{name} cambió el ícono de este grupo',
      '{name} cambió el icono de este grupo',
      '{name} eliminó el ícono de este grupo',
      '{name} cambió la descripción del grupo',
    ],
    chatFilePrefixes: ['chat de whatsapp con '],
  },
  {
    language: 'it',
    attachedLabel: ['allegato'],
    fileAttached: ['file allegato'],
    mediaOmitted: ['<media omessi>', '<media omesso>'],
    iosOmitted: [
      'immagine omessa',
      'video omesso',
      'audio omesso',
      'sticker omesso',
      'gif omessa',
      'documento omesso',
    ],
    deleted: ['questo messaggio è stato eliminato', 'hai eliminato questo messaggio'],
    edited: ['<questo messaggio è stato modificato>'],
    calls: ['chiamata vocale persa', 'videochiamata persa', 'chiamata vocale', 'videochiamata'],
    encryptionNotices: ['i messaggi e le chiamate sono crittografati end-to-end'],
    system: [
      '{name} ha creato il gruppo "{text}"',
      'hai creato il gruppo "{text}"',
      '{name} ha aggiunto {name}',
      'hai aggiunto {name}',
      '{name} ha rimosso {name}',
      '{name} è uscito',
      '{name} è uscita',
      'sei uscito',
      "{name} si è unito tramite il link d'invito a questo gruppo",
      '{name} ha cambiato l\'oggetto da "{text}" a "{text}"',
      "{name} ha cambiato l'immagine di questo gruppo",
      "{name} ha eliminato l'immagine di questo gruppo",
      '{name} ha cambiato la descrizione del gruppo',
    ],
    chatFilePrefixes: ['chat whatsapp con '],
  },
  {
    language: 'pt',
    attachedLabel: ['anexado', 'anexo'],
    fileAttached: ['arquivo anexado', 'ficheiro anexado'],
    mediaOmitted: [
      '<mídia oculta>',
      '<mídia omitida>',
      '<arquivo de mídia oculto>',
      '<multimédia omitido>',
      '<ficheiro não revelado>',
    ],
    iosOmitted: [
      'imagem ocultada',
      'vídeo ocultado',
      'áudio ocultado',
      'figurinha omitida',
      'gif omitido',
      'documento omitido',
    ],
    deleted: ['esta mensagem foi apagada', 'você apagou esta mensagem', 'apagou esta mensagem'],
    edited: ['<esta mensagem foi editada>'],
    calls: [
      'chamada de voz perdida',
      'chamada de vídeo perdida',
      'chamada de voz',
      'chamada de vídeo',
    ],
    encryptionNotices: [
      'as mensagens e as chamadas são protegidas com a criptografia de ponta a ponta',
      'as mensagens e chamadas são protegidas com a criptografia de ponta a ponta',
    ],
    system: [
      '{name} criou o grupo "{text}"',
      '{name} adicionou {name}',
      '{name} removeu {name}',
      '{name} saiu',
      '{name} entrou usando o link de convite deste grupo',
      '{name} mudou o assunto de "{text}" para "{text}"',
      '{name} mudou o nome de "{text}" para "{text}"',
      '{name} mudou a imagem deste grupo',
      '{name} apagou a imagem deste grupo',
      '{name} mudou a descrição do grupo',
    ],
    chatFilePrefixes: ['conversa do whatsapp com ', 'conversa no whatsapp com '],
  },
  {
    language: 'nl',
    attachedLabel: ['bijgevoegd', 'bijlage'],
    fileAttached: ['bestand bijgevoegd'],
    mediaOmitted: ['<media weggelaten>'],
    iosOmitted: [
      'afbeelding weggelaten',
      'video weggelaten',
      'audio weggelaten',
      'sticker weggelaten',
      'gif weggelaten',
      'document weggelaten',
    ],
    deleted: [
      'dit bericht is verwijderd',
      'je hebt dit bericht verwijderd',
      'u heeft dit bericht verwijderd',
    ],
    edited: ['<dit bericht is bewerkt>'],
    calls: ['gemiste spraakoproep', 'gemiste video-oproep', 'spraakoproep', 'video-oproep'],
    encryptionNotices: ['berichten en oproepen worden end-to-end versleuteld'],
    system: [
      '{name} heeft groep "{text}" aangemaakt',
      'je hebt groep "{text}" aangemaakt',
      '{name} heeft {name} toegevoegd',
      'je hebt {name} toegevoegd',
      '{name} heeft {name} verwijderd',
      '{name} heeft de groep verlaten',
      'je hebt de groep verlaten',
      '{name} is vertrokken',
      '{name} neemt deel via de uitnodigingslink van deze groep',
      '{name} heeft het onderwerp gewijzigd van "{text}" naar "{text}"',
      '{name} heeft de groepsnaam gewijzigd van "{text}" naar "{text}"',
      '{name} heeft de groepsafbeelding gewijzigd',
      '{name} heeft de groepsafbeelding verwijderd',
      '{name} heeft de groepsbeschrijving gewijzigd',
    ],
    chatFilePrefixes: ['whatsapp-chat met ', 'whatsapp chat met '],
  },
];

const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Bidi marks (U+200E, U+200F, embeddings, isolates) removed: they are invisible formatting. */
export function withoutBidiMarks(s: string): string {
  return s.replace(BIDI_MARKS, '');
}

// ASCII without quotes, bidi marks, or leading, trailing or double spaces.
const PLAIN =
  /^(?:[A-Za-z0-9,.!?;:()<>@#%&*+=_/-](?:[A-Za-z0-9,.!?;:()<>@#%&*+=_/-]| (?=[^ ]))*)?$/;

/** The form every phrase is compared in (see the top of this file). */
export function normalisePhrase(s: string): string {
  // Most texts are plain ASCII with single spaces: the same result without six passes.
  if (PLAIN.test(s)) {
    const lower = s.toLowerCase();
    return lower.endsWith('.') ? lower.slice(0, -1) : lower;
  }
  return (
    withoutBidiMarks(s)
      .normalize('NFC')
      .toLowerCase()
      .replace(/[\s\u00a0\u202f]+/g, ' ')
      // Every quote and apostrophe is one character: languages and platforms differ.
      .replace(/«\s?|\s?»|[“”„‟″‘’‚‛′`'"]/g, '"')
      .trim()
      .replace(/\.$/, '')
  );
}

/**
 * A system template, matched left to right: each placeholder ends at the first place its
 * following literal occurs. indexOf only, so matching is linear in the line's length whatever
 * the line holds (a regex with two lazy groups is not). A subject that itself contains the
 * following literal does not match: the line is then reported, never misread.
 */
export class SystemTemplate {
  private readonly parts: string[];
  constructor(readonly template: string) {
    this.parts = template.split(/(\{name\}|\{text\})/);
  }

  matches(norm: string): boolean {
    let pos = 0;
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (p === '{name}' || p === '{text}') {
        const next = parts[i + 1] ?? '';
        const from = p === '{name}' ? pos + 1 : pos;
        const end = next === '' ? norm.length : norm.indexOf(next, from);
        if (end < 0) return false;
        const value = norm.slice(pos, end);
        if (p === '{name}' && (value.length === 0 || value.length > 200 || value.includes(':'))) {
          return false;
        }
        if (p === '{text}' && value.length > 1000) return false;
        pos = end;
      } else {
        if (!norm.startsWith(p, pos)) return false;
        pos += p.length;
      }
    }
    return pos === norm.length;
  }
}

/** The tables compiled once: sets for exact phrases, regexes for templates. */
export interface CompiledLocales {
  attachedLabels: string[];
  fileAttached: string[];
  mediaOmitted: Set<string>;
  iosOmitted: Set<string>;
  deleted: Set<string>;
  edited: string[];
  calls: string[];
  encryptionNotices: string[];
  system: SystemTemplate[];
  chatFilePrefixes: string[];
}

function compile(): CompiledLocales {
  const all = <K extends keyof WhatsAppLocale>(k: K): string[] =>
    WHATSAPP_LOCALES.flatMap((l) => l[k] as string[]).map(normalisePhrase);
  return {
    attachedLabels: all('attachedLabel'),
    fileAttached: all('fileAttached'),
    mediaOmitted: new Set(all('mediaOmitted')),
    iosOmitted: new Set(all('iosOmitted')),
    deleted: new Set(all('deleted')),
    edited: all('edited'),
    // Longest first, so "missed voice call" is tried before "voice call".
    calls: all('calls').sort((a, b) => b.length - a.length),
    encryptionNotices: all('encryptionNotices'),
    system: all('system').map((t) => new SystemTemplate(t)),
    chatFilePrefixes: all('chatFilePrefixes'),
  };
}

export const LOCALES: CompiledLocales = compile();

/** Whether a normalised text is a call record ("missed voice call", "voice call, 12 min"). */
export function isCallPhrase(norm: string): boolean {
  return LOCALES.calls.some((c) => norm === c || norm.startsWith(`${c},`));
}

/** Longer than any event line can be (names ≤ 200, subjects ≤ 1000 characters). */
export const MAX_SYSTEM_CHARS = 2600;

/** Whether a normalised line (without sender) is a system phrase WhatsApp writes. */
export function isSystemPhrase(norm: string): boolean {
  if (LOCALES.encryptionNotices.some((n) => norm.startsWith(n))) return true;
  // Two names and two subjects at most: a longer line is no event, and is not searched.
  if (norm.length > MAX_SYSTEM_CHARS) return false;
  return LOCALES.system.some((t) => t.matches(norm));
}
