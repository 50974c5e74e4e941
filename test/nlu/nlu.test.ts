import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/nlu/corpus';
import { intentFeatures, languageFeatures } from '../../src/nlu/features';
import { predict, trainNaiveBayes } from '../../src/nlu/naive-bayes';
import { normalise } from '../../src/nlu/normalise';
import { loadOrTrain } from '../../src/nlu/model-store';
import { projectNlu, tempDir } from '../helpers';

const nlu = projectNlu();

describe('language detection on short, accentless, misspelled text', () => {
  it.each([
    ['hola', 'es'], ['buenas tardes', 'es'], ['mi esposo', 'es'], ['ayuda porfa', 'es'], ['q hago', 'es'],
    ['nesesito abogado', 'es'], ['hi there', 'en'], ['help pls', 'en'], ['my husband', 'en'], ['wat do i do', 'en'],
    ['need lawyer', 'en'], ['gracias', 'es'], ['thanks', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(nlu.understand(text).language).toBe(lang);
  });
});

describe('how sure single words are of the language', () => {
  it('words both languages use say little on their own; one clear word or an accent says it', () => {
    expect(nlu.understand('habeas corpus').languageWordConfidence).toBeLessThan(0.85);
    expect(nlu.understand('que es habeas corpus').languageWordConfidence).toBeGreaterThan(0.95);
    expect(nlu.understand('what is habeas corpus').languageWordConfidence).toBeGreaterThan(0.95);
    const accented = nlu.understand('hábeas corpus');
    expect(accented.language).toBe('es');
    expect(accented.languageWordConfidence).toBeGreaterThanOrEqual(0.9);
  });
});

describe('intent classification', () => {
  it.each([
    ['what is 287g', 'about_287g'],
    ['mi condado tiene convenio 287(g) con ICE?', 'about_287g'],
    ['my green card application is stuck at uscis for 2 years', 'uscis_delay'],
    ['que es un writ of mandamus', 'mandamus'],
    ['the jail wont let my brother go because of an ice hold', 'ice_detainer'],
    ['cuanto cuesta la consulta', 'fees'],
    ['quiero hablar con una persona', 'human'],
    ['gracias!!', 'thanks'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.understand(text).intent).toBe(intent);
  });

  it('answers none for out-of-scope and unknown input instead of the largest class', () => {
    for (const text of ['asdfgh', 'qwerty zxcv', '', '🙂']) {
      const u = nlu.understand(text);
      expect(u.intent).toBe('none');
    }
    expect(nlu.understand('asdfgh').candidates[0].probability).toBeLessThan(0.4);
  });

  it('returns a real probability distribution, even for very long messages', () => {
    const long = 'my husband was detained by ice and the jail will not release him '.repeat(500);
    const u = nlu.understand(long);
    expect(Number.isFinite(u.confidence)).toBe(true);
    expect(u.confidence).toBeGreaterThan(0);
    expect(u.confidence).toBeLessThanOrEqual(1);
    const p = predict(nlu.model.intent, new Map([['w:detain', 1]]));
    expect(p.ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 10);
  });

  it('flags emergencies by wording even when the classifier is unsure, and not hypotheticals', () => {
    expect(nlu.understand('ice grabbed my dad outside').urgent).toBe(true);
    expect(nlu.understand('se llevaron a mi papa los de la migra').urgent).toBe(true);
    expect(nlu.understand('que pasa si la migra viene a mi casa').urgent).toBe(false);
    expect(nlu.understand('what if ice comes to my job').urgent).toBe(false);
  });
});

describe('naive Bayes', () => {
  it('ignores unseen features and reports how many were known', () => {
    const model = trainNaiveBayes([
      { label: 'a', features: new Map([['x', 1]]) },
      { label: 'b', features: new Map([['y', 1]]) },
    ]);
    expect(predict(model, new Map([['zzz', 1]])).knownFeatures).toBe(0);
    expect(predict(model, new Map([['x', 1]])).ranked[0].label).toBe('a');
  });
});

describe('saved model', () => {
  it('is trained when missing, reloaded when unchanged, retrained when intents change', () => {
    const tmp = tempDir();
    try {
      const intents = join(tmp.dir, 'intents');
      mkdirSync(intents);
      const write = (extra: string) =>
        writeFileSync(join(intents, 'greeting.yml'), `examples:\n  en:\n    - hello\n    - hi there\n${extra}  es:\n    - hola\n    - buenas\n`);
      writeFileSync(join(intents, 'thanks.yml'), 'examples:\n  en:\n    - thank you\n    - thanks a lot\n  es:\n    - gracias\n    - muchas gracias\n');
      write('');
      const file = join(tmp.dir, 'model.json');
      expect(loadOrTrain(intents, file).source).toBe('trained');
      expect(loadOrTrain(intents, file).source).toBe('loaded');
      write('    - good morning\n');
      const again = loadOrTrain(intents, file);
      expect(again.source).toBe('trained');
      expect(again.model.trainedOn).toBe(9);
      writeFileSync(file, '{ truncated');
      expect(loadOrTrain(intents, file).source).toBe('trained');
    } finally {
      tmp.remove();
    }
  });
});

describe('scoring token by token from cached rows', () => {
  it('gives exactly what scoring the whole feature bag gives, for every message of the corpus (and again from the cache)', () => {
    const corpus = loadCorpus(join(__dirname, '..', '..', 'intents'));
    const texts = [...corpus.examples.map((e) => e.text), 'ICE 🚨🚨 en mi puerta 😭', 'x'.repeat(3000), '123 456', ''];
    for (const round of [1, 2]) {
      for (const text of texts) {
        const u = nlu.understand(text);
        const { tokens } = normalise(text);
        const bag = predict(nlu.model.intent, intentFeatures(tokens, u.language, nlu.model.featureOptions));
        if (bag.knownFeatures === 0 || u.foreignScript) {
          expect([round, text, u.candidates]).toEqual([round, text, []]);
          continue;
        }
        expect([round, text, u.top]).toEqual([round, text, bag.ranked[0].label]);
        expect(Math.abs(u.confidence - bag.ranked[0].probability)).toBeLessThan(1e-9);
        const language = predict(nlu.model.language, languageFeatures(tokens));
        const pEs = language.ranked.find((r) => r.label === 'es')?.probability ?? 0;
        if (language.knownFeatures > 0 && normalise(text).spanishMarks === 0) {
          expect(Math.abs(u.languageConfidence - (u.language === 'es' ? pEs : 1 - pEs))).toBeLessThan(1e-9);
        }
      }
    }
  });
});
