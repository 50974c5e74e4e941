/**
 * WAL checkpoints off the event loop. SQLite normally checkpoints inside a commit once the WAL passes 1,000 pages:
 * that commit then copies the pages into the database file and syncs it, and every turn waiting behind it waits too
 * (a 10 ms stall every few hundred turns). Here a worker thread with its own connection runs a PASSIVE checkpoint
 * every `intervalMs` on the other core, which never blocks the writer; the server's connection keeps a much larger
 * automatic checkpoint only as a safety net (if the worker stopped, the WAL still cannot grow without bound).
 */
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
const CHECKPOINT_INTERVAL_MS = 250;
/** The server connection's own automatic checkpoint, in pages, while the worker runs (SQLite's default is 1,000). */
export const SAFETY_CHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
  /** Whether the worker is running (false once it stopped or failed). */
  readonly running: boolean;
  /** Checkpoints done so far (for tests and diagnostics). */
  readonly checkpoints: number;
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

// The worker's whole program: open the file, checkpoint on a timer, report, close on request. Plain JavaScript
// evaluated in the thread (the same under ts-jest and compiled), loading the same better-sqlite3 as the server.
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let stopping = false;
const timer = setInterval(() => {
  if (stopping) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpointed: result ? result.checkpointed : 0 });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.code || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Starts checkpointing `file` in a worker thread. `onFailure` is called once if the worker cannot run (the caller
 * should then give checkpoints back to SQLite's automatic ones).
 */
export function startCheckpointer(file: string, onFailure: (reason: string) => void, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') },
    // A checkpoint needs almost no JavaScript memory: keep the thread's heap small.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  let running = true;
  let checkpoints = 0;
  let stopped: Promise<void> | undefined;
  const fail = (reason: string) => {
    if (!running) return;
    running = false;
    onFailure(reason);
  };
  worker.on('message', (m: { checkpointed?: number; error?: string }) => {
    if (m.checkpointed !== undefined) checkpoints++;
  });
  worker.on('error', (err) => fail(err.message));
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    if (!stopped) fail(`checkpoint worker exited (${code})`);
  });
  return {
    get running() {
      return running;
    },
    get checkpoints() {
      return checkpoints;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        running = false;
        if (exited) return resolve();
        // Waiting for the worker to end must keep the process alive (the thread is unref'd while it runs).
        worker.ref();
        worker.once('exit', () => resolve());
        // The worker closes its connection and its port, and ends.
        worker.postMessage('stop');
        // A worker stuck in a long checkpoint is not waited for forever.
        setTimeout(() => void worker.terminate(), 2_000).unref();
      });
      return stopped;
    },
  };
}
