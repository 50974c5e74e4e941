/**
 * Group commit for chats' transactions on PostgreSQL: the turns waiting when a connection comes free run side by side
 * in one transaction, their loads and writes sent together ({@link TurnBatch}), and are committed once. A busy server
 * then pays about four round trips and one WAL flush for many turns instead of several for each. Each caller's promise
 * settles only after that commit: a turn is as durable as on its own.
 *
 * - A group holds at most one transaction per chat, and a chat is in one group at a time: one chat's work still runs
 *   one at a time, in the order it was asked for.
 * - Every chat of a group (even a group of one) is locked with `pg_try_advisory_xact_lock` in the opening round trip.
 *   A group never waits for a chat's lock (no deadlock between groups, and a chat held elsewhere holds nothing else
 *   up): a chat another transaction holds (another server is handling it) runs on its own, outside the groups,
 *   waiting for its lock as a single transaction does.
 * - A turn that fails aborts the group's transaction: the others run again (their work was rolled back with it), and
 *   the failing one runs alone, so its outcome and its error are its own, as if it had never been grouped.
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction, type Queryable } from './transaction';
import { TurnBatch } from './turn-batch';

/** One chat's transaction body: its queries on the connection, its turn's load and write through the group's batch (none alone). */
export type ChatWork<T> = (db: Queryable, batch?: TurnBatch) => Promise<T>;

interface Waiting {
  readonly chat: string;
  readonly work: ChatWork<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** How groups are formed. */
export interface GroupOptions {
  /** Groups running at a time (each holds one pooled connection while it runs). */
  readonly groups: number;
  /** Turns in one group, at most. */
  readonly maxGroup: number;
}

/** PostgreSQL's code for a statement refused because an earlier one failed in the same transaction. */
const IN_FAILED_TRANSACTION = '25P02';

/** Runs chats' transactions, grouped. */
export class ChatGroups {
  private readonly waiting: Waiting[] = [];
  /** Chats whose transaction runs now (in a group or alone). */
  private readonly active = new Set<string>();
  private running = 0;

  /**
   * `lockKey(db, chat)` is the SQL expression (escaped by `db`) of the chat's advisory lock key, the same one a single
   * transaction waits for.
   */
  constructor(
    private readonly pool: Pool,
    private readonly lockKey: (db: PoolClient, chat: string) => string,
    private readonly options: GroupOptions,
  ) {}

  /** Runs `work` in a transaction holding `chat`'s lock, committed (perhaps with others) before this resolves. */
  run<T>(chat: string, work: ChatWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ chat, work: work as ChatWork<unknown>, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.groups && this.waiting.length > 0) {
      const group = this.take();
      if (group.length === 0) return; // only chats already running are waiting
      this.running++;
      void this.runGroup(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** The oldest waiting transactions, one per chat, of chats not running now. */
  private take(): Waiting[] {
    const group: Waiting[] = [];
    const chats = new Set<string>();
    for (let i = 0; i < this.waiting.length && group.length < this.options.maxGroup;) {
      const item = this.waiting[i];
      if (this.active.has(item.chat) || chats.has(item.chat)) {
        chats.add(item.chat); // a chat's later work never overtakes its earlier work
        i++;
        continue;
      }
      chats.add(item.chat);
      this.active.add(item.chat);
      group.push(item);
      this.waiting.splice(i, 1);
    }
    return group;
  }

  /** Ends a chat's turn in this process (settled, or back in the queue) and lets what waited for it run. */
  private finish(item: Waiting): void {
    this.active.delete(item.chat);
  }

  /** A transaction of its own that waits for the chat's lock. Settles the caller. */
  private async alone(item: Waiting): Promise<void> {
    try {
      const value = await inTransaction(
        this.pool,
        (db) => item.work(db),
        (db) => `BEGIN; SELECT pg_advisory_xact_lock(${this.lockKey(db, item.chat)})`,
      );
      this.finish(item);
      item.resolve(value);
    } catch (err) {
      this.finish(item);
      item.reject(err);
    }
    this.pump();
  }

  private async runGroup(group: Waiting[]): Promise<void> {
    let db: PoolClient;
    try {
      db = await this.pool.connect();
    } catch (err) {
      for (const item of group) {
        this.finish(item);
        item.reject(err);
      }
      return;
    }
    let broken: Error | undefined;
    let requeue: Waiting[] = [];
    let lone: Waiting[] = [];
    try {
      const keys = group.map((item) => this.lockKey(db, item.chat)).join(', ');
      // BEGIN and every chat's lock, tried without waiting, in one round trip (in the group's order).
      const opened = (await db.query(
        `BEGIN; SELECT pg_try_advisory_xact_lock(k) AS ok FROM unnest(ARRAY[${keys}]::bigint[]) WITH ORDINALITY AS u(k, n) ORDER BY n`,
      )) as unknown as { rows: { ok: boolean }[] }[];
      const locked = opened[1].rows.map((r) => r.ok);
      const mine = group.filter((_, i) => locked[i]);
      // Chats held elsewhere: on their own, waiting for their lock (never while this group holds others).
      lone = group.filter((_, i) => !locked[i]);
      // A single turn sends its statements at once; a group's wait for each other, on one connection taking one
      // statement at a time.
      const one = mine.length > 1 ? serialised(db) : db;
      const batch = mine.length > 1 ? new TurnBatch(one) : undefined;
      const outcomes = await Promise.allSettled(mine.map((item) => item.work(one, batch)));
      const failed = mine.filter((_, i) => outcomes[i].status === 'rejected');
      if (failed.length > 0) {
        await db.query('ROLLBACK').catch((err: Error) => (broken = err));
        // Turns refused only because another failed run again; a turn that failed itself runs alone, with its outcome.
        const guilty = failed.filter((item) => (outcomes[mine.indexOf(item)] as PromiseRejectedResult).reason?.code !== IN_FAILED_TRANSACTION);
        const own = guilty.length > 0 ? guilty : failed;
        requeue = mine.filter((item) => !own.includes(item));
        lone.push(...own);
        return;
      }
      try {
        await db.query('COMMIT');
      } catch (err) {
        broken = err as Error;
        for (const item of mine) {
          this.finish(item);
          item.reject(err);
        }
        return;
      }
      mine.forEach((item, i) => {
        this.finish(item);
        item.resolve((outcomes[i] as PromiseFulfilledResult<unknown>).value);
      });
    } catch (err) {
      // The opening round trip failed (the connection, the database): nothing ran.
      broken = err as Error;
      await db.query('ROLLBACK').catch(() => undefined);
      for (const item of group) {
        this.finish(item);
        item.reject(err);
      }
      lone = [];
    } finally {
      db.release(broken);
      // Back at the front, in their order, before anything newer of their chats.
      for (const item of requeue) this.finish(item);
      this.waiting.unshift(...requeue);
      for (const item of lone) void this.alone(item);
    }
  }
}

/** The connection, taking the statements of turns running side by side one after the other, in the order sent. */
function serialised(db: PoolClient): Queryable {
  let tail: Promise<unknown> = Promise.resolve();
  const query = (...args: unknown[]) => {
    const run = tail.then(() => (db.query as (...a: unknown[]) => Promise<unknown>)(...args));
    tail = run.catch(() => undefined);
    return run;
  };
  return { query: query as unknown as PoolClient['query'] };
}
