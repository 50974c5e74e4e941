/**
 * {@link ConversationStore} on SQLite. Statements are prepared once; a turn is one transaction.
 */
import type { ConversationState, Effect } from '../dialogue/types';
import type { Db } from './sqlite';
import type { ConversationStore, EffectRecord, OutboxEntry, TranscriptEntry, TurnRecord } from './types';

/** Conversations in SQLite. */
export class SqliteConversationStore implements ConversationStore {
  private readonly q;
  private readonly commit: (turn: TurnRecord) => OutboxEntry[] | 'duplicate';

  constructor(private readonly db: Db) {
    this.q = {
      processed: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM processed_messages WHERE message_id = ?'),
      claim: db.prepare('INSERT OR IGNORE INTO processed_messages (message_id, chat, processed_at) VALUES (?, ?, ?)'),
      state: db.prepare<[string], { state: string }>('SELECT state FROM conversations WHERE chat = ?'),
      contact: db.prepare(
        `INSERT INTO contacts (chat, name, lang, created_at, last_seen_at) VALUES (@chat, @name, @lang, @at, @at)
         ON CONFLICT (chat) DO UPDATE SET name = COALESCE(@name, name), lang = @lang, last_seen_at = @at`,
      ),
      saveState: db.prepare(
        `INSERT INTO conversations (chat, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (chat) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      message: db.prepare(
        `INSERT INTO messages (chat, direction, message_id, type, text, intent, confidence, lang, created_at)
         VALUES (@chat, @direction, @messageId, @type, @text, @intent, @confidence, @lang, @at)`,
      ),
      outbox: db.prepare('INSERT INTO outbox (chat, text, created_at) VALUES (?, ?, ?)'),
      effect: db.prepare('INSERT INTO effects (chat, type, payload, created_at) VALUES (?, ?, ?, ?)'),
      sent: db.prepare('UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?'),
      failed: db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?'),
      unsent: db.prepare<[number], OutboxEntry>('SELECT id, chat, text FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?'),
      transcript: db.prepare<[string], TranscriptEntry>(
        'SELECT direction, text, intent, created_at AS at FROM messages WHERE chat = ? ORDER BY id',
      ),
      effects: db.prepare<[], { id: number; chat: string; payload: string; at: string }>(
        'SELECT id, chat, payload, created_at AS at FROM effects ORDER BY id',
      ),
    };
    this.commit = db.transaction((turn: TurnRecord) => this.write(turn));
  }

  isProcessed(messageId: string): boolean {
    return this.q.processed.get(messageId) !== undefined;
  }

  loadState(chat: string): ConversationState | undefined {
    const row = this.q.state.get(chat);
    return row ? (JSON.parse(row.state) as ConversationState) : undefined;
  }

  commitTurn(turn: TurnRecord): OutboxEntry[] | 'duplicate' {
    return this.commit(turn);
  }

  private write(turn: TurnRecord): OutboxEntry[] | 'duplicate' {
    const { message, state, analysis, at } = turn;
    const iso = at.toISOString();
    if (this.q.claim.run(message.id, message.chat, iso).changes === 0) return 'duplicate';
    this.q.contact.run({ chat: message.chat, name: message.name ?? null, lang: state.lang, at: iso });
    this.q.saveState.run(message.chat, JSON.stringify(state), iso);
    this.q.message.run({
      chat: message.chat, direction: 'in', messageId: message.id, type: message.type, text: message.text ?? '',
      intent: analysis?.intent ?? null, confidence: analysis?.confidence ?? null, lang: analysis?.lang ?? null, at: iso,
    });
    const outbox: OutboxEntry[] = [];
    for (const text of turn.replies) {
      this.q.message.run({ chat: message.chat, direction: 'out', messageId: null, type: 'text', text, intent: null, confidence: null, lang: state.lang, at: iso });
      const id = Number(this.q.outbox.run(message.chat, text, iso).lastInsertRowid);
      outbox.push({ id, chat: message.chat, text });
    }
    for (const effect of turn.effects) this.q.effect.run(message.chat, effect.type, JSON.stringify(effect), iso);
    return outbox;
  }

  markSent(id: number, at: Date): void {
    this.q.sent.run(at.toISOString(), id);
  }

  markFailed(id: number): void {
    this.q.failed.run(id);
  }

  unsent(limit = 100): OutboxEntry[] {
    return this.q.unsent.all(limit);
  }

  transcript(chat: string): TranscriptEntry[] {
    return this.q.transcript.all(chat);
  }

  effects(chat?: string): EffectRecord[] {
    return this.q.effects
      .all()
      .filter((r) => chat === undefined || r.chat === chat)
      .map((r) => ({ id: r.id, chat: r.chat, at: r.at, effect: JSON.parse(r.payload) as Effect }));
  }
}
