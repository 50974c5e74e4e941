/**
 * Composition root: config → storage → understanding → engine → turn runner → channel → HTTP.
 */
import { join } from 'node:path';
import type { Config } from './config';
import { ExplainerLibrary } from './content/explainers';
import { Composer, firmPlaceholders } from './dialogue/compose';
import { DialogueEngine, type EngineSettings } from './dialogue/engine';
import { NotificationDispatcher, notificationPlanner, type Notifier } from './handoff/notify';
import { maskChat, type Logger } from './log';
import { createHttpApp, startHttp, type ChannelStatus, type RunningHttp } from './http/server';
import { loadOrTrain } from './nlu/model-store';
import { DEFAULT_DECISION, Nlu } from './nlu/nlu';
import { openDatabase, type Db } from './storage/sqlite';
import { SqliteStore } from './storage/sqlite-store';
import { systemClock, TurnRunner, type Clock, type Outbound } from './turn';

/** The database file inside DATA_DIR. */
export const databaseFile = (config: Config) => join(config.dataDir, 'puente.db');
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

/** Builds the engine from content and configuration. */
export function createEngine(config: Config, nlu: Nlu): DialogueEngine {
  const library = ExplainerLibrary.load(config.responsesDir);
  const composer = new Composer(library, firmPlaceholders(config.firm, { fee: config.consultationFee, minutes: config.consultationMinutes }), config.retentionDays);
  return new DialogueEngine({ nlu, composer, settings: engineSettings(config) });
}

/** A notifier for channels that cannot message staff (console, none): the notification is logged without its text. */
export function logNotifier(log: Logger): Notifier {
  return {
    notify: async (recipient) => {
      log.info({ recipient: maskChat(recipient) }, 'staff notification (no WhatsApp channel: shown in the dashboard only)');
    },
  };
}

const DAY_MS = 86_400_000;

/** The assembled core, without any channel or server. */
export interface Core {
  readonly db: Db;
  readonly store: SqliteStore;
  readonly nlu: Nlu;
  readonly engine: DialogueEngine;
  readonly runner: TurnRunner;
  readonly notifications: NotificationDispatcher;
  /** Removes transcripts older than RETENTION_DAYS now; returns what was removed. */
  purge(): ReturnType<SqliteStore['purge']>;
  /** Starts the background jobs: notification retries and the daily retention purge. */
  startJobs(): void;
  /** Stops the jobs, waits for turns in flight, closes the database. */
  close(): Promise<void>;
}

/** Assembles storage, understanding, engine, turn runner and staff notifications around a channel. */
export function createCore(config: Config, log: Logger, outbound: Outbound, notifier: Notifier, clock: Clock = systemClock): Core {
  const db = openDatabase(databaseFile(config));
  const store = new SqliteStore(db, notificationPlanner({ staffNumbers: config.staffNumbers, hours: config.hours, timezone: config.timezone }));
  const nlu = createNlu(config, log);
  const engine = createEngine(config, nlu);
  const notifications = new NotificationDispatcher({ store, notifier, clock, log });
  const runner = new TurnRunner({ store, engine, outbound, log, clock, afterEffects: () => void notifications.flush() });
  let purgeTimer: NodeJS.Timeout | undefined;
  const purge = () => {
    const counts = store.purge(new Date(clock.now().getTime() - config.retentionDays * DAY_MS));
    log.info({ ...counts, retentionDays: config.retentionDays }, 'retention purge');
    return counts;
  };
  return {
    db, store, nlu, engine, runner, notifications, purge,
    startJobs: () => {
      notifications.start();
      void notifications.flush();
      purge();
      purgeTimer = setInterval(purge, DAY_MS);
      purgeTimer.unref();
    },
    close: async () => {
      if (purgeTimer) clearInterval(purgeTimer);
      await runner.idle();
      await notifications.stop();
      db.close();
    },
  };
}

/** A started Puente: HTTP server plus channel. */
export interface Running {
  readonly http: RunningHttp;
  readonly core: Core;
  stop(): Promise<void>;
}

/**
 * Starts the HTTP server and the configured channel. Channels not yet built into this version leave the HTTP server
 * up with `/readyz` reporting the channel down.
 */
export async function startPuente(config: Config, log: Logger): Promise<Running> {
  let channel: ChannelStatus = { name: config.transport, state: config.transport === 'none' ? 'none' : 'down' };
  const outbound: Outbound = {
    send: async (chat) => {
      throw new Error(`no channel connected to send to ${maskChat(chat)}`);
    },
  };
  const core = createCore(config, log, outbound, logNotifier(log));
  if (config.staffNumbers.length === 0) log.warn('STAFF_WHATSAPP_NUMBERS is empty: staff will see new handoffs only in the dashboard');
  core.startJobs();
  if (config.transport !== 'none') {
    log.error({ transport: config.transport }, `the ${config.transport} channel is not available in this version; running with HTTP only (set TRANSPORT=none to silence this)`);
    channel = { name: config.transport, state: 'down' };
  }
  const app = createHttpApp({
    log,
    databaseOk: () => {
      try {
        return core.db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    channel: () => channel,
  });
  const http = await startHttp(app, config.port, config.host);
  return {
    http,
    core,
    stop: async () => {
      await http.stop();
      await core.close();
    },
  };
}
