/** Shared test fixtures: the real model trained once per test file, real content, real SQLite in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { ExplainerLibrary } from '../src/content/explainers';
import { Composer, firmPlaceholders } from '../src/dialogue/compose';
import { parseOfficeHours } from '../src/booking/office-hours';
import { DialogueEngine, type EngineSettings } from '../src/dialogue/engine';
import { NotificationDispatcher, notificationPlanner, type Notifier } from '../src/handoff/notify';
import type { InboundMessage } from '../src/dialogue/types';
import { createLogger } from '../src/log';
import { loadCorpus } from '../src/nlu/corpus';
import { DEFAULT_DECISION, Nlu, trainModel, type TrainedModel } from '../src/nlu/nlu';
import { openDatabase } from '../src/storage/sqlite';
import { SqliteStore } from '../src/storage/sqlite-store';
import type { ConversationStore } from '../src/storage/types';
import { TurnRunner, type Clock, type Outbound } from '../src/turn';

export const ROOT = resolve(__dirname, '..');
export const INTENTS_DIR = join(ROOT, 'intents');
export const RESPONSES_DIR = join(ROOT, 'responses');

let model: TrainedModel | undefined;
/** The model trained on the project's own intents (once per test file). */
export function projectModel(): TrainedModel {
  return (model ??= trainModel(loadCorpus(INTENTS_DIR)));
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
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Collects log lines so tests can check what was (not) logged. */
export function memoryLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { log: createLogger({ level: 'info', destination: stream, pretty: false }), lines };
}

/** The firm settings tests use unless they say otherwise (the defaults of SPEC §10). */
export const TEST_SETTINGS: EngineSettings = {
  hours: parseOfficeHours('Mon-Fri 09:00-17:00'),
  timezone: 'America/New_York',
  consultationMinutes: 40,
  bookingLeadHours: 24,
  timing: { idleHours: 24, reminderMinutes: 60 },
};

export function engineWith(firm: Record<string, string | undefined> = {}, settings: Partial<EngineSettings> = {}): DialogueEngine {
  const all = { ...TEST_SETTINGS, ...settings };
  const composer = new Composer(ExplainerLibrary.load(RESPONSES_DIR), firmPlaceholders({ hours: 'Mon-Fri 09:00-17:00', ...firm }, { fee: all.fee, minutes: all.consultationMinutes }), 90);
  return new DialogueEngine({ nlu: projectNlu(), composer, settings: all });
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

let harnesses = 0;

/** Options of {@link harness}. */
export interface HarnessOptions {
  /** Share a database file with another harness (another process, as far as SQLite knows). */
  dbFile?: string;
  settings?: Partial<EngineSettings>;
  staffNumbers?: string[];
  /** Start time (default Monday 2026-11-30 10:00 in New York). */
  at?: Date;
  /** Sends replies through this instead of recording them (a channel under test). */
  outbound?: Outbound;
  /** Wraps the store the runner uses (to simulate another process writing at a chosen moment). */
  wrapStore?: (store: SqliteStore) => ConversationStore;
}

/** A whole Puente core on a real SQLite file, with a fake channel that records what was sent. */
export function harness(options: HarnessOptions = {}) {
  const tmp = options.dbFile ? undefined : tempDir();
  const dbFile = options.dbFile ?? join(tmp!.dir, 'puente.db');
  const db = openDatabase(dbFile);
  const settings = { ...TEST_SETTINGS, ...options.settings };
  const store = new SqliteStore(db, notificationPlanner({ staffNumbers: options.staffNumbers ?? ['15550001111'], hours: settings.hours, timezone: settings.timezone }));
  const clock = new FakeClock(options.at);
  const sent: { chat: string; text: string }[] = [];
  const { log, lines } = memoryLog();
  const staff = fakeStaffPhone();
  const notifications = new NotificationDispatcher({ store, notifier: staff.notifier, clock, log });
  const runner = new TurnRunner({ store: options.wrapStore ? options.wrapStore(store) : store, engine: engineWith({}, settings), outbound: options.outbound ?? { send: async (chat, text) => void sent.push({ chat, text }) }, log, clock });
  let counter = 0;
  const prefix = `h${++harnesses}`; // message ids unique across harnesses that share one database
  /** Sends a message and returns the replies it produced. */
  const say = async (chat: string, text: string, extra: Partial<InboundMessage> = {}): Promise<string[]> => {
    const before = sent.length;
    await runner.handle({ id: `${prefix}-m${counter++}`, chat, text, type: 'text', receivedAt: clock.now(), ...extra });
    return sent.slice(before).filter((s) => s.chat === chat).map((s) => s.text);
  };
  return {
    db, store, clock, sent, log, logLines: lines, runner, say, dbFile, staff, notifications,
    close: () => {
      db.close();
      tmp?.remove();
    },
  };
}
