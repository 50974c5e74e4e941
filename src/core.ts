/**
 * The one wiring of Puente's core: storage → understanding → engine → turn runner, outbox sender, staff notifications
 * and periodic jobs. `main.ts` adds a channel and the HTTP server; tests and the bench call {@link createCore} with
 * their own clock, channel, understander or store, so they run exactly what production runs.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Notifier, Outbound } from './channels/channel';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { CountyDirectory } from './content/counties';
import { ExplainerLibrary } from './content/explainers';
import { Composer, firmPlaceholders, type CountyLookup } from './dialogue/compose';
import { DialogueEngine, type EngineSettings, type Understander } from './dialogue/engine';
import { NotificationDispatcher, notificationPlanner } from './handoff/notify';
import { maskChat, type Logger } from './log';
import { loadOrTrain } from './nlu/model-store';
import { DEFAULT_DECISION, Nlu } from './nlu/nlu';
import { retentionPlan } from './privacy/retention';
import { openStore } from './storage/open';
import type { PurgeCounts, Store } from './store';
import { TurnApplier } from './turn/apply';
import { deadOnThisHost, processAlive, senderName } from './turn/claims';
import { TurnRunner } from './turn/runner';
import { OutboxSender } from './turn/sender';

const DAY_MS = 86_400_000;

/** A notifier for channels that cannot message staff (console, none): the notification is logged without its text. */
export function logNotifier(log: Logger): Notifier {
  return {
    notify: async (recipient) => {
      log.info({ recipient: maskChat(recipient) }, 'staff notification (no WhatsApp channel: shown in the dashboard only)');
    },
  };
}

/** The saved model inside DATA_DIR. */
export const modelFile = (config: Config) => join(config.dataDir, 'model.json');

/** Loads (or trains) the model and builds the understanding with the configured threshold. */
export function createNlu(config: Config, log?: Logger): Nlu {
  const load = loadOrTrain(config.intentsDir, modelFile(config));
  log?.info({ source: load.source, examples: load.model.trainedOn, ms: Math.round(load.millis) }, 'model ready');
  return new Nlu(load.model, { ...DEFAULT_DECISION, threshold: config.nluThreshold ?? DEFAULT_DECISION.threshold });
}

/** The engine's booking and handoff settings from configuration. */
export function engineSettings(config: Config): EngineSettings {
  return {
    hours: config.hours,
    timezone: config.timezone,
    consultationMinutes: config.consultationMinutes,
    bookingLeadHours: config.bookingLeadHours,
    fee: config.consultationFee,
    timing: { idleHours: config.handoffIdleHours, reminderMinutes: config.handoffReminderMinutes },
  };
}

/** "Is Nassau County in 287(g)?": the firm's county file, read at start (responses/287g-counties.yml). */
export function countyLookup(config: Config): CountyLookup {
  const directory = CountyDirectory.load(join(config.responsesDir, '287g-counties.yml'));
  return (text, lang) => {
    const match = directory.findCounty(text);
    return match ? directory.describeCounty(match, lang) : undefined;
  };
}

/** Content and firm details turned into replies. */
export function createComposer(config: Config): Composer {
  const library = ExplainerLibrary.load(config.responsesDir);
  return new Composer(library, firmPlaceholders(config.firm, { fee: config.consultationFee, minutes: config.consultationMinutes }), config.retentionDays, countyLookup(config));
}

/** What {@link createCore} needs; everything but config, log and the channel's two senders has a production default. */
export interface CoreOptions {
  readonly config: Config;
  readonly log: Logger;
  /** Replies to clients, through the active channel. */
  readonly outbound: Outbound;
  /** Staff notifications, through the active channel. */
  readonly notifier: Notifier;
  readonly clock?: Clock;
  /** Default: SQLite in DATA_DIR, or PostgreSQL when DATABASE_URL is set. */
  readonly store?: Store;
  /** Default: the model trained on `intents/` (loaded from DATA_DIR when saved and current). */
  readonly understander?: Understander;
  /** This server's name in leases (default: host name, process id and a random part). */
  readonly owner?: string;
  /** How often to look for inbox work left behind (by a crash or another server) and scheduled work come due. */
  readonly sweepMs?: number;
  /** Outbox sender options (tests shorten the back-off). */
  readonly sender?: { readonly backoffMs?: readonly number[]; readonly pollMs?: number; readonly concurrency?: number };
}

/** The assembled core, without any channel or server. */
export interface Core {
  readonly store: Store;
  readonly engine: DialogueEngine;
  readonly runner: TurnRunner;
  readonly applier: TurnApplier;
  readonly sender: OutboxSender;
  readonly notifications: NotificationDispatcher;
  /** The trained model, when the default understander is used. */
  readonly nlu?: Nlu;
  readonly owner: string;
  /** Removes what RETENTION_DAYS says is too old, now. */
  purge(): Promise<PurgeCounts>;
  /**
   * Starts the background work: replies queued before a restart are sent at once, inbox work left behind is handled,
   * notifications and the daily purge run (once per period across all servers).
   */
  start(): Promise<void>;
  /** Stops the background work, waits for turns and sends in flight, closes the database. */
  close(): Promise<void>;
}

/** Assembles the core. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? senderName(hostname(), process.pid);
  const store = options.store ?? (await openStore(config, log));
  const nlu = options.understander ? undefined : createNlu(config, log);
  const engine = new DialogueEngine({ nlu: options.understander ?? nlu!, composer: createComposer(config), settings: engineSettings(config) });
  const applier = new TurnApplier(notificationPlanner({ staffNumbers: config.staffNumbers, hours: config.hours, timezone: config.timezone }));
  const leaseMs = config.outboxLeaseSeconds * 1000;
  const sender = new OutboxSender({ store, outbound: options.outbound, clock, log, owner, leaseMs, concurrency: config.sendConcurrency, ...options.sender });
  const notifications = new NotificationDispatcher({ store, notifier: options.notifier, clock, log, owner, leaseMs });
  const runner = new TurnRunner({ store, engine, applier, sender, log, clock, afterEffects: () => void notifications.flush() });
  const timers: NodeJS.Timeout[] = [];
  const purge = async () => {
    const counts = await store.purge(retentionPlan(clock.now(), config.retentionDays));
    log.info({ ...counts, retentionDays: config.retentionDays }, 'retention purge');
    return counts;
  };
  const every = (ms: number, task: () => Promise<unknown>) => {
    const timer = setInterval(() => void task().catch((err) => log.error({ err }, 'background job failed')), ms);
    timer.unref();
    timers.push(timer);
  };
  return {
    store, engine, runner, applier, sender, notifications, nlu, owner, purge,
    start: async () => {
      // Claims a previous run on this machine held when it died go back now, not when they run out.
      const dead = deadOnThisHost(await store.claimOwners(clock.now()), owner, hostname(), processAlive);
      if (dead.length > 0) log.info({ released: await store.releaseClaimsOf(dead) }, 'claims of an earlier run on this machine given back');
      sender.start();
      notifications.start();
      await runner.sweep();
      void notifications.flush();
      const dailyPurge = async () => {
        if (await store.claimJob('retention-purge', clock.now(), DAY_MS)) await purge();
      };
      await dailyPurge().catch((err) => log.error({ err }, 'retention purge failed'));
      every(options.sweepMs ?? 2_000, () => runner.sweep());
      every(60_000, dailyPurge);
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      await runner.idle();
      await sender.stop();
      await notifications.stop();
      await store.close();
    },
  };
}
