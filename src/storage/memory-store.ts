/**
 * {@link ConversationStore} in memory: the twin of the SQLite store for fast unit tests. Same contract, same tests.
 */
import type { ConversationState } from '../dialogue/types';
import type { ConversationStore, EffectRecord, OutboxEntry, TranscriptEntry, TurnRecord } from './types';

/** Conversations in process memory; lost on exit. */
export class MemoryConversationStore implements ConversationStore {
  private readonly processed = new Set<string>();
  private readonly states = new Map<string, ConversationState>();
  private readonly messages = new Map<string, TranscriptEntry[]>();
  private readonly outbox = new Map<number, OutboxEntry & { sent: boolean }>();
  private readonly effectLog: EffectRecord[] = [];
  private nextId = 1;

  isProcessed(messageId: string): boolean {
    return this.processed.has(messageId);
  }

  loadState(chat: string): ConversationState | undefined {
    const state = this.states.get(chat);
    return state && (JSON.parse(JSON.stringify(state)) as ConversationState);
  }

  commitTurn(turn: TurnRecord): OutboxEntry[] | 'duplicate' {
    const { message, at } = turn;
    if (this.processed.has(message.id)) return 'duplicate';
    this.processed.add(message.id);
    const iso = at.toISOString();
    this.states.set(message.chat, JSON.parse(JSON.stringify(turn.state)) as ConversationState);
    const lines = this.messages.get(message.chat) ?? [];
    lines.push({ direction: 'in', text: message.text ?? '', intent: turn.analysis?.intent ?? null, at: iso });
    const sent: OutboxEntry[] = [];
    for (const text of turn.replies) {
      lines.push({ direction: 'out', text, intent: null, at: iso });
      const entry = { id: this.nextId++, chat: message.chat, text };
      this.outbox.set(entry.id, { ...entry, sent: false });
      sent.push(entry);
    }
    this.messages.set(message.chat, lines);
    for (const effect of turn.effects) this.effectLog.push({ id: this.nextId++, chat: message.chat, effect, at: iso });
    return sent;
  }

  markSent(id: number): void {
    const entry = this.outbox.get(id);
    if (entry) entry.sent = true;
  }

  markFailed(): void {}

  unsent(limit = 100): OutboxEntry[] {
    return [...this.outbox.values()].filter((e) => !e.sent).slice(0, limit).map(({ id, chat, text }) => ({ id, chat, text }));
  }

  transcript(chat: string): TranscriptEntry[] {
    return [...(this.messages.get(chat) ?? [])];
  }

  effects(chat?: string): EffectRecord[] {
    return this.effectLog.filter((r) => chat === undefined || r.chat === chat);
  }
}
