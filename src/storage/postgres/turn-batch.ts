/**
 * A turn's statements for several chats at once: its next inbox item, its load, its write, the inbox item finished.
 * A group of chats' transactions (see {@link ChatGroups}) runs its turns side by side on one connection; what they ask
 * while they wait on each other goes to the database together, one statement per kind, so a group of many turns costs
 * a few round trips, not several per turn. A turn alone uses the same statements with one chat.
 */
import type { Queryable } from './transaction';
import type { ConversationState } from '../../dialogue/types';
import type { InboxItem, OutboxEntry, TurnLoad, TurnWrite } from '../../store';
import { iso, messageKey, toInboxItem, toTurnContext, type ConsultationRow, type HandoffRow, type InboxRow } from '../rows';


const ACTIVE = `status IN ('requested', 'confirmed')`;

/** What one chat's turn loads, and what it writes. */
export interface LoadRequest {
  readonly chat: string;
  readonly now: Date;
  /** A message id to claim with the load. */
  readonly claim?: string;
}
export interface WriteRequest {
  readonly chat: string;
  readonly write: TurnWrite;
}

interface LoadRow {
  n: string;
  claimed: boolean;
  state: ConversationState | null;
  open: HandoffRow | null;
  past: HandoffRow | null;
  mine: ConsultationRow[] | null;
  busy: { start: string; end: string }[] | null;
  queued: boolean;
  unsent: boolean;
}

/**
 * Loads each chat's turn (the chats' locks are held): its message id claimed, then state, open handoff, last case, the
 * chat's and everyone's consultations, and waiting work. Answers in the order asked. Each chat at most once.
 */
export async function loadTurns(db: Queryable, requests: readonly LoadRequest[]): Promise<TurnLoad[]> {
  const { rows } = await db.query<LoadRow>({
    name: 'pg-load-turns',
    text: `WITH req AS (
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[]) WITH ORDINALITY AS r(chat, now, claim, n)
       ), claim AS (
         INSERT INTO processed_messages (message_id, chat, processed_at) SELECT claim, chat, now FROM req WHERE claim IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING message_id
       )
       SELECT r.n,
         (r.claim IS NULL OR EXISTS (SELECT 1 FROM claim c WHERE c.message_id = r.claim)) AS claimed,
         (SELECT state FROM conversations WHERE chat = r.chat) AS state,
         (SELECT row_to_json(h) FROM handoffs h WHERE chat = r.chat AND status = 'open') AS open,
         (SELECT row_to_json(h) FROM handoffs h WHERE chat = r.chat AND status = 'resolved' AND resolution IS DISTINCT FROM 'client-withdrew'
            ORDER BY resolved_at DESC, id DESC LIMIT 1) AS past,
         (SELECT json_agg(c ORDER BY c.start_at NULLS LAST, c.id) FROM consultations c WHERE chat = r.chat AND ${ACTIVE} AND (end_at IS NULL OR end_at > r.now)) AS mine,
         (SELECT json_agg(json_build_object('start', start_at, 'end', end_at) ORDER BY start_at) FROM consultations
            WHERE ${ACTIVE} AND start_at IS NOT NULL AND end_at > r.now) AS busy,
         EXISTS (SELECT 1 FROM inbox WHERE chat = r.chat AND not_before <= r.now) AS queued,
         EXISTS (SELECT 1 FROM outbox WHERE chat = r.chat AND sent_at IS NULL AND failed_at IS NULL) AS unsent
       FROM req r ORDER BY r.n`,
    values: [requests.map((r) => r.chat), requests.map((r) => r.now), requests.map((r) => (r.claim === undefined ? null : messageKey(r.claim)))],
  });
  return rows.map(toTurnLoad);
}

function toTurnLoad(row: LoadRow): TurnLoad {
  return {
    state: row.state ?? undefined,
    context: toTurnContext(row.open ?? undefined, row.past ?? undefined, row.mine ?? [], (row.busy ?? []).map((b) => ({ start: iso(b.start), end: iso(b.end) }))),
    queued: row.queued,
    unsent: row.unsent,
    claimed: row.claimed,
  };
}

