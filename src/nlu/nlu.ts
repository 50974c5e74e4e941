/**
 * Understanding one message: normalise → detect language → classify intent → decide whether to guess.
 */
import { bigramFeature, DEFAULT_FEATURE_OPTIONS, intentFeatures, LANGUAGE_TOKENS, languageFeatures, speaksLanguage, tokenIntentFeatures, tokenLanguageFeatures, type FeatureOptions, type TokenFeatures } from './features';
import { stratifiedFolds } from './folds';
import { Evidence, evidenceOf, featureOffsets, trainNaiveBayes, withCalibration, type LabelledFeatures, type NaiveBayesModel, type Prediction, type ScoredLabel } from './naive-bayes';
import { isEmojiToken, normalise } from './normalise';
import { urgencyOf, type Urgency } from './urgency';
import type { Corpus, Example } from './corpus';
import { NONE, type IntentId, type Lang } from './types';

/** Bumped whenever features or the file layout change, so an old saved model is retrained instead of misread. */
export const MODEL_FORMAT = 10;

/** A trained model as saved to disk. */
export interface TrainedModel {
  readonly format: number;
  /** Fingerprint of the corpus it was trained on. */
  readonly fingerprint: string;
  readonly featureOptions: FeatureOptions;
  readonly intent: NaiveBayesModel;
  readonly language: NaiveBayesModel;
  readonly trainedOn: number;
}

/** When Puente would rather not guess. */
export interface DecisionOptions {
  /** Minimum posterior probability of the top intent (NLU_THRESHOLD). */
  readonly threshold: number;
  /** Minimum gap between the top two intents' probabilities. */
  readonly margin: number;
}

/** Defaults chosen on 5-fold cross-validation of the project's corpus (see README, "Understanding"). */
export const DEFAULT_DECISION: DecisionOptions = { threshold: 0.4, margin: 0.05 };

/** What Puente understood of one message. */
export interface Understanding {
  /** The intent to act on, or `none` when out of scope, too unsure, or the top two are too close. */
  readonly intent: IntentId;
  /** Posterior probability of the classifier's top intent (0 when the message holds nothing it knows). */
  readonly confidence: number;
  /** The classifier's top intent before the threshold was applied. */
  readonly top: IntentId;
  /** Up to three most probable intents other than `none`, most probable first. */
  readonly candidates: readonly ScoredLabel[];
  readonly language: Lang;
  /** Probability of `language`; low for one-word or mixed messages. */
  readonly languageConfidence: number;
  /**
   * The highest probability of `language` given by one word on its own (or 0.9 for ñ, ¿, ¡ and accents when
   * `language` is Spanish). Low when only words both languages use point the way ("habeas corpus", "visa u").
   */
  readonly languageWordConfidence: number;
  /** Words (not emoji) in the message. */
  readonly wordCount: number;
  /** The message is made only of emoji. */
  readonly emojiOnly: boolean;
  /** Mostly letters of a script other than Latin (Chinese, Arabic…): neither English nor Spanish. */
  readonly foreignScript: boolean;
  /** Says an enforcement action is happening now or just happened (SPEC §2.7), by classifier and wording. */
  readonly urgent: boolean;
  /** `now`: an emergency (same as `urgent`); `possible`: might be one ("help", "mi esposo"), worth one question. */
  readonly urgency?: Urgency;
  /** The normalised tokens the decision was made on (for the engine's wording checks). */
  readonly tokens: readonly string[];
}

interface Featurised {
  readonly example: Example;
  readonly intent: LabelledFeatures;
  readonly language: LabelledFeatures;
}

function featurise(examples: readonly Example[], options: FeatureOptions): Featurised[] {
  return examples.map((example) => {
    const { tokens } = normalise(example.text);
    return {
      example,
      intent: { label: example.intent, features: intentFeatures(tokens, example.lang, options) },
      language: { label: example.lang, features: languageFeatures(tokens) },
    };
  });
}

