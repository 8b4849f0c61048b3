import { describe, expect, it } from 'vitest';
import { kindOfMime } from '../../../shared/item-kind';

describe('kindOfMime', () => {
  it.each([
    ['image/png', 'image'],
    ['IMAGE/JPEG; charset=x', 'image'],
    ['video/mp4', 'video'],
    ['audio/mpeg', 'audio'],
    ['application/pdf', 'document'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'document'],
    ['application/vnd.oasis.opendocument.text', 'document'],
    ['message/rfc822', 'email'],
    ['text/plain', 'text'],
    ['text/html', 'text'],
    ['application/octet-stream', 'other'],
    ['application/x-empty', 'other'],
    ['', 'other'],
  ])('%s is %s', (mime, kind) => {
    expect(kindOfMime(mime)).toBe(kind);
  });
});
