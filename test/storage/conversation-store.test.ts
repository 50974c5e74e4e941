/** The storage contract, run against a SQLite file and an in-memory SQLite database. */
import { join } from 'node:path';
import { initialState } from '../../src/dialogue/engine';
import type { InboundMessage } from '../../src/dialogue/types';
import { MIGRATIONS, openDatabase } from '../../src/storage/sqlite';
import { SqliteStore } from '../../src/storage/sqlite-store';
import { SlotTakenError, type ConversationStore } from '../../src/storage/types';
import { tempDir } from '../helpers';

const message = (id: string, chat = 'chat-1'): InboundMessage => ({ id, chat, text: `text ${id}`, type: 'text', receivedAt: new Date() });
const at = new Date('2026-11-30T15:00:00Z');

const implementations: [string, () => { store: ConversationStore; close(): void }][] = [
  ['in-memory SQLite', () => {
    const db = openDatabase(':memory:');
    return { store: new SqliteStore(db), close: () => db.close() };
  }],
  ['sqlite', () => {
    const tmp = tempDir();
    const db = openDatabase(join(tmp.dir, 'p.db'));
    return { store: new SqliteStore(db), close: () => { db.close(); tmp.remove(); } };
  }],
];

describe.each(implementations)('%s ConversationStore', (_name, make) => {
  let s: ReturnType<typeof make>;
  beforeEach(() => (s = make()));
  afterEach(() => s.close());

  it('commits a turn: state, transcript, outbox and effects together', () => {
    const state = { ...initialState('es'), noticeShown: true };
    const out = s.store.commitTurn({ message: message('a'), state, analysis: { intent: 'greeting', confidence: 0.9, lang: 'es' }, replies: ['uno', 'dos'], effects: [{ type: 'handoff.requested', kind: 'human', lang: 'es', summary: 'x' }], at });
    expect(out).not.toBe('duplicate');
    expect((out as { text: string }[]).map((o) => o.text)).toEqual(['uno', 'dos']);
    expect(s.store.loadState('chat-1')).toEqual(state);
    expect(s.store.transcript('chat-1').map((t) => [t.direction, t.text])).toEqual([['in', 'text a'], ['out', 'uno'], ['out', 'dos']]);
    expect(s.store.effects('chat-1')).toHaveLength(1);
    expect(s.store.isProcessed('a')).toBe(true);
  });

  it('refuses a message id twice and changes nothing', () => {
    s.store.commitTurn({ message: message('a'), state: initialState(), analysis: null, replies: ['r'], effects: [], at });
    expect(s.store.commitTurn({ message: message('a'), state: initialState('es'), analysis: null, replies: ['r2'], effects: [], at })).toBe('duplicate');
    expect(s.store.loadState('chat-1')?.lang).toBe('en');
    expect(s.store.transcript('chat-1')).toHaveLength(2);
  });

  it('keeps unsent replies until marked sent', () => {
    const out = s.store.commitTurn({ message: message('a'), state: initialState(), analysis: null, replies: ['r1', 'r2'], effects: [], at }) as { id: number }[];
    s.store.markSent(out[0].id, at);
    expect(s.store.unsent().map((u) => u.text)).toEqual(['r2']);
  });

  it('returns undefined state for an unknown chat', () => {
    expect(s.store.loadState('nobody')).toBeUndefined();
  });
});

describe('SQLite database', () => {
  it('uses WAL, applies migrations once, and keeps data across reopen', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'p.db');
      let db = openDatabase(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      new SqliteStore(db).commitTurn({ message: message('a'), state: initialState(), analysis: null, replies: [], effects: [], at });
      db.close();
      db = openDatabase(file);
      expect(new SqliteStore(db).isProcessed('a')).toBe(true);
      db.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('consultations in the database', () => {
  const slot = { start: '2026-12-01T15:20:00.000Z', end: '2026-12-01T16:00:00.000Z' };
  const request = (id: string, chat: string) => ({
    message: message(id, chat), state: initialState(), analysis: null, replies: ['ok'], at,
    effects: [{ type: 'consultation.requested' as const, mode: 'phone' as const, name: 'A B', topic: 't', lang: 'en' as const, slot }],
  });

  it('two connections (two processes) cannot both take one time; the loser changes nothing', () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'p.db');
    const one = openDatabase(file);
    const two = openDatabase(file);
    try {
      const a = new SqliteStore(one);
      const b = new SqliteStore(two);
      expect(a.commitTurn(request('a1', 'chat-a'))).not.toBe('duplicate');
      expect(() => b.commitTurn(request('b1', 'chat-b'))).toThrow(SlotTakenError);
      expect(b.isProcessed('b1')).toBe(false); // rolled back: the message can be decided again
      expect(b.transcript('chat-b')).toHaveLength(0);
      expect(b.consultations()).toHaveLength(1);
      // The unique index holds even for a writer that skips the overlap check.
      expect(() => two.prepare(`INSERT INTO consultations (chat, status, mode, lang, start_at, end_at, created_at, updated_at) VALUES ('x', 'confirmed', 'phone', 'en', ?, ?, 'now', 'now')`).run(slot.start, slot.end)).toThrow(/UNIQUE/);
      // Once cancelled, the time is free again.
      expect(a.setConsultationStatus(a.consultations()[0].id, 'cancelled', at)).toBe(true);
      expect(b.commitTurn(request('b2', 'chat-b'))).not.toBe('duplicate');
    } finally {
      one.close();
      two.close();
      tmp.remove();
    }
  });

  it('allows only sensible status changes', () => {
    const db = openDatabase(':memory:');
    try {
      const store = new SqliteStore(db);
      store.commitTurn(request('c1', 'chat-c'));
      const id = store.consultations()[0].id;
      expect(store.setConsultationStatus(id, 'completed', at)).toBe(false); // not confirmed yet
      expect(store.setConsultationStatus(id, 'confirmed', at)).toBe(true);
      expect(store.setConsultationStatus(id, 'completed', at)).toBe(true);
      expect(store.setConsultationStatus(id, 'cancelled', at)).toBe(false);
      expect(store.setConsultationStatus(999, 'confirmed', at)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('keeps one open handoff per chat and escalates it by priority', () => {
    const db = openDatabase(':memory:');
    try {
      const store = new SqliteStore(db);
      const handoff = (id: string, kind: 'advice' | 'human' | 'urgent') => store.commitTurn({ message: message(id, 'chat-h'), state: initialState(), analysis: null, replies: [], effects: [{ type: 'handoff.requested', kind, lang: 'en', summary: kind }], at });
      handoff('h1', 'advice');
      handoff('h2', 'human');
      handoff('h3', 'advice');
      expect(store.openHandoffs()).toMatchObject([{ kind: 'human', priority: 1 }]);
      handoff('h4', 'urgent');
      expect(store.openHandoffs()).toMatchObject([{ kind: 'urgent', priority: 0 }]);
    } finally {
      db.close();
    }
  });
});

it('stops retrying a reply after 10 failed attempts', () => {
  const db = openDatabase(':memory:');
  try {
    const store = new SqliteStore(db);
    const [entry] = store.commitTurn({ message: message('f1', 'chat-f'), state: initialState(), analysis: null, replies: ['r'], effects: [], at }) as { id: number }[];
    for (let i = 0; i < 9; i++) store.markFailed(entry.id);
    expect(store.unsent()).toHaveLength(1);
    store.markFailed(entry.id);
    expect(store.unsent()).toHaveLength(0);
    expect(store.transcript('chat-f').map((t) => t.text)).toContain('r');
  } finally {
    db.close();
  }
});
