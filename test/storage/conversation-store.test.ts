/** The storage contract, run against a SQLite file and an in-memory SQLite database. */
import { join } from 'node:path';
import { initialState } from '../../src/dialogue/engine';
import type { InboundMessage } from '../../src/dialogue/types';
import { MIGRATIONS, openDatabase } from '../../src/storage/sqlite';
import { SqliteStore } from '../../src/storage/sqlite-store';
import type { ConversationStore } from '../../src/storage/types';
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
