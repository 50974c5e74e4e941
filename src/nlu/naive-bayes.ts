/**
 * A sparse multinomial naive Bayes classifier working in log space.
 *
 * Why not natural's `BayesClassifier`: it builds a dense vector over the whole vocabulary for every message, returns
 * raw likelihood products (which underflow on long messages and are not probabilities), and answers the class prior for
 * input it has never seen. Here a message costs one hash lookup per feature, scores stay in log space, and the result is
 * a proper probability distribution (log-sum-exp normalisation).
 *
 * Calibration: naive Bayes treats the many overlapping features of one message (stems, character n-grams) as
 * independent evidence, which makes raw posteriors absurdly confident. Scores are therefore the class log-prior plus the
 * *mean* per-feature log-likelihood times a `sharpness` constant, chosen on held-out data so that a confidence of 0.8
 * is right about 80% of the time. That keeps the "is Puente sure enough to answer?" threshold meaningful.
 */

/** One training example: the class and the feature bag of one message. */
export interface LabelledFeatures {
  readonly label: string;
  readonly features: ReadonlyMap<string, number>;
}

/** A class and its probability. */
export interface ScoredLabel {
  readonly label: string;
  readonly probability: number;
}

/** Serialisable state of a trained model. */
export interface NaiveBayesModel {
  readonly labels: string[];
  readonly alpha: number;
  readonly sharpness: number;
  /**
   * Evidence a message needs before its words can outweigh the prior fully: scores use sum / (weight + evidence), so a
   * one-word message is less certain than a sentence saying the same thing. Fitted with `sharpness`.
   */
  readonly evidence?: number;
  readonly logPriors: number[];
  /** Per-label log of the smoothed probability of a feature never seen with that label. */
  readonly logUnseen: number[];
  /** The features seen in training, in a fixed order. */
  readonly features: string[];
  /**
   * The per-label log-likelihoods of each feature, in `features` order, flattened (features × labels): one array, so
   * a saved model parses fast and small.
   */
  readonly logLikelihoods: ArrayLike<number>;
  /** Each feature's inverse document frequency weight, in `features` order (absent when trained without IDF). */
  readonly idf?: ArrayLike<number>;
}

/** Options for training. */
export interface TrainOptions {
  /** Lidstone smoothing added to every feature count (default 0.1). */
  readonly alpha?: number;
  /** Multiplier on the mean per-feature log-likelihood (default 8); see the module comment. */
  readonly sharpness?: number;
  /**
   * Weight features by inverse document frequency and normalise each training document to unit length (Rennie et al.,
   * "Tackling the poor assumptions of naive Bayes text classifiers", 2003): common words stop drowning rare, telling
   * ones, and long examples stop dominating their class. Default true.
   */
  readonly tfidf?: boolean;
}

/** Trains a model. Throws on an empty training set (a programming error, not user input). */
export function trainNaiveBayes(examples: readonly LabelledFeatures[], options: TrainOptions = {}): NaiveBayesModel {
  if (examples.length === 0) throw new Error('naive Bayes needs at least one training example');
  const alpha = options.alpha ?? 0.1;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const n = labels.length;
  const index = new Map(labels.map((label, i) => [label, i]));
  const docCounts = new Array<number>(n).fill(0);
  const totals = new Array<number>(n).fill(0);
  // Features numbered in order of first appearance (one hash lookup per occurrence; the rest is array arithmetic).
  const ids = new Map<string, number>();
  const features: string[] = [];
  const docs = examples.map(({ features: bag }) => {
    const fs = new Int32Array(bag.size);
    const ws = new Float64Array(bag.size);
    let k = 0;
    for (const [feature, weight] of bag) {
      let id = ids.get(feature);
      if (id === undefined) {
        id = features.length;
        ids.set(feature, id);
        features.push(feature);
      }
      fs[k] = id;
      ws[k++] = weight;
    }
    return { fs, ws };
  });
  const vocabulary = features.length;
  const idf = options.tfidf === false ? undefined : inverseDocumentFrequencies(docs, vocabulary);
  const counts = new Float64Array(vocabulary * n);
  examples.forEach(({ label }, e) => {
    const li = index.get(label)!;
    const { fs, ws } = docs[e];
    docCounts[li] += 1;
    let norm = 1;
    if (idf) {
      let squares = 0;
      for (let k = 0; k < fs.length; k++) squares += (ws[k] * idf[fs[k]]) ** 2;
      norm = Math.sqrt(squares) || 1;
    }
    for (let k = 0; k < fs.length; k++) {
      const w = (idf ? ws[k] * idf[fs[k]] : ws[k]) / norm;
      counts[fs[k] * n + li] += w;
      totals[li] += w;
    }
  });
  const denominators = totals.map((t) => Math.log(t + alpha * vocabulary));
  const logLikelihoods = new Float64Array(vocabulary * n);
  for (let f = 0; f < vocabulary; f++) for (let li = 0; li < n; li++) logLikelihoods[f * n + li] = Math.log(counts[f * n + li] + alpha) - denominators[li];
  return {
    labels,
    alpha,
    sharpness: options.sharpness ?? 8,
    logPriors: docCounts.map((c) => Math.log(c / examples.length)),
    logUnseen: denominators.map((d) => Math.log(alpha) - d),
    features,
    logLikelihoods,
    idf,
  };
}

