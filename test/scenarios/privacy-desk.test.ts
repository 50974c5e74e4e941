/**
 * Erasure covers what the staff desk keeps (issue 12): after `delete` + `yes`, the voice note and photo the client sent
 * and staff's internal notes about them are unreadable in the SQLite files (database and WAL), and the audit list keeps
 * who did what without naming the client.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scenarioSuite, type Harness as H } from './suite';

const suite = scenarioSuite();

/** Every byte of the SQLite database and its WAL, as text. */
function databaseFiles(file: string): string {
  const dir = dirname(file);
  return readdirSync(dir).filter((n) => n.startsWith('puente.db')).map((n) => readFileSync(join(dir, n)).toString('latin1')).join('\n');
}

it('delete, confirmed: media, notes and the audit detail are gone from the database files', async () => {
  const h: H = await suite.harness();
  const chat = '15557651234@c.us';
  const voice = Buffer.from('OggS VOICEMARKER-Zanzibarquill the recorded words', 'latin1');
  const photo = Buffer.from('JFIF PHOTOMARKER-Quetzalplume notice scan', 'latin1');
  await suite.say(h, chat, 'ICE took my brother this morning');
  await suite.say(h, chat, '', { type: 'voice', attachment: { mimeType: 'audio/ogg', data: voice } });
  await suite.say(h, chat, '', { type: 'image', attachment: { mimeType: 'image/jpeg', data: photo, filename: 'FILENAMEMARKER-notice.jpg' } });
  const mediaIds = (await h.store.transcript(chat)).filter((t) => t.media).map((t) => t.media!.id);
  expect(mediaIds).toHaveLength(2);
  await h.store.withChat(chat, async (tx) => {
    await tx.addNote({ author: 'Ana', text: 'NOTEMARKER-Wobblefritz detained at Elizabeth', at: h.clock.now().toISOString() });
    await tx.addAudit({ actor: 'Ana', action: 'note.add', detail: 'DETAILMARKER-Grumblewick', at: h.clock.now().toISOString() });
  });
  expect(databaseFiles(h.dbFile)).toContain('VOICEMARKER-Zanzibarquill');

  expect(await suite.say(h, chat, 'delete')).toContain('*delete*');
  expect(await suite.say(h, chat, 'yes')).toContain('were deleted');

  for (const id of mediaIds) expect(await h.store.media(id)).toBeUndefined();
  expect(await h.store.notesOf(chat)).toEqual([]);
  expect((await h.store.audit({ limit: 10 })).map((e) => [e.actor, e.action, e.chat, e.detail])).toEqual([['Ana', 'note.add', 'erased', undefined]]);
  const files = databaseFiles(h.dbFile);
  for (const marker of ['VOICEMARKER', 'PHOTOMARKER', 'FILENAMEMARKER', 'NOTEMARKER', 'DETAILMARKER', '15557651234', '7651234']) expect(files).not.toContain(marker);
});
