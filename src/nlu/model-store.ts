/**
 * Saving and reloading the trained model, and retraining it when `intents/` changed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCorpus } from './corpus';
import { MODEL_FORMAT, trainModel, type TrainedModel } from './nlu';

/** How the model was obtained. */
export interface ModelLoad {
  readonly model: TrainedModel;
  /** `trained`: the saved model was missing or stale; `loaded`: reused. */
  readonly source: 'trained' | 'loaded';
  readonly millis: number;
}

function readSaved(file: string): TrainedModel | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TrainedModel;
  } catch {
    return undefined; // a truncated or hand-edited file is simply retrained
  }
}

/**
 * Log-probabilities are kept to 6 decimals on disk: far below anything that changes a decision, and the file (and the
 * memory needed to read it at start) shrinks to about a third.
 */
const round = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e6) / 1e6 : value);

/** Writes the model atomically (temp file + rename), so a crash never leaves half a model. */
export function saveModel(file: string, model: TrainedModel): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(model, round));
  renameSync(temp, file);
}

/** Trains from `intentsDir` and saves to `file`. Throws CorpusError for malformed intent files. */
export function trainAndSave(intentsDir: string, file: string): TrainedModel {
  const model = trainModel(loadCorpus(intentsDir));
  saveModel(file, model);
  return model;
}

/**
 * Returns the saved model when it was trained on exactly the current `intents/` with the current format; otherwise
 * trains a new one and saves it.
 */
export function loadOrTrain(intentsDir: string, file: string): ModelLoad {
  const started = performance.now();
  const corpus = loadCorpus(intentsDir);
  const saved = readSaved(file);
  if (saved && saved.format === MODEL_FORMAT && saved.fingerprint === corpus.fingerprint) {
    return { model: saved, source: 'loaded', millis: performance.now() - started };
  }
  const model = trainModel(corpus);
  saveModel(file, model);
  return { model, source: 'trained', millis: performance.now() - started };
}