/**
 * Writes each chat's turn: contact, state, transcript and replies, as data-modifying CTEs of one statement. Answers
 * each chat's queued replies, in order, in the order asked. Each chat at most once.
 */
export async function writeTurns(db: Queryable, requests: readonly WriteRequest[]): Promise<OutboxEntry[][]> {
  const turns = requests.map(({ chat, write: w }, n) => ({
    n, chat, name: w.contact.name ?? null, lang: w.contact.lang, at: w.at.toISOString(), inbound_at: w.contact.inbound ? w.at.toISOString() : null, state: w.state,
  }));
  const messages = requests.flatMap(({ chat, write: w }, n) => w.messages.map((m, ord) => ({
    n, ord, chat, direction: m.direction, author: m.author, message_id: m.messageId ? messageKey(m.messageId) : null, type: m.type, text: m.text,
    intent: m.intent ?? null, confidence: m.confidence ?? null, lang: m.lang ?? null, at: m.at, media_id: m.mediaId ?? null,
  })));
  const replies = requests.flatMap(({ chat, write: w }, n) => w.replies.map((text, ord) => ({
    n, ord, chat, text, at: w.at.toISOString(), lease_until: w.lease?.until.toISOString() ?? null, lease_owner: w.lease?.owner ?? null,
  })));
  const { rows } = await db.query<{ id: string; chat: string; text: string }>({
    name: 'pg-write-turns',
    text: `WITH t AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(n integer, chat text, name text, lang text, at timestamptz, inbound_at timestamptz, state jsonb)
       ), contact AS (
         INSERT INTO contacts (chat, name, lang, created_at, last_seen_at, last_inbound_at) SELECT chat, name, lang, at, at, inbound_at FROM t ORDER BY n
         ON CONFLICT (chat) DO UPDATE SET name = COALESCE(EXCLUDED.name, contacts.name), lang = EXCLUDED.lang, last_seen_at = EXCLUDED.last_seen_at,
         last_inbound_at = COALESCE(EXCLUDED.last_inbound_at, contacts.last_inbound_at) RETURNING chat
       ), conversation AS (
         INSERT INTO conversations (chat, state, updated_at) SELECT chat, state, at FROM t ORDER BY n
         ON CONFLICT (chat) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at RETURNING chat
       ), transcript AS (
         INSERT INTO messages (chat, direction, author, message_id, type, text, intent, confidence, lang, created_at, media_id)
         SELECT m.chat, m.direction, m.author, m.message_id, m.type, m.text, m.intent, m.confidence, m.lang, m.at, m.media_id
         FROM jsonb_to_recordset($2::jsonb) AS m(n integer, ord integer, chat text, direction text, author text, message_id text, type text, text text,
           intent text, confidence double precision, lang text, at timestamptz, media_id bigint)
         ORDER BY m.n, m.ord RETURNING id
       )
       INSERT INTO outbox (chat, text, created_at, next_attempt_at, lease_until, lease_owner)
       SELECT r.chat, r.text, r.at, r.at, r.lease_until, r.lease_owner
       FROM jsonb_to_recordset($3::jsonb) AS r(n integer, ord integer, chat text, text text, at timestamptz, lease_until timestamptz, lease_owner text)
       ORDER BY r.n, r.ord RETURNING id, chat, text`,
    values: [JSON.stringify(turns), JSON.stringify(messages), JSON.stringify(replies)],
  });
  const byChat = new Map<string, OutboxEntry[]>();
  for (const r of rows.map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id)) {
    const list = byChat.get(r.chat) ?? [];
    list.push({ id: r.id, chat: r.chat, text: r.text, attempts: 0, createdAt: '' });
    byChat.set(r.chat, list);
  }
  return requests.map(({ chat, write }) => (byChat.get(chat) ?? []).map((e) => ({ ...e, createdAt: write.at.toISOString() })));
}

