import { normalise } from '../../src/nlu/normalise';

describe('normalise', () => {
  it.each([
    ['¿Qué es el 287(g)?', ['que', 'es', 'el', '287g']],
    ['287 g', ['287g']],
    ['what is 287-g', ['what', 'is', '287g']],
    ['DETENCIÓN', ['detencion']],
    ['holaaaaa', ['hola']],
    ['xq no me contestan', ['porque', 'no', 'me', 'contestan']],
    ['pls help u', ['please', 'help', 'you']],
    ['my I-130 and N 400', ['my', 'i130', 'and', 'n400']],
    ['niño', ['nino']],
    ['gracias 🙏', ['gracias', '🙏']],
  ])('%s → %j', (input, tokens) => {
    expect(normalise(input).tokens).toEqual(tokens);
  });

  it('returns no tokens for empty, control characters or punctuation', () => {
    for (const input of ['', '   ', '\u0000\u0001', '?!...']) expect(normalise(input).tokens).toEqual([]);
  });

  it('counts Spanish-only marks and foreign scripts before folding', () => {
    expect(normalise('¿dónde está?').spanishMarks).toBeGreaterThan(0);
    expect(normalise('我的丈夫').foreignLetters).toBeGreaterThan(0);
  });

  it('looks only at the first 2,000 characters', () => {
    expect(normalise('word '.repeat(100_000)).tokens.length).toBeLessThanOrEqual(400);
  });
});
