/**
 * Composition root: config → core (storage, understanding, engine, turn runner) → channel → HTTP.
 */
import type { Channel, Notifier, Outbound } from './channels/channel';
import { cloudApiProblems, createCloudApiChannel } from './channels/cloud-api/cloud-api';
import { createRealClient, findChromium, type WaClient } from './channels/whatsapp-web/client';
import { WhatsAppWebChannel, type ChannelRunner, type WhatsAppWebTiming } from './channels/whatsapp-web/channel';
import { systemClock, type Clock } from './clock';
import { ConfigError, type Config } from './config';
import { ExplainerLibrary } from './content/explainers';
import { createCore, logNotifier, type Core, type CoreOptions } from './core';
import { createAdmin } from './http/admin';
import { qrTerminal } from './http/qr';
import { createHttpApp, startHttp, type RunningHttp } from './http/server';
import { maskChat, messageRef, type Logger } from './log';

/** Options tests use to start Puente with fakes where the real thing is outside this machine. */
export interface StartOptions extends Pick<CoreOptions, 'store' | 'understander' | 'owner' | 'sender' | 'sweepMs'> {
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
  readonly channel: Channel;
  stop(): Promise<void>;
}

/** The `none` transport (and any channel that could not start): HTTP only; replies wait in the outbox. */
function noChannel(config: Config, log: Logger, detail?: string): Channel {
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

/** What the whatsapp-web channel hands its events to; on reconnect, replies waiting for a retry go at once. */
export function whatsappWebRunner(core: Pick<Core, 'runner' | 'sender'>): ChannelRunner {
  return {
    handle: (m) => core.runner.handle(m),
    staffMessage: (chat, text) => core.runner.staffMessage(chat, text),
    flushOutbox: () => core.sender.flush(undefined, { ignoreBackoff: true }),
  };
}

/** The whatsapp-web channel holds this lease: one linked phone is one browser session, on one server. */
const WHATSAPP_WEB_LEASE = 'whatsapp-web';
const LEASE_TTL_MS = 60_000;

async function whatsappWebChannel(config: Config, log: Logger, core: Core, options: StartOptions, clock: Clock): Promise<Channel> {
  if (!(await core.store.acquireLease(WHATSAPP_WEB_LEASE, core.owner, clock.now(), LEASE_TTL_MS))) {
    const detail = 'another Puente server already runs the WhatsApp Web channel on this database (one linked phone is one browser session); use TRANSPORT=cloud-api to run several servers';
    log.error(`WhatsApp Web not started: ${detail}. The HTTP server stays up.`);
    return noChannel(config, log, detail);
  }
  const renew = setInterval(() => {
    void core.store.acquireLease(WHATSAPP_WEB_LEASE, core.owner, clock.now(), LEASE_TTL_MS).catch((err) => log.warn({ err }, 'could not renew the WhatsApp Web lease'));
  }, LEASE_TTL_MS / 3);
  renew.unref();
  const release = async () => {
    clearInterval(renew);
    await core.store.releaseLease(WHATSAPP_WEB_LEASE, core.owner).catch(() => undefined);
  };
  let createClient = options.whatsapp?.createClient;
  if (!createClient) {
    const chrome = findChromium(config.chromePath);
    if (!chrome) {
      await release();
      const where = config.chromePath ? `CHROME_PATH=${config.chromePath} does not exist` : 'no Chromium found and CHROME_PATH is not set';
      log.error(`WhatsApp Web needs Chromium: ${where}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH; the HTTP server stays up.`);
      return noChannel(config, log, `Chromium not found (${where})`);
    }
    createClient = () => createRealClient({ dataDir: config.dataDir, chromePath: chrome });
  }
  const channel = new WhatsAppWebChannel({ createClient, runner: whatsappWebRunner(core), log, timing: options.whatsapp?.timing, onQr: printQr, mediaMaxBytes: config.mediaMaxBytes });
  channel.start();
  return {
    outbound: channel.outbound, notifier: channel.notifier, routers: [], status: () => channel.status(), qr: () => channel.qr(),
    stop: async () => {
      await channel.stop();
      await release();
    },
  };
}

function cloudApiChannelFor(config: Config, log: Logger, core: Core): Channel {
  const c = config.cloudApi;
  const channel = createCloudApiChannel({
    settings: { token: c.token!, phoneNumberId: c.phoneNumberId!, appSecret: c.appSecret!, verifyToken: c.verifyToken!, baseUrl: c.baseUrl },
    accept: (messages) => core.runner.accept(messages.map((message) => ({ kind: 'message', message }))),
    process: (chats) => Promise.all(chats.map((chat) => core.runner.drain(chat))),
    onStatus: (st) => log.debug({ message: messageRef(st.messageId), status: st.status, chat: maskChat(st.recipient), errorCode: st.errorCode }, 'delivery status'),
    log,
    mediaMaxBytes: config.mediaMaxBytes,
  });
  return { outbound: channel.outbound, notifier: channel.notifier, routers: [channel.router], status: () => channel.status(), qr: () => undefined, stop: () => channel.idle() };
}

/**
 * Starts the HTTP server and the configured channel (TRANSPORT). A channel that cannot start (no Chromium, WhatsApp
 * unreachable, another server holding WhatsApp Web) never takes the process down: the HTTP server stays up and
 * `/readyz` reports the channel down.
 */
export async function startPuente(config: Config, log: Logger, options: StartOptions = {}): Promise<Running> {
  if (config.transport === 'cloud-api') {
    const problems = cloudApiProblems(config.cloudApi);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const clock = options.clock ?? systemClock;
  // The core and the channel need each other: the core sends through the channel, the channel hands messages to the core.
  let active: Channel = noChannel(config, log);
  const outbound: Outbound = { send: (chat, text) => active.outbound.send(chat, text) };
  const notifier: Notifier = { notify: (to, text) => active.notifier.notify(to, text) };
  const core = await createCore({ config, log, outbound, notifier, clock, ...options });
  if (config.staffNumbers.length === 0) log.warn('STAFF_WHATSAPP_NUMBERS is empty: staff will see new handoffs only in the dashboard');
  const channel: Channel =
    config.transport === 'whatsapp-web' ? await whatsappWebChannel(config, log, core, options, clock)
      : config.transport === 'cloud-api' ? cloudApiChannelFor(config, log, core)
        : active;
  active = channel;
  await core.start();
  const admin = await createAdmin({
    config, store: core.store, sender: core.sender, applier: core.applier,
    library: ExplainerLibrary.load(config.responsesDir), clock, log, channel: () => channel.status(), qr: () => channel.qr(),
  });
  const app = createHttpApp({
    log, databaseOk: () => core.store.ping(), backend: core.store.backend, channel: () => channel.status(), routers: [...channel.routers, ...admin.routers],
    trustProxy: config.trustProxy,
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
      `Dashboard: http://localhost:${http.port}/admin  password: ${admin.generatedPassword}  (account "admin"; generated for this run: set ADMIN_PASSWORD to keep one, and add named accounts with npx puente staff add <name>)`,
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