/** Each chat's next inbox item due by its `now` (undefined: none), in the order asked. */
export async function nextInboxItems(db: Queryable, requests: readonly { chat: string; now: Date }[]): Promise<(InboxItem | undefined)[]> {
  const { rows } = await db.query<InboxRow & { n: string }>({
    name: 'pg-inbox-next-many',
    text: `SELECT DISTINCT ON (r.n) r.n, i.* FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS r(chat, now, n)
           JOIN inbox i ON i.chat = r.chat AND i.not_before <= r.now ORDER BY r.n, i.seq`,
    values: [requests.map((r) => r.chat), requests.map((r) => r.now)],
  });
  const byN = new Map(rows.map((row) => [Number(row.n), row]));
  return requests.map((_, i) => {
    const row = byN.get(i + 1);
    return row ? toInboxItem(row) : undefined;
  });
}

/** Removes handled inbox items. */
export async function finishInboxItems(db: Queryable, requests: readonly { chat: string; seq: number }[]): Promise<undefined[]> {
  await db.query({ name: 'pg-inbox-done-many', text: 'DELETE FROM inbox WHERE seq = ANY($1::bigint[])', values: [requests.map((r) => r.seq)] });
  return requests.map(() => undefined);
}

/** A request waiting for the batch, with its caller. */
interface Pending<R, A> {
  readonly request: R;
  readonly resolve: (answer: A) => void;
  readonly reject: (error: unknown) => void;
}

/** One kind of statement for several chats: its requests waiting for the next flush, and how to run them together. */
class Batched<R extends { chat: string }, A> {
  pending: Pending<R, A>[] = [];
  constructor(private readonly run: (db: Queryable, requests: readonly R[]) => Promise<A[]>) {}

  /** Sends what waits, each chat at most once per statement, in the order asked. */
  flush(db: Queryable): void {
    const pending = this.pending;
    this.pending = [];
    for (const round of rounds(pending)) void settle(round, this.run(db, round.map((p) => p.request)));
  }
}

/**
 * Collects what a group's turns ask while they run side by side, and sends it together once every turn is waiting
 * (after the current round of promise callbacks). A chat asked twice before a flush goes in the next statement.
 */
export class TurnBatch {
  private readonly kinds = {
    next: new Batched(nextInboxItems),
    load: new Batched(loadTurns),
    write: new Batched(writeTurns),
    finish: new Batched(finishInboxItems),
  };
  private scheduled = false;

  constructor(private readonly db: Queryable) {}

  nextInbox(chat: string, now: Date): Promise<InboxItem | undefined> {
    return this.add(this.kinds.next, { chat, now });
  }

  finishInbox(chat: string, seq: number): Promise<undefined> {
    return this.add(this.kinds.finish, { chat, seq });
  }

  load(request: LoadRequest): Promise<TurnLoad> {
    return this.add(this.kinds.load, request);
  }

  write(request: WriteRequest): Promise<OutboxEntry[]> {
    return this.add(this.kinds.write, request);
  }

  private add<R extends { chat: string }, A>(kind: Batched<R, A>, request: R): Promise<A> {
    return new Promise((resolve, reject) => {
      kind.pending.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        // Sent now, in this order; the connection runs them one after the other.
        const { next, load, write, finish } = this.kinds;
        for (const kind of [next, load, write, finish]) kind.flush(this.db);
      });
    });
  }
}

/** Splits requests so that each chat appears at most once per statement, keeping the order asked. */
function rounds<R extends { chat: string }, A>(pending: Pending<R, A>[]): Pending<R, A>[][] {
  const out: Pending<R, A>[][] = [];
  let seen = new Set<string>();
  for (const p of pending) {
    if (out.length === 0 || seen.has(p.request.chat)) {
      out.push([]);
      seen = new Set();
    }
    out[out.length - 1].push(p);
    seen.add(p.request.chat);
  }
  return out;
}

async function settle<R, A>(round: Pending<R, A>[], answers: Promise<A[]>): Promise<void> {
  try {
    const list = await answers;
    round.forEach((p, i) => p.resolve(list[i]));
  } catch (err) {
    for (const p of round) p.reject(err);
  }
}
