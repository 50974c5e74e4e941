/**
 * Full turns per second, as a server runs them: each message is claimed, understood, decided, written durably and
 * its replies sent (to a channel that accepts at once) and recorded as sent. Many chats at a time, each writing its
 * messages in order, spaced so the flood limit never holds one back. Runs in this process, or in worker processes
 * (`node dist/bench/turns.js`) to measure several servers on one database.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config';
import { createCore, logNotifier } from '../core';
import { createLogger } from '../log';
import { loadOrTrain } from '../nlu/model-store';
import { DEFAULT_DECISION, Nlu } from '../nlu/nlu';
import { PostgresStore } from '../storage/postgres/store';
import { SqliteStore } from '../storage/sqlite/store';
import type { Store } from '../store';

/** The V8 flags of `npm start` (package.json) and the Docker image: a small young generation, so memory stays flat. */
export const START_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** Latency percentiles in microseconds. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

/** What one run measured. */
export interface TurnsFigure {
  readonly count: number;
  readonly concurrency: number;
  readonly perSecond: number;
  readonly latencyUs: Latency;
  /** How busy the whole machine's CPUs were during the run (0–1): every process, the database server's included. */
  readonly machineBusy?: number;
  /** When the figure is the median of several rounds: each round's turns per second, in order. */
  readonly runs?: readonly number[];
}

/** The machine's CPU time so far, idle and in all (every core, every process). */
function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

/** Share of the machine's CPU time that was busy since `before`. */
function busySince(before: { idle: number; total: number }): number {
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? Math.round((1 - (after.idle - before.idle) / total) * 100) / 100 : 0;
}

export function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) };
}

/** What clients write, in order, in each benchmark chat. */
const CONVERSATION = ['hola', 'what is 287g', 'que es un habeas corpus', 'my uscis case has been delayed for two years', 'gracias', 'menu', '4', 'ok thanks'];

/**
 * Runs `count` turns over `concurrency` chats at a time on `store`, message times 10 s apart per chat (no flood).
 * `chatPrefix` keeps runs on one database apart.
 */
async function runTurns(
  config: Config,
  store: Store,
  options: {
    count: number; concurrency: number; chatPrefix: string; nlu?: Nlu; messagesPerChat?: number; onProgress?: (done: number) => void;
    /** `inbox`: as the Cloud API webhook does, each message stored in the inbox (committed), then the chat drained. */
    inbox?: boolean;
  },
): Promise<TurnsFigure> {
  const perChat = options.messagesPerChat ?? CONVERSATION.length;
  const log = createLogger({ level: 'silent', destination: process.stderr, pretty: false });
  const nlu = options.nlu ?? projectNlu(config);
  const clock = { now: () => new Date() };
  const core = await createCore({ config, log, clock, store, outbound: { send: async () => undefined }, notifier: logNotifier(log), understander: nlu });
  const samples: number[] = [];
  let next = 0;
  const base = Date.now();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: options.concurrency }, async (_, worker) => {
    for (;;) {
      const i = next++;
      if (i >= options.count) return;
      // Each worker's chats get their messages in order, `perChat` messages of CONVERSATION each.
      const k = Math.floor(i / options.concurrency);
      const chat = `${options.chatPrefix}${worker}-${Math.floor(k / perChat)}`;
      const t0 = process.hrtime.bigint();
      const message = { id: `${chat}-${k}`, chat, text: CONVERSATION[(k % perChat) % CONVERSATION.length], type: 'text' as const, receivedAt: new Date(base + k * 10_000) };
      if (options.inbox) {
        await core.runner.accept([{ kind: 'message', message }]);
        await core.runner.drain(chat);
      } else {
        await core.runner.handle(message);
      }
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
      options.onProgress?.(i + 1);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await core.close();
  return { count: options.count, concurrency: options.concurrency, perSecond: Math.round(options.count / seconds), latencyUs: percentiles(samples) };
}

/** The project's model (trained and saved in DATA_DIR when missing or stale). */
export function projectNlu(config: Config): Nlu {
  return new Nlu(loadOrTrain(config.intentsDir, join(config.dataDir, 'model.json')).model, DEFAULT_DECISION);
}

/**
 * Turns on a fresh SQLite file in a temporary folder, in a worker process started with `npm start`'s flags: a server
 * process, not this one (whose heap holds the classifier benchmarks that ran before).
 */
export async function sqliteTurns(count: number, concurrency: number): Promise<TurnsFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'));
  const child = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [...START_FLAGS] });
  try {
    return await new Promise<TurnsFigure>((resolve, reject) => {
      let cpu = cpuTimes();
      child.on('message', (m: WorkerAnswer) => {
        if ('ready' in m) {
          cpu = cpuTimes();
          child.send('go');
        }
        if ('figure' in m) resolve({ ...m.figure, machineBusy: busySince(cpu) });
        if ('error' in m) reject(new Error(m.error));
      });
      child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
      child.send({ kind: 'sqlite', file: join(dir, 'puente.db'), count, concurrency, chatPrefix: 'c' } satisfies WorkerRequest);
    });
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A worker process's request and answer. */
type WorkerRequest =
  | { kind: 'postgres'; url: string; count: number; concurrency: number; chatPrefix: string; inbox?: boolean }
  | { kind: 'sqlite'; file: string; count: number; concurrency: number; chatPrefix: string }
  | { kind: 'memory'; checkpoints: number[]; concurrency: number };
type WorkerAnswer = { ready: true } | { figure: TurnsFigure } | { memory: { chats: number; rssMb: number }[] } | { error: string };

/**
 * Turns on PostgreSQL with `servers` worker processes (each a Puente server) started together on one schema; the
 * figure is the total over the wall time from the start signal until the last finished.
 */
export async function postgresTurns(url: string, servers: number, countEach: number, concurrency: number, inbox = false): Promise<TurnsFigure & { servers: number; inbox?: boolean }> {
  const workers = Array.from({ length: servers }, () => fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  try {
    const ready = workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', (m: WorkerAnswer) => ('ready' in m ? resolve() : reject(new Error('error' in m ? m.error : 'worker failed'))));
      w.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
    }));
    workers.forEach((w, i) => w.send({ kind: 'postgres', url, count: countEach, concurrency, chatPrefix: `s${i}-`, inbox } satisfies WorkerRequest));
    await Promise.all(ready);
    const started = process.hrtime.bigint();
    const cpu = cpuTimes();
    const figures = await Promise.all(workers.map((w) => new Promise<TurnsFigure>((resolve, reject) => {
      w.once('message', (m: WorkerAnswer) => ('figure' in m ? resolve(m.figure) : reject(new Error('error' in m ? m.error : 'worker failed'))));
      w.send('go');
    })));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const machineBusy = busySince(cpu);
    const count = figures.reduce((n, f) => n + f.count, 0);
    const p50 = Math.max(...figures.map((f) => f.latencyUs.p50));
    const p99 = Math.max(...figures.map((f) => f.latencyUs.p99));
    const mean = Math.round(figures.reduce((n, f) => n + f.latencyUs.mean, 0) / figures.length);
    return { servers, count, concurrency, perSecond: Math.round(count / seconds), latencyUs: { p50, p99, mean }, machineBusy, ...(inbox ? { inbox } : {}) };
  } finally {
    for (const w of workers) w.kill();
  }
}

