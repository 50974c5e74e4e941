/**
 * Composition root: config → storage → understanding → engine → turn runner → channel → HTTP.
 */
import { join } from 'node:path';
import type { Router } from 'express';
import { qrTerminal } from './http/qr';
import { cloudApiProblems, createCloudApiChannel } from './channels/cloud-api/cloud-api';
import { createRealClient, findChromium, type WaClient } from './channels/whatsapp-web/client';
import { WhatsAppWebChannel, type WhatsAppWebTiming } from './channels/whatsapp-web/channel';
import { ConfigError, type Config } from './config';
import { createAdmin } from './http/admin';
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

/** A channel as the rest of the process sees it. */
export interface ActiveChannel {
  readonly outbound: Outbound;
  readonly notifier: Notifier;
  readonly routers: readonly Router[];
  status(): ChannelStatus;
  /** The QR code to scan (whatsapp-web, while unlinked). */
  qr(): string | undefined;
  stop(): Promise<void>;
}

/** Options tests use to start Puente with fakes where the real thing is outside this machine. */
export interface StartOptions {
  /** whatsapp-web: build this client instead of the real one (and these timings). */
  readonly whatsapp?: { readonly createClient?: () => WaClient; readonly timing?: Partial<WhatsAppWebTiming> };
  readonly clock?: Clock;
  /** Where the generated dashboard password is shown (stderr by default). */
  readonly announce?: (line: string) => void;
}

/** A started Puente: HTTP server plus channel. */
export interface Running {
  readonly http: RunningHttp;
  readonly core: Core;
  readonly channel: ActiveChannel;
  stop(): Promise<void>;
}

/** The `none` transport: HTTP only; replies stay in the outbox. */
function noChannel(config: Config, log: Logger, detail?: string): ActiveChannel {
  return {
    outbound: { send: async (chat) => { throw new Error(`no channel connected to send to ${maskChat(chat)}`); } },
    notifier: logNotifier(log),
    routers: [],
    status: () => ({ name: config.transport, state: config.transport === 'none' ? 'none' : 'down', ...(detail ? { detail } : {}) }),
    qr: () => undefined,
    stop: async () => undefined,
  };
}

/** Prints a QR code in the terminal (stderr), small enough for a laptop screen. */
function printQr(qr: string): void {
  void qrTerminal(qr).then(
    (art) => process.stderr.write(`\nScan this with the firm's phone: WhatsApp → Linked devices → Link a device\n${art}\n`),
    () => undefined,
  );
}

function whatsappWebChannel(config: Config, log: Logger, core: Core, options: StartOptions): ActiveChannel {
  let createClient = options.whatsapp?.createClient;
  if (!createClient) {
    const chrome = findChromium(config.chromePath);
    if (!chrome) {
      const where = config.chromePath ? `CHROME_PATH=${config.chromePath} does not exist` : 'no Chromium found and CHROME_PATH is not set';
      log.error(`WhatsApp Web needs Chromium: ${where}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH; the HTTP server stays up.`);
      return noChannel(config, log, `Chromium not found (${where})`);
    }
    createClient = () => createRealClient({ dataDir: config.dataDir, chromePath: chrome });
  }
  const channel = new WhatsAppWebChannel({ createClient, runner: core.runner, log, timing: options.whatsapp?.timing, onQr: printQr });
  channel.start();
  return { outbound: channel.outbound, notifier: channel.notifier, routers: [], status: () => channel.status(), qr: () => channel.qr(), stop: () => channel.stop() };
}

function cloudApiChannelFor(config: Config, log: Logger, core: Core): ActiveChannel {
  const c = config.cloudApi;
  const channel = createCloudApiChannel({
    settings: { token: c.token!, phoneNumberId: c.phoneNumberId!, appSecret: c.appSecret!, verifyToken: c.verifyToken!, baseUrl: c.baseUrl },
    onMessage: (m) => core.runner.handle(m),
    onStatus: (st) => log.debug({ messageId: st.messageId, status: st.status, chat: maskChat(st.recipient), errorCode: st.errorCode }, 'delivery status'),
    log,
  });
  // Replies the Graph API refused for a while stay in the outbox: try them again every minute.
  const retry = setInterval(() => void core.runner.flushOutbox(), 60_000);
  retry.unref();
  return {
    outbound: channel.outbound, notifier: channel.notifier, routers: [channel.router], status: () => channel.status(), qr: () => undefined,
    stop: async () => {
      clearInterval(retry);
      await channel.idle();
    },
  };
}

/**
 * Starts the HTTP server and the configured channel (TRANSPORT). A channel that cannot start (no Chromium, WhatsApp
 * unreachable) never takes the process down: the HTTP server stays up and `/readyz` reports the channel down.
 */
export async function startPuente(config: Config, log: Logger, options: StartOptions = {}): Promise<Running> {
  if (config.transport === 'cloud-api') {
    const problems = cloudApiProblems(config.cloudApi);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  // The core and the channel need each other: the core sends through the channel, the channel hands messages to the core.
  const none = noChannel(config, log);
  let active: ActiveChannel = none;
  const outbound: Outbound = { send: (chat, text) => active.outbound.send(chat, text) };
  const notifier: Notifier = { notify: (to, text) => active.notifier.notify(to, text) };
  const core = createCore(config, log, outbound, notifier, options.clock);
  if (config.staffNumbers.length === 0) log.warn('STAFF_WHATSAPP_NUMBERS is empty: staff will see new handoffs only in the dashboard');
  const channel: ActiveChannel =
    config.transport === 'whatsapp-web' ? whatsappWebChannel(config, log, core, options)
      : config.transport === 'cloud-api' ? cloudApiChannelFor(config, log, core)
        : none;
  active = channel;
  core.startJobs();
  const admin = createAdmin({
    config, store: core.store, runner: core.runner, library: ExplainerLibrary.load(config.responsesDir), clock: options.clock ?? systemClock, log,
    channel: () => channel.status(), qr: () => channel.qr(),
  });
  const app = createHttpApp({
    log,
    databaseOk: () => {
      try {
        return core.db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    channel: () => channel.status(),
    routers: [...channel.routers, ...admin.routers],
  });
  let http: RunningHttp;
  try {
    http = await startHttp(app, config.port, config.host);
  } catch (err) {
    await channel.stop();
    await core.close();
    throw err;
  }
  if (admin.generatedPassword) {
    // Shown once, outside the logs (which never hold it).
    (options.announce ?? ((line: string) => process.stderr.write(`${line}\n`)))(
      `Dashboard: http://localhost:${http.port}/admin  password: ${admin.generatedPassword}  (generated for this run; set ADMIN_PASSWORD to keep one)`,
    );
  }
  return {
    http,
    core,
    channel,
    stop: async () => {
      await http.stop(); // no new webhooks
      await core.runner.idle(); // finish the turns in flight
      await channel.stop(); // then close the browser cleanly, so the WhatsApp session is not corrupted
      await core.close();
    },
  };
}
