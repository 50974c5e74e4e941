/**
 * `npx puente bench`: the speed figures of SPEC §11 and issue 11, measured on this machine. Classification latency of
 * Puente's classifier next to natural's BayesClassifier on the same data; full turns per second on SQLite and on
 * PostgreSQL (one server, and two server processes on one database); resident memory as chats grow; start-to-ready
 * time and memory of `puente start`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { PostgresStore } from '../storage/postgres/store';
import { memoryByChats, percentiles, postgresTurns, sqliteTurns, START_FLAGS, type Latency, type TurnsFigure } from './turns';

import { loadCorpus, type Example } from '../nlu/corpus';
import { stratifiedFolds } from '../nlu/folds';
import { DEFAULT_DECISION, Nlu, trainModel } from '../nlu/nlu';

type Io = { stdout: NodeJS.WritableStream };

/** All bench figures. */
export interface BenchResult {
  readonly corpus: { examples: number; intents: number; vocabulary: number };
  readonly puente: { trainMs: number; accuracy: number; latencyUs: Latency };
  readonly natural: { trainMs: number; accuracy: number; latencyUs: Latency };
  readonly turns: { readonly sqlite: readonly TurnsFigure[]; readonly postgres: readonly PostgresFigure[] | { error: string } };
  readonly memory: readonly { chats: number; rssMb: number }[] | { error: string };
  readonly startup: { firstStartMs: number; readyMs: number; rssMb: number } | { error: string };
}

function time<T>(fn: () => T): { value: T; us: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, us: Number(process.hrtime.bigint() - t0) / 1000 };
}

function split(examples: readonly Example[]) {
  const folds = stratifiedFolds(examples, 5, (e) => `${e.intent}|${e.lang}`, (e) => e.text);
  return { train: examples.filter((_, i) => folds[i] !== 0), test: examples.filter((_, i) => folds[i] === 0) };
}

function measureClassifier(classify: (text: string) => string, test: readonly Example[], rounds: number) {
  let correct = 0;
  for (const e of test) if (classify(e.text) === e.intent) correct++;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) for (const e of test) samples.push(time(() => classify(e.text)).us);
  return { accuracy: correct / test.length, latencyUs: percentiles(samples) };
}

function benchPuente(train: Example[], test: Example[]) {
  const trained = time(() => trainModel({ examples: train, fingerprint: 'bench' }));
  // Top-1 accuracy without the "would not guess" threshold, comparable with natural's forced choice.
  const nlu = new Nlu(trained.value, { threshold: 0, margin: 0 });
  const gated = new Nlu(trained.value, DEFAULT_DECISION);
  for (const e of test) gated.understand(e.text); // warm-up
  const result = measureClassifier((t) => nlu.understand(t).intent, test, 20);
  return { trainMs: Math.round(trained.us / 1000), ...result, vocabulary: trained.value.intent.features.length };
}

function benchNatural(train: Example[], test: Example[]) {
  // By path: the package root loads ~1,300 modules and prints to stdout.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BayesClassifier } = require('natural/lib/natural/classifiers') as { BayesClassifier: new () => { addDocument(t: string, l: string): void; train(): void; classify(t: string): string } };
  const classifier = new BayesClassifier();
  const trained = time(() => {
    for (const e of train) classifier.addDocument(e.text, e.intent);
    classifier.train();
  });
  for (const e of test.slice(0, 50)) classifier.classify(e.text); // warm-up
  return { trainMs: Math.round(trained.us / 1000), ...measureClassifier((t) => classifier.classify(t), test, 3) };
}

/** Starts `puente start` (TRANSPORT=none, port 0) and waits for its "ready" log line. */
function startOnce(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const bin = resolve(__dirname, '..', '..', 'bin', 'puente.js');
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...START_FLAGS, bin, 'start'], {
      env: { ...process.env, TRANSPORT: 'none', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('puente start was not ready within 20 s'));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (!/"msg":"ready"/.test(buffer)) return;
      const ms = performance.now() - t0;
      let rssMb = 0;
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        // not Linux: memory not measured
      }
      clearTimeout(timer);
      child.once('exit', () => done({ ms, rssMb }));
      child.kill('SIGTERM');
    });
    child.once('error', fail);
  });
}