/** Inverse document frequency of each feature id: log(documents / documents with it) + 1. */
function inverseDocumentFrequencies(docs: readonly { fs: Int32Array }[], vocabulary: number): Float64Array {
  const df = new Float64Array(vocabulary);
  for (const { fs } of docs) for (let k = 0; k < fs.length; k++) df[fs[k]] += 1;
  const idf = new Float64Array(vocabulary);
  for (let f = 0; f < vocabulary; f++) idf[f] = Math.log(docs.length / df[f]) + 1;
  return idf;
}

/** Result of scoring one message. */
export interface Prediction {
  /** All labels, most probable first; probabilities sum to 1. */
  readonly ranked: ScoredLabel[];
  /** How many of the message's features the model had seen in training (0 means it knows nothing about it). */
  readonly knownFeatures: number;
}

/**
 * Scores a feature bag. Features the model never saw are ignored; when none is known the ranking is the prior and
 * `knownFeatures` is 0, so callers can refuse to guess.
 */
export function predict(model: NaiveBayesModel, features: ReadonlyMap<string, number>): Prediction {
  const { sums, weight, known } = evidenceOf(model, features);
  return rank(model, sums, weight, known);
}

/** The ranking for evidence summed over a message's features (see {@link evidenceOf}, {@link Evidence}). */
function rank(model: NaiveBayesModel, sums: Float64Array, weight: number, known: number): Prediction {
  const n = model.labels.length;
  const scores = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    scores[i] = model.logPriors[i] + (weight > 0 ? (model.sharpness * sums[i]) / (weight + (model.evidence ?? 0)) : 0);
    if (scores[i] > max) max = scores[i];
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.exp(scores[i] - max);
  const logTotal = max + Math.log(total);
  const ranked: ScoredLabel[] = [];
  for (let i = 0; i < n; i++) ranked.push({ label: model.labels[i], probability: Math.exp(scores[i] - logTotal) });
  ranked.sort((a, b) => b.probability - a.probability);
  return { ranked, knownFeatures: known };
}

/**
 * The model's lookup table for scoring: feature → offset into one typed array holding, per feature, [idf,
 * idf·logLikelihood per label], so scoring a feature is one hash lookup and a tight loop. Built once per trained model
 * (copies made by {@link withCalibration} share it) and kept only as long as the model is.
 */
interface ScoringTable {
  readonly offsets: Map<string, number>;
  readonly data: Float64Array;
}

const tables = new WeakMap<object, ScoringTable>();

function scoringTable(model: NaiveBayesModel): ScoringTable {
  let table = tables.get(model.logLikelihoods as object);
  if (!table) {
    const n = model.labels.length;
    const width = n + 1;
    const data = new Float64Array(model.features.length * width);
    const offsets = new Map<string, number>();
    const tableOf = model.logLikelihoods;
    model.features.forEach((feature, f) => {
      const idf = model.idf ? model.idf[f] : 1;
      const at = f * width;
      offsets.set(feature, at);
      data[at] = idf;
      for (let i = 0; i < n; i++) data[at + 1 + i] = idf * tableOf[f * n + i];
    });
    table = { offsets, data };
    tables.set(model.logLikelihoods as object, table);
  }
  return table;
}

/** Per-label sums of weighted log-likelihoods over the features the model knows, their total weight and count. */
export function evidenceOf(model: NaiveBayesModel, features: ReadonlyMap<string, number>): { sums: Float64Array; weight: number; known: number } {
  const n = model.labels.length;
  const { offsets, data } = scoringTable(model);
  const sums = new Float64Array(n);
  let weight = 0;
  let known = 0;
  for (const [feature, w] of features) {
    const at = offsets.get(feature);
    if (at === undefined) continue;
    known += 1;
    weight += w * data[at];
    for (let i = 0; i < n; i++) sums[i] += w * data[at + 1 + i];
  }
  return { sums, weight, known };
}

/** Where each feature's row starts in the model's scoring table (features the model never saw are absent). */
export function featureOffsets(model: NaiveBayesModel): ReadonlyMap<string, number> {
  return scoringTable(model).offsets;
}

/**
 * Evidence summed one feature occurrence at a time, by table offset: the same sums as {@link evidenceOf} over the bag
 * (scoring is linear in a feature's weight, so repeats may come one by one), without building the bag.
 */
export class Evidence {
  readonly sums: Float64Array;
  weight = 0;
  known = 0;
  private readonly data: Float64Array;
  private readonly n: number;

  constructor(private readonly model: NaiveBayesModel) {
    this.n = model.labels.length;
    this.sums = new Float64Array(this.n);
    this.data = scoringTable(model).data;
  }

  /** Adds one occurrence of the feature whose row starts at `at`, with weight `w`. */
  add(at: number, w: number): void {
    const { data, sums, n } = this;
    this.known += 1;
    this.weight += w * data[at];
    for (let i = 0; i < n; i++) sums[i] += w * data[at + 1 + i];
  }

  prediction(): Prediction {
    return rank(this.model, this.sums, this.weight, this.known);
  }
}

/** Returns a copy of the model with other calibration constants. */
export function withCalibration(model: NaiveBayesModel, sharpness: number, evidence: number): NaiveBayesModel {
  return { ...model, sharpness, evidence };
}
