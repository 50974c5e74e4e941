/**
 * Composition root: config → storage → understanding → engine → turn runner → channel → HTTP.
 */
import { join } from 'node:path';
import type { Config } from './config';
import { ExplainerLibrary } from './content/explainers';
import { Composer, firmPlaceholders } from './dialogue/compose';
import { DialogueEngine } from './dialogue/engine';
import { maskChat, type Logger } from './log';
import { createHttpApp, startHttp, type ChannelStatus, type RunningHttp } from './http/server';
import { loadOrTrain } from './nlu/model-store';
import { DEFAULT_DECISION, Nlu } from './nlu/nlu';
import { openDatabase, type Db } from './storage/sqlite';
import { SqliteConversationStore } from './storage/sqlite-store';
import { TurnRunner, type Clock, type Outbound } from './turn';

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

/** Builds the engine from content and configuration. */
export function createEngine(config: Config, nlu: Nlu): DialogueEngine {
  const library = ExplainerLibrary.load(config.responsesDir);
  const composer = new Composer(library, firmPlaceholders(config.firm, { fee: config.consultationFee, minutes: config.consultationMinutes }), config.retentionDays);
  return new DialogueEngine({ nlu, composer });
}

/** The assembled core, without any channel or server. */
export interface Core {
  readonly db: Db;
  readonly store: SqliteConversationStore;
  readonly nlu: Nlu;
  readonly engine: DialogueEngine;
  readonly runner: TurnRunner;
  close(): void;
}

/** Assembles storage, understanding, engine and turn runner around an outbound channel. */
export function createCore(config: Config, log: Logger, outbound: Outbound, clock?: Clock): Core {
  const db = openDatabase(databaseFile(config));
  const store = new SqliteConversationStore(db);
  const nlu = createNlu(config, log);
  const engine = createEngine(config, nlu);
  const runner = new TurnRunner({ store, engine, outbound, log, clock });
  return { db, store, nlu, engine, runner, close: () => db.close() };
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
  const core = createCore(config, log, outbound);
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
      await core.runner.idle();
      core.close();
    },
  };
}
