/**
 * The staff desk's storage operations, one suite run against every backend (SQLite file, PostgreSQL schema): accounts,
 * sessions, sign-in failures, audit, notes, media (kept out of the inbox payload and linked to the transcript line),
 * clients and search, settings, answers marked wrong, erasure and the retention purge of all of it.
 */
import { initialState } from '../../src/dialogue/engine';
import type { InboundMessage } from '../../src/dialogue/types';
import { ERASURE_SCOPE } from '../../src/privacy/erasure';
import { retentionPlan } from '../../src/privacy/retention';
import type { Store } from '../../src/store';
import { TurnApplier } from '../../src/turn/apply';
import { storeBackends } from '../support/backends';

const at = new Date('2026-11-30T15:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const applier = new TurnApplier();
const voice = Buffer.from('OggS fake opus bytes \u0000\u0001\u0002', 'latin1');
const message = (id: string, chat: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ id, chat, text, type: 'text', receivedAt: at, ...extra });

/** Writes one client turn through the applier (as the turn runner does). */
async function turn(store: Store, m: InboundMessage, intent: string | null, confidence: number | null, when = at, lang: 'en' | 'es' = 'en') {
  await store.withChat(m.chat, (tx) => applier.apply(tx, {
    message: m, state: initialState(lang), analysis: { intent, confidence, lang }, replies: ['ok'], effects: [], at: when,
  }));
}

const backends = storeBackends();

