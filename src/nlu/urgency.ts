/**
 * Wording that means an enforcement action is happening now or has just happened (SPEC §2.7).
 *
 * The classifier learns this intent from examples, but missing a real emergency costs far more than an unneeded rights
 * message, so a small bilingual lexicon backs it up for phrasings the classifier scores low. It looks for a detention
 * word together with a "now / just / help" word, and stands down on hypothetical wording ("what if", "que pasa si").
 */

/** Words that say someone is being or was just detained. */
const DETENTION = new Set([
  'arrested', 'arresting', 'detained', 'detaining', 'handcuffed', 'cuffed', 'raid', 'raiding', 'knocking', 'banging',
  'pounding', 'grabbed', 'deporting',
  'agarraron', 'agarro', 'detuvieron', 'detuvo', 'detenido', 'detenida', 'detenidos', 'arrestaron', 'arresto',
  'arrestado', 'arrestada', 'arrestando', 'esposaron', 'redada', 'tocando', 'golpeando', 'capturaron', 'deteniendo',
  'atraparon', 'pescaron',
]);

/** Words that mean detention only next to an agent ("they took my dad" vs "I took the test"). */
const WEAK_DETENTION = new Set(['took', 'taken', 'taking', 'caught', 'picked', 'llevaron', 'llevo', 'llevando', 'levantaron', 'recogieron']);

const AGENTS = new Set([
  'ice', 'migra', 'inmigracion', 'immigration', 'agents', 'agentes', 'agent', 'agente', 'police', 'policia', 'cops',
  'officers', 'oficiales', 'sheriff', 'federales', 'feds', 'patrulla',
]);

/** Where agents are when it is happening now. */
const PLACE = new Set(['door', 'outside', 'here', 'inside', 'puerta', 'afuera', 'aqui', 'adentro', 'aca']);

const NOW = new Set([
  'now', 'just', 'today', 'tonight', 'ago', 'currently', 'happening', 'help', 'urgent', 'emergency', 'sos', 'hurry',
  'ahorita', 'ahora', 'acaba', 'acaban', 'hoy', 'hace', 'rato', 'ratito', 'ayuda', 'auxilio', 'urgente', 'emergencia',
  'rapido', 'ya', 'mismo',
]);

/** Wording of someone preparing or asking in general, or of a detention that is not new. */
const HYPOTHETICAL = new Set([
  'if', 'si', 'when', 'cuando', 'could', 'would', 'should', 'can', 'may', 'might', 'pueden', 'puede', 'podrian',
  'deberia', 'rights', 'derechos', 'months', 'meses', 'years', 'anos', 'year', 'ano', 'weeks', 'semanas',
  'last', 'pasado', 'hold', 'detainer', 'habeas', 'bond', 'fianza',
]);

/**
 * True when the message reads as an emergency in progress. `classifierScore` is the classifier's probability for
 * `urgent_detention`; a moderately confident classifier lowers the bar on wording.
 */
export function looksUrgent(tokens: readonly string[], classifierScore: number): boolean {
  if (classifierScore >= 0.35) return true;
  let detention = false;
  let weak = false;
  let agent = false;
  let place = false;
  let now = false;
  for (const token of tokens) {
    if (HYPOTHETICAL.has(token)) return false;
    if (DETENTION.has(token)) detention = true;
    if (WEAK_DETENTION.has(token)) weak = true;
    if (AGENTS.has(token)) agent = true;
    if (PLACE.has(token)) place = true;
    if (NOW.has(token)) now = true;
  }
  if (detention && (agent || now)) return true;
  if (agent && (weak || place)) return true;
  return classifierScore >= 0.15 && (agent || weak) && now;
}
