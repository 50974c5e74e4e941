/**
 * Saving and reloading the trained model, and retraining it when `intents/` changed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCorpus } from './corpus';
import type { NaiveBayesModel } from './naive-bayes';
import { MODEL_FORMAT, trainModel, type TrainedModel } from './nlu';

/** How the model was obtained. */
export interface ModelLoad {
  readonly model: TrainedModel;
  /** `trained`: the saved model was missing or stale; `loaded`: reused. */
  readonly source: 'trained' | 'loaded';
  readonly millis: number;
}

/**
 * The big per-feature tables are saved as base64 of 32-bit floats (seven significant digits, far below anything that
 * changes a decision): a model reads back as one string per table instead of hundreds of thousands of JSON numbers,
 * which keeps start-up fast and its memory peak low.
 */
function encode(values: ArrayLike<number>): string {
  return Buffer.from(Float32Array.from(values).buffer).toString('base64');
}

function decode(text: unknown): Float32Array {
  if (typeof text !== 'string') throw new Error('not an encoded table');
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

type Saved<M> = Omit<M, 'logLikelihoods' | 'idf'> & { logLikelihoods: string; idf?: string };

function saveable(model: NaiveBayesModel): Saved<NaiveBayesModel> {
  return { ...model, logLikelihoods: encode(model.logLikelihoods), idf: model.idf && encode(model.idf) };
}

function restored(saved: Saved<NaiveBayesModel>): NaiveBayesModel {
  return { ...saved, logLikelihoods: decode(saved.logLikelihoods), idf: saved.idf === undefined ? undefined : decode(saved.idf) };
}

/** Reads a saved model; undefined when the file is missing, unreadable or of another format. */
export function readSaved(file: string): TrainedModel | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Omit<TrainedModel, 'intent' | 'language'> & { intent: Saved<NaiveBayesModel>; language: Saved<NaiveBayesModel> };
    if (saved.format !== MODEL_FORMAT) return undefined;
    return { ...saved, intent: restored(saved.intent), language: restored(saved.language) };
  } catch {
    return undefined; // a truncated, old or hand-edited file is simply retrained
  }
}

/** Writes the model atomically (temp file + rename), so a crash never leaves half a model. */
export function saveModel(file: string, model: TrainedModel): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ ...model, intent: saveable(model.intent), language: saveable(model.language) }));
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
  if (saved && saved.fingerprint === corpus.fingerprint) {
    return { model: saved, source: 'loaded', millis: performance.now() - started };
  }
  const model = trainModel(corpus);
  saveModel(file, model);
  return { model, source: 'trained', millis: performance.now() - started };
}
