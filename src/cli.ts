/**
 * `npx puente <command>` (SPEC §9). Returns an exit code instead of calling process.exit, so output is flushed and
 * the commands can be tested in-process. Bad arguments or environment end with one line naming what is wrong.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { forEachLine, InputLineError, jsonOutbound, parseJsonLine, toTerminal } from './channels/console/console';
import { ConfigError, loadConfig, readDotEnv, type Config } from './config';
import { ContentError } from './content/explainers';
import { createLogger } from './log';
import { createCore, createNlu, logNotifier, modelFile } from './core';
import { startPuente } from './main';
import { readMessage } from './dialogue/reading';
import { databaseFile, openStore } from './storage/open';
import { CorpusError, loadCorpus, loadFollowUps, type Example } from './nlu/corpus';
import { crossValidate, evaluateFollowUps, predictAll, report, type EvalReport } from './nlu/evaluate';
import { trainAndSave } from './nlu/model-store';
import { DEFAULT_DECISION, Nlu } from './nlu/nlu';
import { LANGS, type Lang } from './nlu/types';

const USAGE = `Usage: puente <command> [options]

Commands:
  start                     HTTP server and the configured channel (what "npm start" runs)
  chat [--json] [--from ID] talk to Puente in the terminal; --json reads {"from","text"} lines on stdin
  classify                  one message per line on stdin → one JSON line per message on stdout
  train                     train the model from intents/ and save it in DATA_DIR
  migrate                   bring the database up to date (SQLite in DATA_DIR, or DATABASE_URL); start does it too
  eval [--folds K] [--test FILE.tsv] [--json]
                            cross-validated accuracy, macro-F1, per language and per intent
  bench [--json]            classification latency, turns per second, start-up time and memory
  content [--json]          every explainer with its reviewed date, sources and length, oldest review first
  staff add NAME [--admin] [--password-stdin]
                            add a staff account (asks for the password, or reads it from stdin)
  staff list                the staff accounts
  staff remove NAME         remove an account (it is signed out everywhere)
  help                      this text`;

/** A usage error: reported as one line, exit code 2. */
class UsageError extends Error {}

