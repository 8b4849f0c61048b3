// A real bundle exported from a test vault, in its three forms (folder, .zip, .zip.age), for
// the tests of opening a bundle for review (issue 14). The vault holds a screenshot with a
// note, a tag and two region marks, two emails, a WhatsApp chat with two messages linked to an
// incident, a text file whose name holds a terminal escape, and a person; every exhibit is
// exported.
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeScreenshotPng } from '../fixtures/evidence';
import { buildChat, IOS_UK, zipOf } from './conversations/whatsapp';
import { newVault } from './vault';

export const BUNDLE_PASSPHRASE = 'review open bundle passphrase 42';
/** Words found only in the evidence: no file outside the bundle may hold them. */
export const PLAINTEXT_MARKER = 'Zebracorn-marker-41a7';
/** An exhibit's name with a terminal escape (clears the screen) in it. */
export const HOSTILE_NAME = 'note\u001b[2Jclear.txt';

export interface ReviewBundles {
  folder: string;
  zip: string;
  age: string;
  ids: {
    screenshot: string;
    hostile: string;
    email: string;
    chat: string;
    incident: string;
    person: string;
  };
  messageIds: string[];
}

export async function makeReviewBundles(root: string): Promise<ReviewBundles> {
  const { vault } = await newVault(join(root, 'vault'));
  try {
    const shot = join(root, 'reply.png');
    await writeFile(shot, await makeScreenshotPng(390, 844, 11));
    const email = join(root, 'email.txt');
    await writeFile(
      email,
      `From: anon@example.com\nSubject: you\n\nI know where your children go to school. ${PLAINTEXT_MARKER}\n`,
    );
    // A name with a terminal escape in it: human output must show it escaped.
    const hostile = join(root, HOSTILE_NAME);
    await writeFile(hostile, 'a plain note\n');
    const chat = buildChat(IOS_UK, [
      { at: [2024, 3, 14, 21, 10, 0], sender: 'Alex', text: 'hello' },
      { at: [2024, 3, 14, 21, 14, 5], sender: 'Alex', text: 'I know where you live' },
      { at: [2024, 3, 15, 8, 2, 0], sender: 'Alex', text: 'See you at the school gate' },
    ]);
    const chatZip = join(root, 'WhatsApp Chat - Alex.zip');
    await writeFile(chatZip, await zipOf([{ name: '_chat.txt', data: chat.bytes }]));
    // Exhibits are numbered by time: the screenshot, then the email, then the chat.
    await utimes(shot, new Date('2024-03-10T00:00:00Z'), new Date('2024-03-10T00:00:00Z'));
    await utimes(hostile, new Date('2024-03-11T00:00:00Z'), new Date('2024-03-11T00:00:00Z'));
    await utimes(email, new Date('2024-03-12T00:00:00Z'), new Date('2024-03-12T00:00:00Z'));
    await utimes(chatZip, new Date('2024-03-17T00:00:00Z'), new Date('2024-03-17T00:00:00Z'));
    const added = await vault.add([shot, hostile, email, chatZip], { timeZone: 'Europe/London' });
    const [screenshot, hostileId, mail, chatId] = added.results.map((r) => {
      if (r.status !== 'added') throw new Error(`not added: ${JSON.stringify(r)}`);
      return r.id;
    }) as [string, string, string, string];
    vault.addNote(screenshot, 'reply to my constituency post');
    vault.setTags(screenshot, ['threats']);
    vault.addRegion(screenshot, { x: 0.1, y: 0.25, w: 0.5, h: 0.125 }, 'This line is the threat');
    vault.addRegion(screenshot, { x: 0, y: 0.75, w: 1, h: 0.25 }, 'His account name');
    const person = vault.createPerson({
      name: 'Anonymous sender',
      role: 'harasser',
      identifiers: [{ kind: 'email', value: 'anon@example.com' }],
    });
    const incident = vault.createIncident(
      { occurredAt: '2024-03-14T21:14:05Z', place: 'Email', summary: 'Threat about my children' },
      { itemIds: [screenshot, mail], personIds: [person.id] },
    );
    const messages = vault.conversationMessages(chatId, 0, 10);
    vault.setMessageIncident(incident.id, [messages[1]!.id, messages[2]!.id], 'link');
    const common = {
      selection: { all: true },
      exhibitPrefix: 'JD',
      caseName: 'R v Unknown',
      exporter: 'Jane Doe MP',
    } as const;
    const folder = (await vault.export({ ...common, out: join(root, 'folder'), format: 'dir' }))
      .path;
    const zip = (await vault.export({ ...common, out: join(root, 'bundle.zip'), format: 'zip' }))
      .path;
    const age = (
      await vault.export({
        ...common,
        out: join(root, 'bundle.zip.age'),
        format: 'zip',
        encryptPassphrase: BUNDLE_PASSPHRASE,
      })
    ).path;
    return {
      folder,
      zip,
      age,
      ids: {
        screenshot,
        hostile: hostileId,
        email: mail,
        chat: chatId,
        incident: incident.id,
        person: person.id,
      },
      messageIds: [messages[1]!.id, messages[2]!.id],
    };
  } finally {
    await vault.lock();
  }
}