async function benchStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'puente-start-'));
  try {
    const first = await startOnce(dir); // trains and saves the model
    const runs = [await startOnce(dir), await startOnce(dir), await startOnce(dir)];
    const best = runs.sort((a, b) => a.ms - b.ms)[1]; // median of three
    return { firstStartMs: Math.round(first.ms), readyMs: Math.round(best.ms), rssMb: Math.round(best.rssMb) };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PostgreSQL server the bench uses: BENCH_DATABASE_URL, DATABASE_URL, or the local server. */
function benchDatabaseUrl(config: Config): string {
  return process.env.BENCH_DATABASE_URL ?? config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Rounds of every turns measurement; each figure is the median round (the machine's speed drifts between runs). */
const ROUNDS = 3;

/** The round with the median turns per second, with every round's figure. */
function median<T extends TurnsFigure>(runs: readonly T[]): T {
  const sorted = [...runs].sort((x, y) => x.perSecond - y.perSecond);
  return { ...sorted[Math.floor(sorted.length / 2)], runs: runs.map((r) => r.perSecond) };
}

type PostgresFigure = TurnsFigure & { servers: number; inbox?: boolean };

/**
 * One server and two server processes, then one server through the inbox, each run on a fresh schema (dropped after);
 * the three interleaved, {@link ROUNDS} times.
 */
async function benchPostgres(config: Config): Promise<PostgresFigure[] | { error: string }> {
  const base = new URL(benchDatabaseUrl(config));
  // One server and two on the direct path, then one server as the Cloud API webhook runs it (through the inbox).
  const kinds = [[1, false], [2, false], [1, true]] as const;
  const runs: PostgresFigure[][] = kinds.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, [servers, inbox]] of kinds.entries()) {
      const schema = `puente_bench_${randomBytes(4).toString('hex')}`;
      base.searchParams.set('schema', schema);
      const url = base.toString();
      try {
        const store = await PostgresStore.connect(url, { max: 1 }); // creates and migrates the schema
        await store.close();
        runs[k].push(await postgresTurns(url, servers, 8_000, 32, inbox));
      } catch (err) {
        return { error: `PostgreSQL at ${base.host} not measured: ${(err as Error).message.split('\n')[0]}` };
      } finally {
        const cleaner = await PostgresStore.connect(url, { max: 1 }).catch(() => undefined);
        await cleaner?.dropSchema();
        await cleaner?.close();
      }
    }
  }
  return runs.map(median);
}

/** SQLite turns, one chat at a time and 32, interleaved, {@link ROUNDS} times. */
async function benchSqlite(): Promise<TurnsFigure[]> {
  const runs: TurnsFigure[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    runs[0].push(await sqliteTurns(10_000, 1));
    runs[1].push(await sqliteTurns(20_000, 32));
  }
  return runs.map(median);
}

/** Runs every benchmark and prints a table (or JSON). */
export async function runBench(config: Config, opts: { json: boolean }, io: Io): Promise<number> {
  const corpus = loadCorpus(config.intentsDir);
  const { train, test } = split(corpus.examples);
  const puente = benchPuente(train, test);
  const natural = benchNatural(train, test);
  const sqlite = await benchSqlite();
  const postgres = await benchPostgres(config);
  const memory = await memoryByChats([20_000, 100_000]).catch((err: Error) => ({ error: err.message }));
  const startup = await benchStartup();
  const result: BenchResult = {
    corpus: { examples: corpus.examples.length, intents: corpus.intents.length, vocabulary: puente.vocabulary },
    puente: { trainMs: puente.trainMs, accuracy: puente.accuracy, latencyUs: puente.latencyUs },
    natural,
    turns: { sqlite, postgres },
    memory,
    startup,
  };
  io.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatBench(result));
  return 0;
}

