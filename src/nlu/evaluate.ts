/**
 * Measuring understanding: stratified k-fold cross-validation over `intents/`, or a labelled test file.
 */
import type { Corpus, Example, FollowUpCase } from './corpus';
import { stratifiedFolds } from './folds';
import { Nlu, trainModel, type DecisionOptions, type TrainModelOptions, type Understanding } from './nlu';
import { LANGS, NONE, type IntentId, type Lang } from './types';

/** Precision, recall and F1 of one intent. */
export interface IntentScore {
  readonly intent: IntentId;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Accuracy and macro-F1 of a set of predictions. */
export interface Summary {
  readonly examples: number;
  readonly accuracy: number;
  readonly macroF1: number;
}

/** Everything `npx puente eval` reports. */
export interface EvalReport extends Summary {
  readonly method: string;
  readonly perLanguage: Record<Lang, Summary>;
  readonly perIntent: IntentScore[];
  readonly confusedPairs: { truth: IntentId; predicted: IntentId; count: number }[];
  /** Share of out-of-scope (`none`) examples that Puente answered `none`. */
  readonly outOfScopeAsNone: number;
  /** Share of in-scope examples answered with an intent other than `none` (the rest got "did you mean"). */
  readonly inScopeAnswered: number;
  /** Share of `urgent_detention` examples that took the urgent path (classifier or wording). */
  readonly urgentRecall: number;
  /** Follow-ups read in the context of the topic just answered (`intents/context/`), when measured. */
  readonly followUps?: { readonly examples: number; readonly accuracy: number; readonly misses: readonly (FollowUpCase & { got: IntentId })[] };
}

/** One prediction with its truth. */
export interface Outcome {
  readonly example: Example;
  readonly predicted: IntentId;
  readonly urgent: boolean;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function perIntent(outcomes: readonly Outcome[]): IntentScore[] {
  const intents = [...new Set(outcomes.map((o) => o.example.intent))].sort();
  return intents.map((intent) => {
    const tp = outcomes.filter((o) => o.example.intent === intent && o.predicted === intent).length;
    const predicted = outcomes.filter((o) => o.predicted === intent).length;
    const support = outcomes.filter((o) => o.example.intent === intent).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, precision, recall, f1, support };
  });
}

function summarise(outcomes: readonly Outcome[]): Summary {
  const scores = perIntent(outcomes);
  return {
    examples: outcomes.length,
    accuracy: ratio(outcomes.filter((o) => o.predicted === o.example.intent).length, outcomes.length),
    macroF1: ratio(scores.reduce((s, x) => s + x.f1, 0), scores.length),
  };
}

/** Builds the report from predictions. */
export function report(method: string, outcomes: readonly Outcome[]): EvalReport {
  const confusions = new Map<string, number>();
  for (const o of outcomes) {
    if (o.predicted === o.example.intent) continue;
    const key = `${o.example.intent}\t${o.predicted}`;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  }
  const outOfScope = outcomes.filter((o) => o.example.intent === NONE);
  const inScope = outcomes.filter((o) => o.example.intent !== NONE);
  const urgent = outcomes.filter((o) => o.example.intent === 'urgent_detention');
  return {
    method,
    ...summarise(outcomes),
    perLanguage: Object.fromEntries(LANGS.map((l) => [l, summarise(outcomes.filter((o) => o.example.lang === l))])) as Record<Lang, Summary>,
    perIntent: perIntent(outcomes),
    confusedPairs: [...confusions.entries()]
      .map(([key, count]) => {
        const [truth, predicted] = key.split('\t');
        return { truth, predicted, count };
      })
      .sort((a, b) => b.count - a.count || a.truth.localeCompare(b.truth))
      .slice(0, 10),
    outOfScopeAsNone: ratio(outOfScope.filter((o) => o.predicted === NONE).length, outOfScope.length),
    inScopeAnswered: ratio(inScope.filter((o) => o.predicted !== NONE).length, inScope.length),
    urgentRecall: ratio(urgent.filter((o) => o.urgent).length, urgent.length),
  };
}

/**
 * How a message is finally read: the classifier's intent by default; the CLI passes the engine's reading (its wording
 * rules and follow-ups), so the figures are what clients get.
 */
export type Reader = (u: Understanding, text: string, previous?: IntentId) => IntentId;

const classifierOnly: Reader = (u) => u.intent;

/** Predicts every example with one understanding model. */
export function predictAll(nlu: Nlu, examples: readonly Example[], read: Reader = classifierOnly): Outcome[] {
  return examples.map((example) => {
    const u = nlu.understand(example.text);
    return { example, predicted: read(u, example.text), urgent: u.urgent };
  });
}

/** Share of follow-ups read as the expected topic in context, and the misses. */
export function evaluateFollowUps(nlu: Nlu, cases: readonly FollowUpCase[], read: Reader): { accuracy: number; misses: (FollowUpCase & { got: IntentId })[] } {
  const misses: (FollowUpCase & { got: IntentId })[] = [];
  for (const c of cases) {
    const got = read(nlu.understand(c.text), c.text, c.after);
    if (got !== c.expect) misses.push({ ...c, got });
  }
  return { accuracy: ratio(cases.length - misses.length, cases.length), misses };
}

/** Stratified (intent × language) k-fold cross-validation: each fold is predicted by a model that never saw it. */
export function crossValidate(corpus: Corpus, k: number, decision: DecisionOptions, options: TrainModelOptions = {}, read: Reader = classifierOnly): EvalReport {
  const folds = stratifiedFolds(corpus.examples, k, (e) => `${e.intent}|${e.lang}`, (e) => e.text);
  const outcomes: Outcome[] = [];
  for (let f = 0; f < k; f++) {
    const train = corpus.examples.filter((_, i) => folds[i] !== f);
    const test = corpus.examples.filter((_, i) => folds[i] === f);
    const nlu = new Nlu(trainModel({ examples: train, fingerprint: `fold-${f}` }, options), decision);
    outcomes.push(...predictAll(nlu, test, read));
  }
  return report(`${k}-fold stratified cross-validation`, outcomes);
}
