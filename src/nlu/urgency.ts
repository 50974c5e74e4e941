/**
 * Wording that means an enforcement action is happening now or has just happened (SPEC §2.7).
 *
 * The classifier learns this intent from examples, but missing a real emergency costs far more than an unneeded rights
 * message, so a small bilingual lexicon backs it up for phrasings the classifier scores low. It also tells a real
 * report ("ICE took my husband") from a message that only might be one ("help", "mi esposo"), which gets one
 * clarifying question instead of an alert to staff at any hour. Hypothetical wording ("what if", "que pasa si") and
 * old detentions ("for 8 months") stand down.
 */

/** How sure the wording is that an enforcement action is under way. */
export type Urgency = 'now' | 'possible';

/** Words that say someone is being or was just detained. */
const DETENTION = new Set([
  'arrested', 'arresting', 'detained', 'detaining', 'handcuffed', 'cuffed', 'raid', 'raiding', 'knocking', 'banging',
  'pounding', 'grabbed', 'deporting',
  'agarraron', 'agarro', 'detuvieron', 'detuvo', 'detenido', 'detenida', 'detenidos', 'arrestaron', 'arresto',
  'arrestado', 'arrestada', 'arrestando', 'esposaron', 'redada', 'tocando', 'golpeando', 'capturaron', 'deteniendo',
  'atraparon', 'pescaron',
]);

/** Words that mean detention only next to an agent ("they took my dad" vs "I took the test"). */
const WEAK_DETENTION = new Set([
  'took', 'taken', 'taking', 'caught', 'picked', 'putting', 'llevaron', 'llevo', 'llevando', 'levantaron', 'recogieron', 'metieron',
  'metiendo', 'subieron', 'subiendo',
]);

/** Words that say agents hold someone ("immigration has my dad", "ICE tiene a mi esposo", "in ICE detention"). */
const HOLDING = new Set(['has', 'have', 'got', 'holding', 'custody', 'detention', 'tiene', 'tienen', 'custodia', 'detencion']);

const AGENTS = new Set([
  'ice', 'migra', 'inmigracion', 'immigration', 'agents', 'agentes', 'agent', 'agente', 'police', 'policia', 'cops',
  'officers', 'oficiales', 'sheriff', 'federales', 'feds', 'patrulla',
]);

/** Family and close people a client writes about. */
const RELATIONS = new Set([
  'husband', 'wife', 'dad', 'father', 'mom', 'mother', 'son', 'daughter', 'brother', 'sister', 'cousin', 'uncle', 'aunt',
  'boyfriend', 'girlfriend', 'partner', 'grandfather', 'grandmother', 'nephew', 'niece', 'family', 'kid', 'kids', 'child',
  'esposo', 'esposa', 'marido', 'mujer', 'papa', 'papi', 'padre', 'mama', 'mami', 'madre', 'hijo', 'hija', 'hermano',
  'hermana', 'primo', 'prima', 'tio', 'tia', 'novio', 'novia', 'pareja', 'abuelo', 'abuela', 'sobrino', 'sobrina',
  'familia', 'familiar', 'hijos', 'nino', 'suegro', 'cunado',
]);

/** Where agents are when it is happening now. */
const PLACE = new Set(['door', 'outside', 'here', 'inside', 'puerta', 'afuera', 'aqui', 'adentro', 'aca']);

const NOW = new Set([
  'now', 'just', 'today', 'tonight', 'ago', 'currently', 'happening', 'help', 'urgent', 'emergency', 'sos', 'hurry',
  'ahorita', 'ahora', 'acaba', 'acaban', 'hoy', 'hace', 'rato', 'ratito', 'ayuda', 'auxilio', 'urgente', 'emergencia',
  'rapido', 'ya', 'mismo',
]);

/** A call for help with nothing else: could be an emergency, could be anything. */
const HELP = new Set(['help', 'ayuda', 'ayudame', 'ayudenme', 'auxilio', 'socorro', 'sos', 'emergency', 'emergencia', 'urgent', 'urgente']);

/** Words that carry nothing on their own (greetings, "please", "my", "is", emoji are filtered before). */
const FILLER = new Set([
  'please', 'me', 'my', 'mi', 'mis', 'i', 'need', 'necesito', 'por', 'favor', 'hola', 'hi', 'hello', 'hey', 'someone', 'alguien',
  'is', 'es', 'el', 'la', 'a', 'the', 'plz', 'pls', 'por favor', 'oh', 'god', 'dios', 'mio', 'ay', 'no', 'que', 'hago', 'do', 'what',
  'now', 'ahora', 'ya', 'quick', 'rapido', 'asap', 'urgently', 'urgentemente', 'its', 'an', 'una', 'un', 'y', 'and', 'so', 'entonces',
]);

/** Every word the checks below know (one lookup for "is it any of them"). */
const KNOWN = new Set([...DETENTION, ...WEAK_DETENTION, ...HOLDING, ...AGENTS, ...PLACE, ...NOW, ...RELATIONS, ...HELP]);

/** Question words: "how do I get him out of ICE detention" asks how, it does not report. */
const QUESTION = new Set(['how', 'what', 'como', 'que', 'why', 'porque', 'where', 'donde', 'long', 'tiempo', 'cuanto', 'can', 'puedo']);

/** Wording of someone preparing or asking in general. */
const HYPOTHETICAL = new Set([
  'if', 'si', 'when', 'cuando', 'could', 'would', 'should', 'can', 'may', 'might', 'pueden', 'puede', 'podrian',
  'deberia', 'rights', 'derechos', 'last', 'pasado', 'hold', 'detainer', 'habeas', 'bond', 'fianza',
]);

