/**
 * Several Puente servers on one database, for real: `puente start` processes with the Cloud API channel, a fake
 * Graph API on loopback, signed webhooks from many chats sent to alternating servers with Meta-style redeliveries,
 * and one server killed with SIGKILL in the middle and started again. Checked in the database and at the fake Graph
 * API: every message acknowledged with 200 is handled exactly once, in order per chat; every reply goes out, in order,
 * at most the replies in flight at the kill twice; no consultation time is held twice.
 *
 * Sizes fit CI; run larger by hand with SCALE_CHATS=400 SCALE_ROUNDS=5 npx jest test/scale.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT, tempDir } from '../helpers';
import { fakeGraph, sign, textWebhook, wamid, type Graph } from '../support/meta';
import { dropSchema, postgresAvailable, schemaName, schemaUrl } from '../support/postgres';

const PHONE_ID = '106540352242922';
const APP_SECRET = 'scale-app-secret';
const CHATS = Number(process.env.SCALE_CHATS ?? 200);
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 5);
/** Chats that book a consultation (all racing for the same first free time). */
const BOOKERS = Math.min(20, CHATS);
const BOOKING = ['i want to book a consultation', 'by phone', 'Ana Ruiz', '1', 'my asylum case', 'yes'];
const QUESTIONS = ['hola', 'what is 287g', 'que es un habeas corpus', 'my uscis case is delayed for 2 years', 'gracias', 'menu', 'agent'];

/** A running `puente start`. */
interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: string[];
}

/** Every process started, from the moment it is spawned: all are killed after each test, ready or not. */
const children = new Set<ChildProcess>();

function start(name: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'puente.js'), 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready in 30 s:\n${log.join('')}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      const ready = /"port":(\d+)[^\n]*"msg":"ready"/.exec(log.join(''));
      if (ready) {
        clearTimeout(timer);
        resolve({ name, child, port: Number(ready[1]), log });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${log.join('')}`)));
  });
}

/** One chat's messages, in the order the client writes them. */
function script(i: number): string[] {
  if (i < BOOKERS) return BOOKING;
  return Array.from({ length: ROUNDS }, (_, r) => QUESTIONS[(i + r) % QUESTIONS.length]);
}

/** What a run checks its results against: the database it used (PostgreSQL schema or SQLite file). */
interface Database {
  count(sql: string): Promise<number>;
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function postgresDatabase(schema: string): Promise<Database> {
  const db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await db.connect();
  await db.query(`SET search_path TO "${schema}"`);
  return {
    count: async (sql) => Number((await db.query<{ n: string }>(sql)).rows[0].n),
    rows: async <T>(sql: string) => (await db.query(sql)).rows as T[],
    close: () => db.end(),
  };
}

function sqliteDatabase(file: string): Database {
  return {
    count: async (sql) => {
      const db = new Database(file, { readonly: true });
      try {
        return Number((db.prepare(sql).get() as { n: number }).n);
      } finally {
        db.close();
      }
    },
    rows: async <T>(sql: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all() as T[];
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

/**
 * Sends every chat's messages as signed webhooks to the servers (alternating, Meta redelivering some), kills the first
 * server with SIGKILL when 40% are delivered and starts it again, waits until everything is handled and sent, and
 * checks the results in `database` and at the fake Graph API.
 */
async function run(options: { servers: number; env: Record<string, string>; graph: Graph; database: () => Promise<Database>; started: Server[]; over: () => boolean }) {
  const { env, graph, started } = options;
  const first = await Promise.all(Array.from({ length: options.servers }, (_, k) => start(String.fromCharCode(65 + k), env)));
  started.push(...first);
  const live = [...first];
  const victim = first[0];

  const total = Array.from({ length: CHATS }, (_, i) => script(i).length).reduce((x, y) => x + y, 0);
  let delivered = 0;
  let redeliveries = 0;
  let killed = false;
  let restarting: Promise<void> | undefined;
  const post = async (server: Server, body: string): Promise<number> => {
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/whatsapp`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) },
      });
      return res.status;
    } catch {
      return 0; // the server died with the request in flight: Meta delivers it again
    }
  };
  /** Meta's side: a webhook is delivered until some server answers 200, to alternating servers. */
  const until200 = async (body: string, from: number): Promise<void> => {
    for (let attempt = 0; !options.over(); attempt++) {
      if (attempt > 200) throw new Error('no server accepted a webhook in 200 attempts');
      if (live.length > 0 && (await post(live[(from + attempt) % live.length], body)) === 200) return;
      await new Promise((done) => setTimeout(done, 200));
    }
  };
  const deliver = async (body: string, from: number): Promise<void> => {
    await until200(body, from);
    delivered++;
    if (delivered % 9 === 0) {
      // A redelivery of a webhook that already got its 200, to another server (Meta does this).
      redeliveries++;
      await until200(body, from + 1);
    }
    if (!killed && delivered >= total * 0.4) {
      killed = true;
      victim.child.kill('SIGKILL');
      live.splice(live.indexOf(victim), 1);
      restarting = start(`${victim.name}2`, env).then((again) => {
        started.push(again);
        live.push(again);
      });
    }
  };

  // Each chat writes its messages one after another (Meta delivers one chat in order); chats run side by side.
  const numbers = Array.from({ length: CHATS }, (_, i) => `1555${String(1_000_000 + i)}`);
  try {
    await Promise.all(numbers.map(async (from, i) => {
      for (const [r, text] of script(i).entries()) {
        await deliver(textWebhook(PHONE_ID, [{ from, id: wamid(`${from}${r}`), text }]), i + r);
      }
    }));
  } finally {
    await restarting;
  }
  expect(killed).toBe(true);
  expect(redeliveries).toBeGreaterThan(0);

  const db = await options.database();
  try {
    // Everything acknowledged is handled and every reply sent (the killed server's claims run out after the lease).
    const deadline = Date.now() + 90_000;
    while ((await db.count('SELECT COUNT(*) AS n FROM inbox')) > 0 || (await db.count('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL')) > 0) {
      if (Date.now() > deadline) throw new Error('the servers did not finish in 90 s');
      await new Promise((done) => setTimeout(done, 200));
    }

    // Every message handled exactly once, in the order the client wrote it.
    const inbound = await db.rows<{ chat: string; text: string }>(`SELECT chat, text FROM messages WHERE direction = 'in' ORDER BY id`);
    expect(inbound).toHaveLength(total);
    const byChat = new Map<string, string[]>();
    for (const row of inbound) byChat.set(row.chat, [...(byChat.get(row.chat) ?? []), row.text]);
    numbers.forEach((from, i) => expect([from, byChat.get(from)]).toEqual([from, script(i)]));

    // Every reply went out; per chat, in the order it was queued; repeated only for what was in flight at the kill.
    const queued = await db.rows<{ chat: string; text: string }>('SELECT chat, text FROM outbox WHERE failed_at IS NULL ORDER BY id');
    expect(await db.count('SELECT COUNT(*) AS n FROM outbox WHERE failed_at IS NOT NULL')).toBe(0);
    const sent = graph.delivered();
    let repeats = 0;
    for (const from of numbers) {
      const expected = queued.filter((r) => r.chat === from).map((r) => r.text);
      const got = sent.filter((s) => s.to === from).map((s) => s.text);
      const once = got.filter((text, k) => k === 0 || text !== got[k - 1] || expected.filter((e) => e === text).length > 1);
      repeats += got.length - once.length;
      expect([from, once]).toEqual([from, expected]);
    }
    // Only what the killed server had sent but not yet recorded can go out again: at most its SEND_CONCURRENCY.
    process.stderr.write(`scale-out (${options.servers} server${options.servers > 1 ? 's' : ''}): ${total} messages, ${redeliveries} redeliveries, ${sent.length} replies sent, ${repeats} sent twice after the kill\n`);
    expect(repeats).toBeLessThanOrEqual(Number(env.SEND_CONCURRENCY));

    // No consultation time held twice; some booker got the time.
    const overlaps = await db.count(`SELECT COUNT(*) AS n FROM consultations a JOIN consultations b ON a.id < b.id
      AND a.status IN ('requested', 'confirmed') AND b.status IN ('requested', 'confirmed') AND a.start_at < b.end_at AND b.start_at < a.end_at`);
    expect(overlaps).toBe(0);
    expect(await db.count(`SELECT COUNT(*) AS n FROM consultations WHERE status = 'requested'`)).toBeGreaterThan(0);
  } finally {
    await db.close();
  }
}