type Io = { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
const defaultIo = (): Io => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

function options(args: string[], spec: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function environment(): Config {
  const env = { ...readDotEnv(process.cwd()), ...process.env };
  return loadConfig(env);
}

/** Runs a command line. Resolves to the process exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        options(rest, {});
        return await start(environment());
      case 'chat':
        return await chat(environment(), options(rest, { json: { type: 'boolean' }, from: { type: 'string' } }), io);
      case 'classify':
        options(rest, {});
        return await classify(environment(), io);
      case 'train':
        options(rest, {});
        return train(environment(), io);
      case 'migrate':
        options(rest, {});
        return await migrate(environment(), io);
      case 'eval':
        return evaluate(environment(), options(rest, { folds: { type: 'string' }, test: { type: 'string' }, json: { type: 'boolean' } }), io);
      case 'bench': {
        const opts = options(rest, { json: { type: 'boolean' } });
        const { runBench } = await import('./bench/bench');
        return await runBench(environment(), { json: opts.json === true }, io);
      }
      case 'content': {
        const opts = options(rest, { json: { type: 'boolean' } });
        const { ExplainerLibrary } = await import('./content/explainers');
        const { contentReport, formatContentReport } = await import('./content/report');
        const rows = contentReport(ExplainerLibrary.load(environment().responsesDir));
        io.stdout.write(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : formatContentReport(rows));
        return 0;
      }
      case 'staff':
        return await staff(environment(), rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: puente help)`);
    }
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) io.stderr.write(`puente: ${problem}\n`);
    return 1;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`puente: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CorpusError || err instanceof ContentError) {
    io.stderr.write(`puente: ${err.message}\n`);
    return 1;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    io.stderr.write(`puente: cannot listen on the port (${code}); set PORT to a free port\n`);
    return 1;
  }
  io.stderr.write(`puente: ${(err as Error).message ?? String(err)}\n`);
  return 1;
}

async function start(config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel, logMessageText: config.logMessageText });
  const running = await startPuente(config, log);
  log.info({ port: running.http.port, transport: config.transport, uptimeMs: Math.round(process.uptime() * 1000) }, 'ready');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void running.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function chat(config: Config, opts: { json?: boolean; from?: string }, io: Io): Promise<number> {
  // In chat, logs would interleave with the conversation: keep only warnings, always on stderr.
  const log = createLogger({ level: opts.json ? 'warn' : config.logLevel === 'info' ? 'warn' : config.logLevel, destination: io.stderr, pretty: false });
  const tty = !opts.json && (io.stdout as NodeJS.WriteStream).isTTY === true;
  const outbound = opts.json
    ? jsonOutbound((line) => io.stdout.write(line))
    : { send: async (_chat: string, text: string) => void io.stdout.write(`\n${toTerminal(text, tty)}\n\n`) };
  const core = await createCore({ config, log, outbound, notifier: logNotifier(log) });
  await core.start();
  let counter = 0;
  const nextId = () => `console:${process.pid}:${Date.now()}:${counter++}`;
  try {
    if (opts.json) {
      await forEachLine(io.stdin, async (line) => {
        if (!line.trim()) return;
        try {
          const input = parseJsonLine(line, nextId(), new Date());
          if (input.staff) await core.runner.staffMessage(input.message.chat, input.message.text);
          else await core.runner.handle(input.message);
        } catch (err) {
          if (!(err instanceof InputLineError)) throw err;
          io.stderr.write(`puente: skipped input line: ${err.message}\n`);
        }
      });
    } else {
      const from = opts.from ?? 'console';
      if (tty) io.stdout.write('Puente — type a message (English or Spanish). Ctrl+D to leave.\n\n› ');
      await forEachLine(io.stdin, async (line) => {
        await core.runner.handle({ id: nextId(), chat: from, text: line, type: 'text', receivedAt: new Date() });
        if (tty) io.stdout.write('› ');
      });
    }
    await core.runner.idle();
  } finally {
    await core.close();
  }
  return 0;
}

async function classify(config: Config, io: Io): Promise<number> {
  const nlu = createNlu(config);
  await forEachLine(io.stdin, async (text) => {
    const u = nlu.understand(text);
    io.stdout.write(`${JSON.stringify({ text, intent: u.intent, confidence: Number(u.confidence.toFixed(4)), language: u.language })}\n`);
  });
  return 0;
}

function train(config: Config, io: Io): number {
  const started = performance.now();
  const model = trainAndSave(config.intentsDir, modelFile(config));
  const intents = model.intent.labels.length;
  io.stdout.write(`trained on ${model.trainedOn} examples, ${intents} intents, in ${Math.round(performance.now() - started)} ms → ${modelFile(config)}\n`);
  return 0;
}

/** Opens the configured database, which applies pending migrations, and says which version it is at. */
async function migrate(config: Config, io: Io): Promise<number> {
  const store = await openStore(config);
  try {
    const version = await store.schemaVersion();
    io.stdout.write(`database up to date: ${store.backend}${config.databaseUrl ? ` (${redactUrl(config.databaseUrl)})` : ` (${databaseFile(config)})`}, schema version ${version}\n`);
  } finally {
    await store.close();
  }
  return 0;
}

/** A database URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@');
}

/** Reads a labelled test file: `intent<TAB>lang<TAB>text`, or `intent<TAB>text` (counted as English), per line. */
export function readTestFile(file: string): Example[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read test file ${file}`);
  }
  const examples: Example[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const parts = line.split('\t');
    if (parts.length === 3 && (LANGS as string[]).includes(parts[1])) examples.push({ intent: parts[0], lang: parts[1] as Lang, text: parts[2] });
    else if (parts.length === 2) examples.push({ intent: parts[0], lang: 'en', text: parts[1] });
    else throw new UsageError(`${file}:${i + 1}: expected "intent<TAB>lang<TAB>text"`);
  });
  return examples;
}

function evaluate(config: Config, opts: { folds?: string; test?: string; json?: boolean }, io: Io): number {
  const decision = { ...DEFAULT_DECISION, threshold: config.nluThreshold ?? DEFAULT_DECISION.threshold };
  let result: EvalReport;
  // Measured as the engine reads messages (its wording rules), not the classifier alone.
  if (opts.test) {
    const nlu = createNlu(config);
    result = report(`test file ${opts.test}`, predictAll(new Nlu(nlu.model, decision), readTestFile(opts.test), readMessage));
  } else {
    const folds = opts.folds === undefined ? 5 : Number(opts.folds);
    if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw new UsageError('--folds must be a whole number from 2 to 20');
    result = crossValidate(loadCorpus(config.intentsDir), folds, decision, {}, readMessage);
    const followUps = loadFollowUps(config.intentsDir);
    if (followUps.length > 0) {
      const measured = evaluateFollowUps(new Nlu(createNlu(config).model, decision), followUps, readMessage);
      result = { ...result, followUps: { examples: followUps.length, ...measured } };
    }
  }
  io.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  return 0;
}

const pct = (x: number) => x.toFixed(3);

/** The human-readable eval report. */
export function formatReport(r: EvalReport): string {
  const lines = [
    `Evaluation: ${r.method}, ${r.examples} examples`,
    `  accuracy ${pct(r.accuracy)}   macro-F1 ${pct(r.macroF1)}`,
    ...LANGS.map((l) => `  ${l}: accuracy ${pct(r.perLanguage[l].accuracy)}   macro-F1 ${pct(r.perLanguage[l].macroF1)}   (${r.perLanguage[l].examples} examples)`),
    `  out-of-scope answered "none": ${pct(r.outOfScopeAsNone)}   in-scope answered (not "did you mean"): ${pct(r.inScopeAnswered)}   urgent path taken for urgent_detention: ${pct(r.urgentRecall)}`,
    ...(r.followUps ? [`  follow-ups read in context (intents/context): ${pct(r.followUps.accuracy)} of ${r.followUps.examples}${r.followUps.misses.length ? `; missed: ${r.followUps.misses.map((m) => `"${m.text}" after ${m.after} → ${m.got}`).join(', ')}` : ''}`] : []),
    '',
    '  intent                  precision  recall   F1     n',
    ...r.perIntent.map((p) => `  ${p.intent.padEnd(22)}  ${pct(p.precision)}      ${pct(p.recall)}    ${pct(p.f1)}  ${p.support}`),
    '',
    '  most confused (truth → answered):',
    ...r.confusedPairs.map((c) => `    ${c.truth} → ${c.predicted}: ${c.count}`),
  ];
  return `${lines.join('\n')}\n`;
}


/** Reads a password: from stdin (first line) with --password-stdin, else typed twice on the terminal without echo. */
async function readPassword(io: Io, fromStdin: boolean): Promise<string> {
  const input = io.stdin as NodeJS.ReadStream;
  if (fromStdin || !input.isTTY) {
    let text = '';
    for await (const chunk of io.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0];
  }
  const ask = (prompt: string) => new Promise<string>((resolve) => {
    io.stderr.write(prompt);
    let typed = '';
    input.setRawMode?.(true);
    input.resume();
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          input.off('data', onData);
          input.setRawMode?.(false);
          input.pause();
          io.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') process.kill(process.pid, 'SIGINT');
        else if (ch === '\u007f') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
  const first = await ask('Password (10 characters or more): ');
  const second = await ask('Same password again: ');
  if (first !== second) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

/** `puente staff add|list|remove`: named accounts for the dashboard and the API. */
async function staff(config: Config, args: string[], io: Io): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = (() => {
    try {
      return parseArgs({ args: rest, options: { admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } }, strict: true, allowPositionals: true });
    } catch (err) {
      throw new UsageError((err as Error).message.split('\n')[0]);
    }
  })();
  if (!['add', 'list', 'remove'].includes(action ?? '')) throw new UsageError('staff needs add NAME [--admin] [--password-stdin], list, or remove NAME');
  if (action !== 'list' && positionals.length !== 1) throw new UsageError(`staff ${action} needs one NAME (quote a name with spaces)`);
  const password = action === 'add' ? await readPassword(io, values['password-stdin'] === true) : undefined;
  const { StaffDesk } = await import('./desk/staff');
  const { DeskError } = await import('./desk/errors');
  const store = await openStore(config);
  try {
    const desk = new StaffDesk(store, () => new Date());
    if (action === 'list') {
      const accounts = await desk.list();
      if (accounts.length === 0) io.stdout.write('no staff accounts yet (the first start creates "admin" from ADMIN_PASSWORD)\n');
      for (const a of accounts) io.stdout.write(`${a.name}\t${a.role}\tsince ${a.createdAt.slice(0, 10)}\n`);
    } else if (action === 'add') {
      const added = await desk.add(undefined, { name: positionals[0], password, role: values.admin ? 'admin' : 'staff' });
      io.stdout.write(`added ${added.name} (${added.role}); they sign in at /admin with this name and password\n`);
    } else {
      const removed = await desk.remove(undefined, positionals[0]);
      io.stdout.write(`removed ${removed.name}; signed out everywhere\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof DeskError) {
      io.stderr.write(`puente: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