/** Two servers' turns per second next to one's, on the direct path. */
function twoServers(figures: readonly PostgresFigure[]): string[] {
  const one = figures.find((f) => f.servers === 1 && !f.inbox);
  const two = figures.find((f) => f.servers === 2 && !f.inbox);
  if (!one || !two) return [];
  // Each round's two servers next to the same round's one (the machine's speed drifts between rounds).
  const ratios = one.runs && two.runs ? one.runs.map((n, i) => two.runs![i] / n) : [two.perSecond / one.perSecond];
  const sorted = [...ratios].sort((a, b) => a - b);
  const each = ratios.length > 1 ? ` (median of ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
  return [`  two servers: ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} × one${each}; the database server runs on the same ${cpus().length} cores`];
}

function formatBench(r: BenchResult): string {
  const lat = (l: Latency) => `p50 ${l.p50} µs   p99 ${l.p99} µs   mean ${l.mean} µs`;
  const busy = (t: TurnsFigure) => (t.machineBusy === undefined ? '' : `   machine CPU ${Math.round(t.machineBusy * 100)}% busy`);
  const rounds = (t: TurnsFigure) => (t.runs ? ` (median of ${t.runs.join(', ')})` : '');
  const s = r.startup;
  return [
    `Corpus: ${r.corpus.examples} examples, ${r.corpus.intents} intents, ${r.corpus.vocabulary} features; 80/20 stratified split`,
    '',
    'Classification (one message, including normalisation, language detection and stemming):',
    `  Puente sparse log-space NB   accuracy ${r.puente.accuracy.toFixed(3)}   train ${r.puente.trainMs} ms   ${lat(r.puente.latencyUs)}`,
    `  natural BayesClassifier      accuracy ${r.natural.accuracy.toFixed(3)}   train ${r.natural.trainMs} ms   ${lat(r.natural.latencyUs)}`,
    `  target: p99 ≤ 100 µs`,
    '',
    'Full turns (message id claimed, classify, dialogue, durable write, reply sent and recorded as sent):',
    ...r.turns.sqlite.map((t) => `  SQLite, ${t.concurrency} chat${t.concurrency > 1 ? 's' : ''} at a time: ${t.perSecond} turns/s${rounds(t)} over ${t.count}   ${lat(t.latencyUs)}${busy(t)}`),
    '  target: ≥ 5,000 turns/s',
    ...('error' in r.turns.postgres
      ? [`  ${r.turns.postgres.error}`]
      : [
        ...r.turns.postgres.map((t) => `  PostgreSQL, ${t.servers} server${t.servers > 1 ? 's' : ''} × ${t.concurrency} chats at a time${t.inbox ? ', each message through the inbox first (Cloud API webhook)' : ''}: ${t.perSecond} turns/s${rounds(t)} over ${t.count}   ${lat(t.latencyUs)}${busy(t)}`),
        ...twoServers(r.turns.postgres),
      ]),
    '  targets: one server ≥ 1,500 turns/s; two servers ≥ 1.6 × one',
    '',
    'error' in r.memory
      ? `Memory as chats grow: ${r.memory.error}`
      : `Resident memory as chats grow (SQLite, after GC): ${r.memory.map((m) => `${m.rssMb} MB at ${m.chats.toLocaleString('en-US')} chats`).join(', ')}`,
    '  target: flat, ≤ 150 MB',
    '',
    'error' in s
      ? `Start-up: ${s.error}`
      : `Start to ready (puente start, TRANSPORT=none): ${s.readyMs} ms with a saved model (first start, training included: ${s.firstStartMs} ms); resident memory ${s.rssMb} MB`,
    '  targets: ≤ 1,500 ms, ≤ 150 MB',
    '',
  ].join('\n');
}