/** Wording of a detention that is not new (weeks or years ago, already deported): never an emergency in progress. */
const PAST = new Set([
  'months', 'meses', 'years', 'anos', 'year', 'ano', 'weeks', 'semanas', 'deported', 'deportaron', 'deportado', 'deportada',
]);
const YEAR = /^(?:19|20)\d\d$/;

/**
 * How urgent the message reads. `classifierScore` is the classifier's probability for `urgent_detention`; it lowers
 * the bar on wording, but without a word of enforcement (an agent, an arrest) it can only make a message `possible`.
 * `otherTopic` is the classifier's confidence that the message is about another topic (a past arrest someone wants to
 * sue for, a detainer): then the wording must also say it is happening now.
 */
export function urgencyOf(tokens: readonly string[], classifierScore: number, otherTopic = 0): Urgency | undefined {
  let detention = false;
  let weak = false;
  let holding = false;
  let agent = false;
  let place = false;
  let now = false;
  let relation = false;
  let help = false;
  let question = false;
  let hypothetical = false;
  let other = 0;
  for (const token of tokens) {
    if (PAST.has(token) || YEAR.test(token)) return undefined;
    if (HYPOTHETICAL.has(token)) hypothetical = true;
    const known = KNOWN.has(token);
    if (DETENTION.has(token)) detention = true;
    if (WEAK_DETENTION.has(token)) weak = true;
    if (HOLDING.has(token)) holding = true;
    if (AGENTS.has(token)) agent = true;
    if (PLACE.has(token)) place = true;
    if (NOW.has(token)) now = true;
    if (RELATIONS.has(token)) relation = true;
    if (HELP.has(token)) help = true;
    if (QUESTION.has(token)) question = true;
    if (!known && !FILLER.has(token) && !/^\p{Extended_Pictographic}$/u.test(token)) other++;
  }
  // A classifier this sure outweighs a word such as "when" or "last" ("they took him when he went to his check-in").
  if (hypothetical && classifierScore < 0.5) return undefined;
  // "immigration has my dad", "my wife is in ICE detention": a report; "how do I get him out of ICE detention" asks.
  if (agent && holding && relation && !question) return 'now';
  // "The police arrested me without probable cause, can I sue?": about another topic unless it is happening now.
  if (otherTopic >= 0.7 && classifierScore < 0.15 && !now) return undefined;
  if (detention && (agent || now)) return 'now';
  if (agent && (weak || place)) return 'now';
  // The classifier reads an emergency and the words say something is happening (an arrest, a place, "now").
  if (classifierScore >= 0.35 && (agent || detention || weak || place)) return 'now';
  if (classifierScore >= 0.5 && now && other >= 2) return 'now';
  // A relative named alone ("mi esposo") is a possible emergency however sure the classifier is; with more said, it is one.
  if (classifierScore >= 0.6 && relation && other >= 1) return 'now';
  if (classifierScore >= 0.15 && (agent || weak) && now) return 'now';
  // Nothing says enforcement: at most a possible emergency.
  if ((help || relation || detention) && other === 0) return 'possible';
  if (classifierScore >= 0.35) return 'possible';
  return undefined;
}

/** True when the message reads as an emergency in progress (kept for callers that need a yes or no). */
export function looksUrgent(tokens: readonly string[], classifierScore: number): boolean {
  return urgencyOf(tokens, classifierScore) === 'now';
}

/** Wording of agents at the door or a raid happening right now. */
const AT_THE_DOOR = new Set([
  'door', 'puerta', 'outside', 'afuera', 'inside', 'adentro', 'knocking', 'banging', 'pounding', 'tocando', 'golpeando',
  'raid', 'raiding', 'redada', 'here', 'aqui', 'aca', 'entering', 'entrando', 'forcing', 'forzando',
]);

/** "outside"/"afuera" followed by one of these says where it happened ("afuera del trabajo"), not that agents are there. */
const OUTSIDE = new Set(['outside', 'afuera']);
const BETWEEN = new Set(['of', 'the', 'his', 'her', 'my', 'their', 'a', 'de', 'del', 'la', 'el', 'su', 'mi', 'un', 'una']);
const ELSEWHERE = new Set([
  'work', 'job', 'jobsite', 'store', 'court', 'courthouse', 'church', 'school', 'station', 'depot', 'shop', 'restaurant', 'factory',
  'trabajo', 'chamba', 'tienda', 'corte', 'iglesia', 'escuela', 'estacion', 'parada', 'restaurante', 'fabrica', 'taller',
]);

/**
 * True when the message says agents are at the door or a raid is under way right now: in a case that is already
 * open, that is a new emergency (the rights again, staff alerted again), not one more detail. "Outside" a workplace,
 * a court or a store says where someone was taken ("lo agarraron afuera del trabajo"), not that agents are here.
 */
export function atTheDoor(tokens: readonly string[]): boolean {
  return tokens.some((t, i) => AT_THE_DOOR.has(t) && !(OUTSIDE.has(t) && placeAfter(tokens, i + 1)));
}

function placeAfter(tokens: readonly string[], from: number): boolean {
  let i = from;
  while (i < tokens.length && BETWEEN.has(tokens[i])) i++;
  return ELSEWHERE.has(tokens[i]) || (tokens[i] === 'home' && tokens[i + 1] === 'depot');
}
