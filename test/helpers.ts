/**
 * Shared test fixtures. The model is trained once per run (test/global-setup.ts); a whole Puente core is built with the
 * same `createCore` as production, on a real SQLite file (or a PostgreSQL schema), with a fake clock, a fake channel
 * that records what was sent, and a fake staff phone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Notifier, Outbound } from '../src/channels/channel';
import type { Clock } from '../src/clock';
import { loadConfig, type Config } from '../src/config';
import { createCore, type Core } from '../src/core';
import type { Understander } from '../src/dialogue/engine';
import type { InboundMessage } from '../src/dialogue/types';
import { createLogger } from '../src/log';
import { loadCorpus } from '../src/nlu/corpus';
import { readSaved } from '../src/nlu/model-store';
import { DEFAULT_DECISION, Nlu, trainModel, type TrainedModel } from '../src/nlu/nlu';
import { SqliteStore } from '../src/storage/sqlite/store';
import type { Store } from '../src/store';

export const ROOT = resolve(__dirname, '..');
export const INTENTS_DIR = join(ROOT, 'intents');
export const RESPONSES_DIR = join(ROOT, 'responses');

let model: TrainedModel | undefined;
/** The model trained on the project's own intents: the one global setup saved, or trained here if run alone. */
export function projectModel(): TrainedModel {
  if (model) return model;
  const file = process.env.PUENTE_TEST_MODEL;
  model = (file ? readSaved(file) : undefined) ?? trainModel(loadCorpus(INTENTS_DIR));
  return model;
}

export function projectNlu(): Nlu {
  return new Nlu(projectModel(), DEFAULT_DECISION);
}

/** A temporary folder removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'puente-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public current = new Date('2026-11-30T15:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Resolves once `check` returns true, polling; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

/** Collects log lines so tests can check what was (not) logged. */
export function memoryLog(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { log: createLogger({ level, destination: stream, pretty: false }), lines };
}

/** The configuration tests use: the defaults of SPEC §10 plus `env`. */
export function testConfig(env: Record<string, string> = {}, dataDir = tmpdir()): Config {
  return loadConfig({ TRANSPORT: 'none', DATA_DIR: dataDir, STAFF_WHATSAPP_NUMBERS: '15550001111', ...env }, ROOT, ROOT);
}

/** A staff phone that records notifications; `failing` makes the next sends reject. */
export function fakeStaffPhone() {
  const received: { to: string; text: string }[] = [];
  const phone = {
    received,
    failing: 0,
    notifier: {
      notify: async (to: string, text: string) => {
        if (phone.failing > 0) {
          phone.failing--;
          throw new Error('channel not connected');
        }
        received.push({ to, text });
      },
    } satisfies Notifier,
  };
  return phone;
}

/** A channel that records what it sent; `down` makes sends fail (the channel is not connected). */
export function fakeChannel() {
  const sent: { chat: string; text: string }[] = [];
  const channel = {
    sent,
    down: false,
    outbound: {
      send: async (chat: string, text: string) => {
        if (channel.down) throw new Error('channel not connected');
        sent.push({ chat, text });
      },
    } satisfies Outbound,
  };
  return channel;
}

let harnesses = 0;

/** Options of {@link harness}. */
export interface HarnessOptions {
  /** Share a SQLite file with another harness (another process, as far as SQLite knows). */
  readonly dbFile?: string;
  /** Use this store (a PostgreSQL schema, a wrapped store) instead of a new SQLite file. */
  readonly store?: Store;
  /** Environment variables for the configuration (OFFICE_HOURS, HANDOFF_IDLE_HOURS, CONSULTATION_FEE…). */
  readonly env?: Record<string, string>;
  /** Start time (default Monday 2026-11-30 10:00 in New York). */
  readonly at?: Date;
  /** Sends replies through this instead of the fake channel (a channel under test). */
  readonly outbound?: Outbound;
  /** Understands messages with this instead of the project's model (a scripted understander). */
  readonly understander?: Understander;
}

/** A whole Puente core on a real database, with a fake clock, channel and staff phone. */
export async function harness(options: HarnessOptions = {}) {
  const tmp = tempDir();
  const config = testConfig(options.env, tmp.dir);
  const store = options.store ?? SqliteStore.open(options.dbFile ?? join(tmp.dir, 'puente.db'));
  const clock = new FakeClock(options.at);
  const channel = fakeChannel();
  const { log, lines } = memoryLog();
  const staff = fakeStaffPhone();
  const core: Core = await createCore({
    config, log, clock, store, outbound: options.outbound ?? channel.outbound, notifier: staff.notifier,
    understander: options.understander ?? projectNlu(), owner: `test-${++harnesses}`, sender: { backoffMs: [5_000, 60_000, 600_000] },
  });
  let counter = 0;
  const prefix = `h${harnesses}`; // message ids unique across harnesses that share one database
  /** Sends a message and returns the replies it produced, in order. */
  const say = async (chat: string, text: string, extra: Partial<InboundMessage> = {}): Promise<string[]> => {
    const before = channel.sent.length;
    await core.runner.handle({ id: `${prefix}-m${counter++}`, chat, text, type: 'text', receivedAt: clock.now(), ...extra });
    return channel.sent.slice(before).filter((s) => s.chat === chat).map((s) => s.text);
  };
  return {
    core, store: core.store, runner: core.runner, clock, channel, sent: channel.sent, log, logLines: lines, staff, config,
    notifications: core.notifications, dbFile: options.dbFile ?? join(tmp.dir, 'puente.db'), say,
    close: async () => {
      await core.close();
      tmp.remove();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;
