import { describe, expect, it } from 'vitest';
import { IDENTIFIER_KINDS, normaliseIdentifier, senderKey } from '../../../shared/identifiers';

describe('person identifiers: one list, one normal form per kind', () => {
  it('lists the chat platforms beside email, handle and phone', () => {
    expect(IDENTIFIER_KINDS).toEqual([
      'email',
      'handle',
      'phone',
      'whatsapp',
      'telegram',
      'instagram',
      'facebook',
    ]);
  });

  it('keeps the forms vaults already store for email, handle and phone', () => {
    expect(normaliseIdentifier('email', ' J.Smith@Example.COM ')).toBe('j.smith@example.com');
    expect(normaliseIdentifier('handle', '@JSmith')).toBe('jsmith');
    expect(normaliseIdentifier('phone', '+44 (0)7700-900 123')).toBe('+4407700900123');
  });

  it('reads a WhatsApp number as WhatsApp shows it (wrapped in direction marks) as its digits', () => {
    expect(normaliseIdentifier('whatsapp', '\u202a+44 7700 900123\u202c')).toBe('+447700900123');
    expect(normaliseIdentifier('whatsapp', '+447700900123')).toBe('+447700900123');
  });

  it('compares a WhatsApp, Instagram or Facebook name without case, extra spaces or invisible marks', () => {
    expect(normaliseIdentifier('whatsapp', '\u200eAlex  Jones ')).toBe('alex jones');
    expect(normaliseIdentifier('instagram', 'Ｊo')).toBe('ｊo');
    expect(normaliseIdentifier('facebook', 'Cafe\u0301 Owner')).toBe('café owner');
    // A name with digits is still a name, not a number.
    expect(normaliseIdentifier('whatsapp', 'Alex 2')).toBe('alex 2');
  });

  it('takes a Telegram id as the export writes it, or as bare digits', () => {
    expect(normaliseIdentifier('telegram', 'User123456789')).toBe('user123456789');
    expect(normaliseIdentifier('telegram', '123456789')).toBe('user123456789');
    expect(normaliseIdentifier('telegram', 'channel42')).toBe('channel42');
  });

  it('makes a message sender key of the format and the normal form (mbox senders are email)', () => {
    expect(senderKey('mbox', 'Someone@Example.org')).toBe('email:someone@example.org');
    expect(senderKey('whatsapp', '\u202a+44 7700 900123\u202c')).toBe('whatsapp:+447700900123');
    expect(senderKey('telegram', 'user1')).toBe('telegram:user1');
    expect(senderKey('instagram', null)).toBeNull();
    expect(senderKey('facebook', '\u200e ')).toBeNull();
  });
});