const SHARPNESS_GRID = [1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 65, 80, 100, 130, 160, 200];
const EVIDENCE_GRID = [0, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * Picks the sharpness and evidence constants that minimise held-out negative log-likelihood (3 internal folds), so
 * confidences mean what they say. Cheap: features are computed once; only the per-class sums are rescaled.
 */
function calibrate(data: readonly LabelledFeatures[], ids: readonly string[], alpha: number): { sharpness: number; evidence: number } {
  const k = 3;
  const position = new Map(data.map((d, i) => [d, i]));
  const folds = stratifiedFolds(data, k, (d) => d.label, (d) => ids[position.get(d)!] ?? '');
  const held: { priors: number[]; sums: Float64Array; weight: number; truth: number }[] = [];
  for (let f = 0; f < k; f++) {
    const model = trainNaiveBayes(data.filter((_, i) => folds[i] !== f), { alpha });
    data.forEach((d, i) => {
      if (folds[i] !== f) return;
      const truth = model.labels.indexOf(d.label);
      if (truth < 0) return;
      const { sums, weight } = evidenceOf(model, d.features);
      if (weight === 0) return;
      held.push({ priors: model.logPriors, sums, weight, truth });
    });
  }
  let best = { sharpness: SHARPNESS_GRID[0], evidence: 0 };
  let bestLoss = Infinity;
  // The same sums as scoring would make, computed in place (198 grid points × every held-out example).
  const scores = new Float64Array(Math.max(...held.map((h) => h.sums.length), 1));
  for (const evidence of EVIDENCE_GRID) {
    for (const sharpness of SHARPNESS_GRID) {
      let loss = 0;
      for (const h of held) {
        const n = h.sums.length;
        const scale = sharpness / (h.weight + evidence);
        let max = -Infinity;
        for (let i = 0; i < n; i++) {
          scores[i] = h.priors[i] + h.sums[i] * scale;
          if (scores[i] > max) max = scores[i];
        }
        let total = 0;
        for (let i = 0; i < n; i++) total += Math.exp(scores[i] - max);
        loss += max + Math.log(total) - scores[h.truth];
      }
      if (loss < bestLoss) [best, bestLoss] = [{ sharpness, evidence }, loss];
    }
  }
  return best;
}

/** Options for {@link trainModel}. */
export interface TrainModelOptions {
  readonly features?: FeatureOptions;
  readonly alpha?: number;
}

/** Trains the intent and language models from labelled examples. Pure: no I/O. */
export function trainModel(corpus: Pick<Corpus, 'examples' | 'fingerprint'>, options: TrainModelOptions = {}): TrainedModel {
  const featureOptions = options.features ?? DEFAULT_FEATURE_OPTIONS;
  const alpha = options.alpha ?? 0.1;
  const data = featurise(corpus.examples, featureOptions);
  const ids = corpus.examples.map((e) => `${e.intent}|${e.lang}|${e.text}`);
  const intentData = data.map((d) => d.intent);
  const languageData = data.map((d) => d.language);
  const ic = calibrate(intentData, ids, alpha);
  const lc = calibrate(languageData, ids, 0.5);
  const intent = withCalibration(trainNaiveBayes(intentData, { alpha }), ic.sharpness, ic.evidence);
  const language = withCalibration(trainNaiveBayes(languageData, { alpha: 0.5 }), lc.sharpness, lc.evidence);
  return { format: MODEL_FORMAT, fingerprint: corpus.fingerprint, featureOptions, intent, language, trainedOn: corpus.examples.length };
}

/** A token's own features as rows of a model's scoring table (features the model never saw left out). */
interface TokenRows {
  /** For bigrams (intent model only); undefined for an emoji. */
  readonly stem: string | undefined;
  readonly rows: readonly number[];
  readonly weights: readonly number[];
  /** Language model only: the token's own probability of Spanish, worked out the first time it is needed. */
  pEs?: number;
}

/** A token's own probability of Spanish, from its rows of the language model alone. */
function wordEs(model: NaiveBayesModel, own: TokenRows): number {
  const word = new Evidence(model);
  for (let i = 0; i < own.rows.length; i++) word.add(own.rows[i], own.weights[i]);
  return word.prediction().ranked.find((r) => r.label === 'es')?.probability ?? 0.5;
}

/** Tokens whose rows are remembered, per model; past this the cache starts again (words repeat: it refills fast). */
const TOKEN_CACHE_SIZE = 10_000;

/** Understands messages with a trained model. Stateless apart from caches; safe to share. */
export class Nlu {
  private readonly intentRows = new Map<string, TokenRows>();
  private readonly languageRows = new Map<string, TokenRows>();

  constructor(
    readonly model: TrainedModel,
    readonly decision: DecisionOptions = DEFAULT_DECISION,
  ) {}

  /**
   * The intent model's prediction for the tokens, summed token by token from cached rows: the same result as
   * `predict(model.intent, intentFeatures(tokens, lang))` without building the feature bag (a message costs one cache
   * lookup per word and one hash lookup per bigram).
   */
  private predictIntent(tokens: readonly string[], lang: Lang): Prediction {
    const model = this.model.intent;
    const offsets = featureOffsets(model);
    const evidence = new Evidence(model);
    const bigramWeight = this.model.featureOptions.bigramWeight;
    let previous: string | undefined;
    for (const token of tokens) {
      const own = this.rowsOf(this.intentRows, `${lang}\u0000${token}`, () => tokenIntentFeatures(token, lang, this.model.featureOptions), offsets);
      for (let i = 0; i < own.rows.length; i++) evidence.add(own.rows[i], own.weights[i]);
      if (own.stem === undefined) continue;
      if (previous !== undefined && bigramWeight > 0) {
        const at = offsets.get(bigramFeature(previous, own.stem));
        if (at !== undefined) evidence.add(at, bigramWeight);
      }
      previous = own.stem;
    }
    return evidence.prediction();
  }

  /**
   * The language model's prediction, the same way (`predict(model.language, languageFeatures(tokens))`), and each
   * word's own probability of Spanish.
   */
  private predictLanguage(tokens: readonly string[]): { prediction: Prediction; wordsEs: number[] } {
    const model = this.model.language;
    const offsets = featureOffsets(model);
    const evidence = new Evidence(model);
    const wordsEs: number[] = [];
    let seen = 0;
    for (const token of tokens) {
      if (seen++ >= LANGUAGE_TOKENS) break;
      if (!speaksLanguage(token)) continue;
      const own = this.rowsOf(this.languageRows, token, () => ({ stem: undefined, features: tokenLanguageFeatures(token) }), offsets);
      if (own.rows.length === 0) continue;
      for (let i = 0; i < own.rows.length; i++) evidence.add(own.rows[i], own.weights[i]);
      own.pEs ??= wordEs(model, own);
      wordsEs.push(own.pEs);
    }
    return { prediction: evidence.prediction(), wordsEs };
  }

  private rowsOf(cache: Map<string, TokenRows>, key: string, featuresOf: () => TokenFeatures, offsets: ReadonlyMap<string, number>): TokenRows {
    let entry = cache.get(key);
    if (entry === undefined) {
      const { stem, features } = featuresOf();
      const rows: number[] = [];
      const weights: number[] = [];
      for (const [feature, weight] of features) {
        const at = offsets.get(feature);
        if (at === undefined) continue;
        rows.push(at);
        weights.push(weight);
      }
      entry = { stem, rows, weights };
      if (cache.size >= TOKEN_CACHE_SIZE) cache.clear();
      cache.set(key, entry);
    }
    return entry;
  }

  /**
   * Understands one message. `hint` is the conversation's language, used when the message itself does not say
   * (one word, emoji, numbers). Never throws; empty or unknown input comes back as `none` with confidence 0.
   */
  understand(text: string, hint?: Lang): Understanding {
    const normalised = normalise(text);
    const { tokens } = normalised;
    const words = tokens.filter((t) => !isEmojiToken(t));
    const emojiOnly = tokens.length > 0 && words.length === 0;
    const foreignScript = normalised.foreignLetters > normalised.latinLetters;
    const { language, languageConfidence, languageWordConfidence } = this.detectLanguage(tokens, normalised.spanishMarks, hint);
    const stemLang: Lang = languageConfidence >= 0.6 || !hint ? language : hint;
    const prediction = this.predictIntent(tokens, stemLang);
    const known = prediction.knownFeatures > 0 && !foreignScript;
    const ranked = known ? prediction.ranked : [];
    const first = ranked[0];
    const second = ranked[1];
    const confidence = first?.probability ?? 0;
    const top = first?.label ?? NONE;
    const candidates = ranked.filter((r) => r.label !== NONE).slice(0, 3);
    const sure =
      first !== undefined &&
      confidence >= this.decision.threshold &&
      confidence - (second?.probability ?? 0) >= this.decision.margin;
    const intent = sure ? top : NONE;
    const urgentScore = ranked.find((r) => r.label === 'urgent_detention')?.probability ?? 0;
    // The classifier alone never raises an alert: without a word of enforcement it is only a possible emergency.
    const otherTopic = top !== 'urgent_detention' && top !== NONE ? confidence : 0;
    const urgency = urgencyOf(tokens, urgentScore, otherTopic) ?? (intent === 'urgent_detention' ? 'possible' : undefined);
    return {
      intent, confidence, top, candidates, language, languageConfidence, languageWordConfidence,
      wordCount: words.length, emojiOnly, foreignScript, urgent: urgency === 'now', urgency, tokens,
    };
  }

  private detectLanguage(tokens: readonly string[], spanishMarks: number, hint?: Lang): { language: Lang; languageConfidence: number; languageWordConfidence: number } {
    const { prediction, wordsEs } = this.predictLanguage(tokens);
    const marked = spanishMarks > 0 ? 0.9 : 0;
    if (prediction.knownFeatures === 0) {
      if (spanishMarks > 0) return { language: 'es', languageConfidence: 0.9, languageWordConfidence: marked };
      return { language: hint ?? 'en', languageConfidence: 0, languageWordConfidence: 0 };
    }
    let pEs = prediction.ranked.find((r) => r.label === 'es')?.probability ?? 0;
    // ñ, ¿, ¡ and accented vowels are Spanish evidence the folded tokens no longer carry.
    if (spanishMarks > 0) pEs = Math.max(pEs, 1 - (1 - pEs) * 0.1);
    if (pEs >= 0.5) return { language: 'es', languageConfidence: pEs, languageWordConfidence: Math.max(marked, ...wordsEs) };
    return { language: 'en', languageConfidence: 1 - pEs, languageWordConfidence: Math.max(0, ...wordsEs.map((p) => 1 - p)) };
  }
}
