/** The understanding quality bar of SPEC §11, measured by 5-fold cross-validation on the project's own intents/. */
import { loadCorpus } from '../../src/nlu/corpus';
import { crossValidate } from '../../src/nlu/evaluate';
import { DEFAULT_DECISION } from '../../src/nlu/nlu';
import { INTENT_IDS } from '../../src/nlu/types';
import { INTENTS_DIR } from '../helpers';

const corpus = loadCorpus(INTENTS_DIR);

it('has every intent of the contract with at least 40 examples per language', () => {
  for (const id of INTENT_IDS) {
    for (const lang of ['en', 'es']) {
      expect([id, lang, corpus.examples.filter((e) => e.intent === id && e.lang === lang).length]).toEqual([id, lang, expect.any(Number)]);
      expect(corpus.examples.filter((e) => e.intent === id && e.lang === lang).length).toBeGreaterThanOrEqual(40);
    }
  }
});

/** SPEC §11's bars, exactly; urgent recall is ours (an emergency must not get "did you mean"). */
it('meets the cross-validated quality bars of SPEC §11', () => {
  const r = crossValidate(corpus, 5, DEFAULT_DECISION);
  expect(r.accuracy).toBeGreaterThanOrEqual(0.92);
  expect(r.macroF1).toBeGreaterThanOrEqual(0.9);
  expect(r.perLanguage.en.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(r.perLanguage.es.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(r.outOfScopeAsNone).toBeGreaterThanOrEqual(0.85);
  expect(r.urgentRecall).toBeGreaterThanOrEqual(0.95);
}, 120_000);