describe.each(backends)('%s desk store', (_name, make) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await make());
  });
  afterEach(() => dispose());

  it('staff accounts: unique names (any case), removal keeps the name free again and ends sessions', async () => {
    const ana = await store.addStaff({ name: 'Ana', role: 'admin', passwordHash: 'h1', at: at.toISOString() });
    expect(ana).toEqual({ id: ana!.id, name: 'Ana', role: 'admin', createdAt: at.toISOString() });
    expect(await store.addStaff({ name: 'ana', role: 'staff', passwordHash: 'h2', at: at.toISOString() })).toBeUndefined();
    const luis = await store.addStaff({ name: 'Luis', role: 'staff', passwordHash: 'h3', at: at.toISOString() });
    expect((await store.staffAccounts()).map((a) => [a.name, a.role])).toEqual([['Ana', 'admin'], ['Luis', 'staff']]);
    expect(await store.staffByName('LUIS')).toMatchObject({ name: 'Luis', passwordHash: 'h3' });

    await store.createSession({ tokenHash: 't-luis', staffId: luis!.id, csrf: 'c1', at: at.toISOString(), expiresAt: later(12 * HOUR).toISOString() });
    await store.createSession({ tokenHash: 't-ana', staffId: ana!.id, csrf: 'c2', at: at.toISOString(), expiresAt: later(12 * HOUR).toISOString() });
    expect(await store.session('t-luis', later(HOUR))).toEqual({ staff: { id: luis!.id, name: 'Luis', role: 'staff', createdAt: at.toISOString() }, csrf: 'c1', expiresAt: later(12 * HOUR).toISOString() });
    expect(await store.session('t-luis', later(13 * HOUR))).toBeUndefined(); // expired
    expect(await store.session('nope', later(HOUR))).toBeUndefined();

    expect(await store.removeStaff(luis!.id, later(HOUR).toISOString())).toBe(true);
    expect(await store.removeStaff(luis!.id, later(HOUR).toISOString())).toBe(false);
    expect(await store.session('t-luis', later(HOUR))).toBeUndefined();
    expect(await store.staffByName('Luis')).toBeUndefined();
    expect((await store.staffAccounts()).map((a) => a.name)).toEqual(['Ana']);
    expect(await store.addStaff({ name: 'Luis', role: 'staff', passwordHash: 'h4', at: at.toISOString() })).toMatchObject({ name: 'Luis' });

    await store.setStaffPassword(ana!.id, 'h5', later(HOUR).toISOString());
    expect(await store.session('t-ana', later(HOUR))).toBeUndefined(); // a new password ends every session
    expect((await store.staffByName('ana'))?.passwordHash).toBe('h5');
    await store.createSession({ tokenHash: 't-ana2', staffId: ana!.id, csrf: 'c3', at: at.toISOString(), expiresAt: later(12 * HOUR).toISOString() });
    await store.endSession('t-ana2');
    expect(await store.session('t-ana2', later(HOUR))).toBeUndefined();
  });

  it('sign-in failures: counted per key since a time, forgotten only once they no longer count, cleared per key', async () => {
    for (let i = 0; i < 3; i++) await store.recordSignInFailure(['ip:1.2.3.4', 'account:ana'], later(i * 60_000), later(-15 * 60_000));
    await store.recordSignInFailure(['ip:5.6.7.8'], later(3 * 60_000), later(-15 * 60_000));
    expect((await store.signInFailures(['ip:1.2.3.4', 'account:ana'], at)).map((f) => f.key).sort()).toEqual(['account:ana', 'account:ana', 'account:ana', 'ip:1.2.3.4', 'ip:1.2.3.4', 'ip:1.2.3.4']);
    expect((await store.signInFailures(['ip:1.2.3.4'], later(60_000))).map((f) => f.at)).toEqual([later(60_000).toISOString(), later(120_000).toISOString()]);
    // A failure 20 minutes later forgets those older than its window (15 minutes), not the recent ones.
    await store.recordSignInFailure(['ip:9.9.9.9'], later(20 * 60_000), later(5 * 60_000));
    expect(await store.signInFailures(['ip:1.2.3.4'], later(-DAY))).toEqual([]);
    expect((await store.signInFailures(['ip:9.9.9.9'], later(-DAY))).map((f) => f.at)).toEqual([later(20 * 60_000).toISOString()]);
    await store.clearSignInFailures(['ip:9.9.9.9']);
    expect(await store.signInFailures(['ip:9.9.9.9'], later(-DAY))).toEqual([]);
  });

  it('audit, notes and settings', async () => {
    await store.withChat('c1', async (tx) => {
      await tx.addAudit({ actor: 'Ana', action: 'handoff.reply', handoffId: 7, detail: 'delivery: sent', at: at.toISOString() });
      const note = await tx.addNote({ handoffId: 7, author: 'Ana', text: 'Called the family; brother at Elizabeth detention center', at: later(1000).toISOString() });
      expect(note).toEqual({ id: note.id, chat: 'c1', handoffId: 7, author: 'Ana', text: 'Called the family; brother at Elizabeth detention center', at: later(1000).toISOString() });
    });
    await store.addAudit({ actor: 'Ana', action: 'staff.add', detail: 'Luis (staff)', at: later(2000).toISOString() });
    await store.withChat('c2', (tx) => tx.addNote({ author: 'Luis', text: 'client prefers mornings', at: at.toISOString() }));
    expect((await store.audit({ chat: 'c1', limit: 10 })).map((e) => [e.actor, e.action, e.chat, e.handoffId, e.detail])).toEqual([['Ana', 'handoff.reply', 'c1', 7, 'delivery: sent']]);
    expect((await store.audit({ limit: 10 })).map((e) => e.action)).toEqual(['staff.add', 'handoff.reply']);
    expect((await store.notesOf('c1')).map((n) => n.text)).toEqual(['Called the family; brother at Elizabeth detention center']);
    const [luisNote] = await store.notesOf('c2');
    expect([luisNote.author, luisNote.handoffId]).toEqual(['Luis', undefined]);

    expect(await store.setting('calendar')).toBeUndefined();
    expect(await store.initSetting('calendar', 'first', at)).toBe('first');
    expect(await store.initSetting('calendar', 'second', at)).toBe('first');
    await store.putSetting('calendar', 'rotated', later(1000));
    expect(await store.setting('calendar')).toBe('rotated');
  });

  it('media: an accepted message keeps its bytes in media, not the inbox payload, and the turn links them to the transcript line', async () => {
    const m = message('wamid.voice1', '15551230001@c.us', '', { type: 'voice', attachment: { mimeType: 'audio/ogg', data: voice } });
    await store.accept([{ kind: 'message', message: m }], at);
    const item = await store.withChat(m.chat, (tx) => tx.nextInbox(at));
    expect(item?.work.kind === 'message' && item.work.message.attachment).toBeUndefined();
    expect(JSON.stringify(item)).not.toContain('OggS');
    // The turn finds the kept media by the message id.
    await store.withChat(m.chat, async (tx) => {
      await tx.finishInbox(item!.seq);
      await applier.apply(tx, { message: (item!.work as { message: InboundMessage }).message, state: initialState(), analysis: null, replies: [], effects: [], at });
    });
    // A message handled at once (whatsapp-web) brings its bytes along: kept in the same transaction.
    await turn(store, message('wamid.photo1', m.chat, 'my notice', { type: 'image', attachment: { mimeType: 'image/jpeg', data: Buffer.from('JFIF photo'), filename: 'notice.jpg' } }), null, null);
    const lines = await store.transcript(m.chat);
    const withMedia = lines.filter((l) => l.media);
    expect(withMedia.map((l) => [l.type, l.media!.mimeType, l.media!.size, l.media!.filename])).toEqual([['voice', 'audio/ogg', voice.length, undefined], ['image', 'image/jpeg', 10, 'notice.jpg']]);
    const kept = await store.media(withMedia[0].media!.id);
    expect(kept).toMatchObject({ chat: m.chat, mimeType: 'audio/ogg', size: voice.length });
    expect(Buffer.compare(kept!.data, voice)).toBe(0);
    expect(await store.media(999_999)).toBeUndefined();
    // Scheduled behind earlier work: kept the same way.
    await store.withChat('c9', async (tx) => {
      await tx.schedule({ kind: 'message', message: message('late', 'c9', '', { type: 'document', attachment: { mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4') } }) }, at);
      expect(await tx.mediaFor('late')).toBeGreaterThan(0);
      expect(await tx.mediaFor('other')).toBeUndefined();
    });
  });

  it('clients: listed by last seen, found by name, number digits or message text; with their consultations and latest messages', async () => {
    await turn(store, message('a1', '15551230001@c.us', 'mi hermano fue detenido en Newark', { name: 'Rosa Ortiz' }), 'urgent_detention', 0.9, at, 'es');
    await turn(store, message('b1', '15551230002@c.us', 'I need help with my green card', { name: 'John Smith' }), 'other_immigration', 0.8, later(HOUR));
    await turn(store, message('b2', '15551230002@c.us', 'and 100% of the fees_', { name: 'John Smith' }), 'fees', 0.7, later(2 * HOUR));
    expect((await store.clients({ limit: 10 })).map((c) => c.chat)).toEqual(['15551230002@c.us', '15551230001@c.us']);
    expect((await store.clients({ q: 'rosa', limit: 10 })).map((c) => c.name)).toEqual(['Rosa Ortiz']);
    expect((await store.clients({ q: '+1 (555) 123-0002', limit: 10 })).map((c) => c.name)).toEqual(['John Smith']);
    expect((await store.clients({ q: '0001', limit: 10 })).map((c) => c.name)).toEqual(['Rosa Ortiz']);
    const byText = await store.clients({ q: 'NEWARK', limit: 10 });
    expect(byText.map((c) => [c.name, c.match])).toEqual([['Rosa Ortiz', 'mi hermano fue detenido en Newark']]);
    expect((await store.clients({ q: '100%', limit: 10 })).map((c) => c.name)).toEqual(['John Smith']);
    expect(await store.clients({ q: 'fe%s', limit: 10 })).toEqual([]); // wildcards are literal
    const john = await store.client('15551230002@c.us');
    expect(john).toEqual({ chat: '15551230002@c.us', name: 'John Smith', lang: 'en', createdAt: later(HOUR).toISOString(), lastSeenAt: later(2 * HOUR).toISOString(), lastInboundAt: later(2 * HOUR).toISOString() });
    expect(await store.client('nobody')).toBeUndefined();
    expect(await store.lastClientMessages('15551230002@c.us', 1)).toEqual([{ text: 'and 100% of the fees_', at: later(2 * HOUR).toISOString() }]);
    await store.withChat('15551230002@c.us', (tx) => tx.insertConsultation({ mode: 'office', name: 'John Smith', topic: 'green card', lang: 'en', preference: 'saturday morning', at: at.toISOString() }));
    expect((await store.consultationsOf('15551230002@c.us')).map((c) => [c.status, c.preference])).toEqual([['requested', 'saturday morning']]);
    expect(await store.conversationLanguages(at)).toEqual([{ lang: 'en', count: 1 }, { lang: 'es', count: 1 }]);
  });

  it('answers: confident ones sampled newest first, marked wrong by staff, unmarked; commands and "none" are no answers', async () => {
    await turn(store, message('q1', 'c1', 'can the sheriff hold me for ICE'), 'ice_detainer', 0.91);
    await turn(store, message('q2', 'c1', 'what is a writ'), 'mandamus', 0.55, later(1000));
    await turn(store, message('q3', 'c1', 'weather?'), 'none', 0.99, later(2000));
    await turn(store, message('q4', 'c1', '2'), 'command:pick', 1, later(3000));
    const sample = await store.answers(at, 0.6, 10);
    expect(sample.map((s) => [s.text, s.intent, s.confidence, s.lang])).toEqual([['can the sheriff hold me for ICE', 'ice_detainer', 0.91, 'en']]);
    expect(await store.markAnswer(sample[0].messageId, 'Ana', later(HOUR))).toBe(true);
    expect(await store.markAnswer(999_999, 'Ana', later(HOUR))).toBe(false);
    expect((await store.answers(at, 0.6, 10))[0]).toMatchObject({ markedBy: 'Ana', markedAt: later(HOUR).toISOString() });
    expect((await store.markedAnswers(at)).map((s) => s.text)).toEqual(['can the sheriff hold me for ICE']);
    await store.unmarkAnswer(sample[0].messageId);
    expect(await store.markedAnswers(at)).toEqual([]);
  });

  it('erasure removes media, notes and marks, and detaches the audit; the purge does the same by age', async () => {
    const chat = '15550009999@c.us';
    await turn(store, message('e1', chat, '', { type: 'voice', attachment: { mimeType: 'audio/ogg', data: voice } }), null, null);
    await turn(store, message('e2', chat, 'can ICE enter my house'), 'know_your_rights', 0.95);
    const [answer] = await store.answers(at, 0.5, 5);
    await store.markAnswer(answer.messageId, 'Ana', at);
    await store.withChat(chat, async (tx) => {
      await tx.addNote({ author: 'Ana', text: 'private note', at: at.toISOString() });
      await tx.addAudit({ actor: 'Ana', action: 'note.add', detail: 'on the case', at: at.toISOString() });
    });
    const mediaId = (await store.transcript(chat)).find((l) => l.media)!.media!.id;
    await store.withChat(chat, (tx) => tx.erase(ERASURE_SCOPE));
    expect(await store.media(mediaId)).toBeUndefined();
    expect(await store.notesOf(chat)).toEqual([]);
    expect(await store.markedAnswers(at)).toEqual([]);
    expect(await store.audit({ chat, limit: 5 })).toEqual([]);
    expect((await store.audit({ limit: 5 })).map((e) => [e.actor, e.action, e.chat, e.detail])).toEqual([['Ana', 'note.add', 'erased', undefined]]);
    expect(await store.clients({ q: '9999', limit: 5 })).toEqual([]);

    // Retention: old media and notes go (a client with an open case keeps their notes), audit entries forget the client.
    const old = '15550008888@c.us';
    const open = '15550007777@c.us';
    await turn(store, message('o1', old, '', { type: 'image', attachment: { mimeType: 'image/png', data: Buffer.from('png') } }), null, null);
    await store.withChat(old, async (tx) => {
      await tx.addNote({ author: 'Ana', text: 'old note', at: at.toISOString() });
      await tx.addAudit({ actor: 'Ana', action: 'handoff.reply', detail: 'delivery: sent', at: at.toISOString() });
    });
    await store.withChat(open, async (tx) => {
      await tx.touchContact(at);
      await tx.insertHandoff({ kind: 'human', lang: 'en', summary: 'wants a person', at: at.toISOString() });
      await tx.addNote({ author: 'Ana', text: 'still working on it', at: at.toISOString() });
    });
    const oldMedia = (await store.transcript(old)).find((l) => l.media)!.media!.id;
    await store.createSession({ tokenHash: 'expired', staffId: 1, csrf: 'x', at: at.toISOString(), expiresAt: later(HOUR).toISOString() }).catch(() => undefined);
    await store.purge(retentionPlan(later(91 * DAY), 90));
    expect(await store.media(oldMedia)).toBeUndefined();
    expect(await store.notesOf(old)).toEqual([]);
    expect((await store.notesOf(open)).map((n) => n.text)).toEqual(['still working on it']);
    expect((await store.audit({ limit: 5 })).every((e) => e.chat === undefined && e.detail === undefined)).toBe(true);
  });

  it('handoffs remember when staff first replied', async () => {
    const h = await store.withChat('c1', (tx) => tx.insertHandoff({ kind: 'human', lang: 'en', summary: 'x', at: at.toISOString() }));
    expect(h.repliedAt).toBeUndefined();
    await store.withChat('c1', (tx) => tx.updateHandoff(h.id, { repliedAt: later(HOUR).toISOString() }));
    const again = await store.withChat('c1', (tx) => tx.updateHandoff(h.id, { repliedAt: later(2 * HOUR).toISOString() }));
    expect(again.repliedAt).toBe(later(HOUR).toISOString());
  });
});