/**
 * Resident memory of a server as the number of chats grows (SQLite, one message per new chat, in a separate process
 * so nothing else is counted): measured after a garbage collection at each checkpoint.
 */
export async function memoryByChats(checkpoints: number[], concurrency = 32): Promise<{ chats: number; rssMb: number }[]> {
  // The V8 flag `npm start` runs with (package.json), and a GC before each reading.
  const child = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: ['--expose-gc', ...START_FLAGS] });
  try {
    return await new Promise((resolve, reject) => {
      child.on('message', (m: WorkerAnswer) => {
        if ('memory' in m) resolve(m.memory);
        if ('error' in m) reject(new Error(m.error));
      });
      child.once('exit', (code) => reject(new Error(`memory worker exited (${code})`)));
      child.send({ kind: 'memory', checkpoints, concurrency } satisfies WorkerRequest);
    });
  } finally {
    child.kill();
  }
}

/** In a worker process: connect, say ready, run on "go", report; or measure memory. */
async function worker(): Promise<void> {
  const request = await new Promise<WorkerRequest>((resolve) => process.once('message', (m: WorkerRequest) => resolve(m)));
  try {
    if (request.kind === 'memory') {
      process.send!({ memory: await measureMemory(request.checkpoints, request.concurrency) } satisfies WorkerAnswer);
      return;
    }
    const config = loadConfig({ ...process.env, TRANSPORT: 'none', DATABASE_URL: request.kind === 'postgres' ? request.url : '' });
    const store = request.kind === 'postgres' ? await PostgresStore.connect(request.url, { max: Math.min(request.concurrency, 20) }) : SqliteStore.open(request.file);
    // The model is loaded before the start signal, so the measure is turns only.
    const nlu = projectNlu(config);
    process.send!({ ready: true } satisfies WorkerAnswer);
    await new Promise<void>((resolve) => process.once('message', () => resolve()));
    const figure = await runTurns(config, store, { ...request, nlu });
    process.send!({ figure } satisfies WorkerAnswer);
  } catch (err) {
    process.send!({ error: (err as Error).message } satisfies WorkerAnswer);
  }
}

async function measureMemory(checkpoints: number[], concurrency: number): Promise<{ chats: number; rssMb: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-memory-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const config = loadConfig({ ...process.env, TRANSPORT: 'none', DATABASE_URL: '' });
    const nlu = projectNlu(config);
    const results: { chats: number; rssMb: number }[] = [];
    const last = Math.max(...checkpoints);
    const points = new Set(checkpoints);
    let pending: Promise<void> = Promise.resolve();
    // One message per chat: every turn is a chat never seen before (the case that grew memory).
    await runTurns({ ...config, databaseUrl: undefined }, SqliteStore.open(join(dir, 'puente.db')), {
      count: last, concurrency, chatPrefix: 'm', nlu, messagesPerChat: 1,
      onProgress: (done) => {
        if (!points.has(done)) return;
        // Read while the server keeps working: after a full collection, and another once V8 has had a moment to give
        // the freed pages back (read at once, the figure is V8's passing high-water mark, not what the chats hold).
        pending = pending.then(async () => {
          gc?.();
          await new Promise((settle) => setTimeout(settle, 200));
          gc?.();
          results.push({ chats: done, rssMb: Math.round(process.memoryUsage().rss / 1_048_576) });
        });
      },
    });
    await pending;
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.send) void worker();