/** The environment of a `puente start` for these runs. */
function serverEnv(dataDir: string, graph: Graph, extra: Record<string, string>): Record<string, string> {
  return {
    TRANSPORT: 'cloud-api', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLOUD_API_TOKEN: 'token', CLOUD_API_PHONE_NUMBER_ID: PHONE_ID,
    CLOUD_API_APP_SECRET: APP_SECRET, CLOUD_API_VERIFY_TOKEN: 'verify', CLOUD_API_BASE_URL: graph.url, ADMIN_PASSWORD: 'scale test password',
    STAFF_WHATSAPP_NUMBERS: '', LOG_LEVEL: 'info', OUTBOX_LEASE_SECONDS: '10', SEND_CONCURRENCY: '8', ...extra,
  };
}

describe('crash safety and several servers', () => {
  let graph: Graph;
  let tmp: ReturnType<typeof tempDir>;
  const started: Server[] = [];
  let over = false;
  const schemas: string[] = [];

  beforeEach(async () => {
    over = false;
    graph = await fakeGraph();
    tmp = tempDir();
    mkdirSync(join(tmp.dir, 'data'), { recursive: true });
    // The model the test run trained: every server loads it instead of training its own.
    copyFileSync(process.env.PUENTE_TEST_MODEL!, join(tmp.dir, 'data', 'model.json'));
  });

  afterEach(async () => {
    over = true;
    if (process.env.SCALE_LOGS) for (const s of started) writeFileSync(join(process.env.SCALE_LOGS, `${s.name}.log`), s.log.join(''));
    started.splice(0);
    for (const child of children) child.kill('SIGKILL');
    await graph.close();
    for (const schema of schemas.splice(0)) await dropSchema(schema);
    tmp.remove();
  });

  it('one server on SQLite, killed with SIGKILL mid-stream and restarted: nothing acknowledged is lost, each message handled once, only the sends in flight at the kill repeated', async () => {
    const dataDir = join(tmp.dir, 'data');
    await run({ servers: 1, env: serverEnv(dataDir, graph, {}), graph, started, over: () => over, database: async () => sqliteDatabase(join(dataDir, 'puente.db')) });
  }, 240_000);

  (postgresAvailable ? it : it.skip)('two servers on one PostgreSQL database, one killed and restarted: every message once and in order, only the sends in flight at the kill repeated', async () => {
    const schema = schemaName();
    schemas.push(schema);
    await run({ servers: 2, env: serverEnv(join(tmp.dir, 'data'), graph, { DATABASE_URL: schemaUrl(schema) }), graph, started, over: () => over, database: () => postgresDatabase(schema) });
  }, 240_000);
});
