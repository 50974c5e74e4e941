/**
 * Wording the engine reads directly, in both languages, where a rule is more reliable than the classifier: leaving a
 * form in words, privacy requests, asking for free advice or for news, acknowledgements and chit-chat, follow-up
 * questions about the topic just answered, questions during an emergency, and immigration to other countries.
 *
 * Every function takes the normalised tokens of the message (`Understanding.tokens` or `normalise()`), or its folded
 * text, and returns a value only when the wording is clear. Lookups use Sets and Maps, never plain objects, so no
 * client text can reach an inherited property.
 */
import { daysRuledOut } from '../booking/answers';
import { foldAccents, normalise, squeezeRepeats } from '../nlu/normalise';

/** Lower-case, accent-folded, squeezed text with punctuation as spaces: what the phrase patterns below read. */
export function folded(text: string): string {
  return ` ${squeezeRepeats(foldAccents(text)).replace(/[’‘`´']/g, '').replace(/[^a-z0-9#\s]/g, ' ').replace(/\s+/g, ' ').trim()} `;
}

const has = (text: string, pattern: RegExp) => pattern.test(folded(text));

// ── leaving a form ──────────────────────────────────────────────────────────────────────────────────────────────────

const LEAVE = new RegExp(
  ' (?:cancel|cancelo|cancela|cancelalo|cancelala|cancelamos|cancelemos|cancelar todo|mejor no|ya no(?: quiero)?|olvidalo|olvidala|olvida(?:te)?(?: de)? (?:eso|esto|la cita)|' +
    'dejalo|dejala|dejemoslo|no importa|never ?mind|forget (?:it|about it|that)|i changed my mind|cambie de (?:opinion|idea)|no (?:quiero|voy a) (?:reservar|hacer la cita|la cita|seguir)|' +
    'not anymore|stop booking|dont want to book|i dont want (?:it|to book|the appointment)|no gracias(?: ya no)?|salir|exit|quit) ',
);

const NAME_CUE = /^ (?:my name is|my names|name is|me llamo|mi nombre es|soy|i am|im) /;

/** "mejor cancelo", "sabes que mejor no", "never mind", "olvídalo": the client wants out of the form (not "me llamo Cancelo Ruiz"). */
export function wantsToLeave(text: string): boolean {
  const t = folded(text);
  return LEAVE.test(t) && !NAME_CUE.test(t);
}

const ANOTHER_TIME = / (?:otro dia|otra fecha|otra hora|otro horario|another (?:day|time|date)|different (?:day|time|date)|other (?:day|time)|not that (?:day|time)|ese dia no|a esa hora no|cant (?:do|make) (?:it|that))/;

/**
 * "otro día", "another time", or a day the client cannot do ("can't do wednesday", "no puedo el miércoles"): a
 * different time than the one on the table.
 */
export function wantsAnotherTime(text: string): boolean {
  return has(text, ANOTHER_TIME) || daysRuledOut(text).length > 0;
}

// ── privacy ─────────────────────────────────────────────────────────────────────────────────────────────────────────

const ERASE_VERB = / (?:delete|erase|remove|wipe|destroy|clear|borra|borrar|borre|borren|borrenme|borrame|borres|elimina|eliminar|elimine|eliminen|quita|quitar|quiten|suprimir|suprime)/;
const ERASE_OBJECT = / (?:data|info|information|informacion|details|messages|mensajes|datos|conversation|conversacion|chat|history|historial|number|numero|record|records|everything|todo|account|cuenta|registro) /;

/** "delete my data pls", "borren mis datos", "please erase everything": a request to erase (journey 9). */
export function wantsErasure(text: string): boolean {
  const t = folded(text);
  return ERASE_VERB.test(t) && ERASE_OBJECT.test(t) && !/ (?:how|como|can you|puedo|podria) .* (?:later|despues)/.test(t);
}

const STOP_WORDS = / (?:stop (?:messaging|texting|writing|sending)|dont (?:message|text|write to) me|no me (?:escriban|manden|envien|mande|escribas) mas|dejen de (?:escribir|mandar|enviar)|unsubscribe|darme de baja|dar de baja) /;

/** "stop texting me", "no me escriban más": the same as `stop`. */
export function wantsToStop(text: string): boolean {
  return has(text, STOP_WORDS);
}

// ── free advice (journey 4) ─────────────────────────────────────────────────────────────────────────────────────────

const FREE = / (?:free|gratis|gratuita|gratuito|sin costo|sin cobrar|no cost|complimentary|de gratis|for free) /;
const ADVICE = / (?:advice|advise|guidance|question|questions|consejo|consejos|orientacion|asesoria|pregunta|preguntas|consulta rapida|quick question) /;
const SEND_QUESTION = new RegExp(
  ' (?:send|ask|email|mandar|mandarle|mandarles|enviar|enviarle|enviarles|hacer|hacerle|hacerles|preguntar|preguntarle|preguntarles|dejar|dejarle) ' +
    '(?:\\w+ ){0,3}(?:question|questions|pregunta|preguntas|consulta) (?:\\w+ ){0,3}(?:lawyer|lawyers|attorney|attorneys|team|firm|abogado|abogada|abogados|equipo|oficina|licenciado|licenciada)',
);
const ASK_LAWYER = / (?:ask|preguntarle|preguntarles|consultarle) (?:a |al |the |an |to )?(?:lawyer|attorney|abogado|abogada|licenciado) (?:a |una )?(?:question|pregunta)/;

/** "can I send my question to the lawyer for free", "quiero mandarle mi pregunta al abogado", "just free advice". */
export function wantsFreeAdvice(text: string): boolean {
  const t = folded(text);
  return (FREE.test(t) && ADVICE.test(t)) || SEND_QUESTION.test(t) || ASK_LAWYER.test(t);
}

const FILLER_QUESTION = new Set([
  'idk', 'i', 'dont', 'know', 'no', 'se', 'nose', 'nada', 'nothing', 'ok', 'okay', 'yes', 'si', 'hmm', 'mm', 'umm', 'eh', 'ah',
  'lol', 'what', 'que', 'help', 'ayuda', 'hello', 'hola', 'hi', 'please', 'favor', 'por', 'thanks', 'gracias', 'idc', 'whatever',
  'nvm', 'k', 'ya', 'bueno', 'pues', 'y', 'and', 'so', 'entonces', 'eso', 'that', 'this', 'esto', 'the', 'el', 'la', 'a', 'question', 'pregunta',
  'my', 'mi', 'is', 'es', 'to', 'send', 'mandar', 'enviar', 'lawyer', 'abogado', 'free', 'gratis', 'advice', 'consejo',
]);

/** A real question worth sending to the team: at least three words that are not filler ("idk", "ok", "help"). */
export function isRealQuestion(text: string): boolean {
  const words = normalise(text).tokens.filter((t) => /^[a-z0-9]+$/.test(t));
  return words.filter((w) => !FILLER_QUESTION.has(w)).length >= 3;
}

const REQUEST_WORDS = new Set([
  'can', 'could', 'may', 'just', 'only', 'want', 'wanna', 'need', 'would', 'like', 'free', 'advice', 'advise', 'guidance', 'not',
  'paid', 'pay', 'consult', 'consultation', 'consulta', 'send', 'ask', 'email', 'question', 'questions', 'lawyer', 'attorney',
  'team', 'firm', 'for', 'do', 'you', 'offer', 'give', 'get', 'possible', 'a', 'an', 'quick', 'some', 'general', 'of', 'charge',
  'quiero', 'solo', 'nomas', 'necesito', 'mandarle', 'mandar', 'mandarles', 'enviar', 'enviarle', 'hacer', 'hacerle', 'preguntar',
  'preguntarle', 'al', 'abogado', 'abogada', 'equipo', 'gratuita', 'gratuito', 'orientacion', 'asesoria', 'una', 'un', 'de',
  'pagada', 'pagar', 'puedo', 'puede', 'sin', 'costo', 'me', 'den', 'dar', 'quisiera', 'podria', 'correo', 'rapida', 'rapido',
  'le', 'les', 'tengo', 'have', 'got', 'with', 'con', 'sobre', 'about', 'para', 'por', 'favor',
]);

/** True when a request for free advice also carries the question itself ("free advice: my permit is late, what can I do?"). */
export function carriesQuestion(text: string): boolean {
  const words = normalise(text).tokens.filter((t) => /^[a-z0-9]+$/.test(t));
  return words.filter((w) => !REQUEST_WORDS.has(w) && !FILLER_QUESTION.has(w)).length >= 3;
}

// ── a returning client ──────────────────────────────────────────────────────────────────────────────────────────────

const NEWS = / (?:(?:any|some|the) news|news (?:about|on|of|from)|any update|an update|updates? (?:on|about)|alguna noticia|noticias? (?:de|del|sobre)|hay noticias|alguna novedad|novedades|que paso con|what happened (?:with|to)|how is (?:my|the) case|como va (?:mi|el|su) caso|status of (?:my|the|his|her) case|saben algo|sabe algo|hay algo nuevo|anything new|alguna informacion de|any word) /;

/** "alguna noticia de mi esposo?", "any update on my case": asking the team for news. */
export function asksForNews(text: string): boolean {
  return has(text, NEWS);
}

// ── acknowledgements and chit-chat ──────────────────────────────────────────────────────────────────────────────────

const ACK = new Set([
  'si', 'yes', 'yeah', 'yep', 'ya', 'ok', 'okay', 'oki', 'k', 'kk', 'oye', 'oiga', 'ey', 'eh', 'ah', 'oh', 'aja', 'mm', 'mmm', 'hm',
  'hmm', 'bueno', 'dale', 'listo', 'vale', 'claro', 'perfecto', 'entiendo', 'entendido', 'sure', 'cool', 'alright', 'right', 'fine',
  'good', 'bien', 'nice', 'great', 'lol', 'jaja', 'jajaja', 'jeje', 'haha', 'ja', 'pues', 'este', 'so', 'and', 'y', 'got', 'it', 'i',
  'see', 'understood', 'correct', 'exacto', 'exactly', 'asi', 'es', 'no', 'nope', 'nah', 'wow', 'damn', 'rayos', 'ufff', 'uf',
  'pos', 'orale', 'sale', 'simon', 'va', 'hey', 'psst', 'que', 'what', 'huh', 'eh', 'mande',
]);

/**
 * "si", "ok", "oye", "ya", "jaja", "got it": an acknowledgement or a call for attention with no question in it.
 * Such messages never get a topic explainer.
 */
export function isAcknowledgement(tokens: readonly string[]): boolean {
  const words = tokens.filter((t) => !/^\p{Extended_Pictographic}$/u.test(t));
  return words.length > 0 && words.length <= 4 && words.every((w) => ACK.has(w));
}

// ── a preamble with no question yet ────────────────────────────────────────────────────────────────────────────────

/** Words around a preamble that carry nothing: greetings, fillers, "something". */
const PREAMBLE_FILLER = new Set([
  'hey', 'hi', 'hello', 'so', 'ok', 'okay', 'well', 'um', 'uh', 'like', 'yo', 'please', 'pls', 'hola', 'oye', 'mira', 'bueno', 'pues',
  'buenas', 'buenos', 'dias', 'tardes', 'noches', 'good', 'morning', 'afternoon', 'este', 'eh', 'ah', 'something', 'smth', 'sth', 'stuff',
  'algo', 'thing', 'cosa', 'a', 'an', 'one', 'una', 'un', 'quick', 'rapida', 'rapido', 'small', 'pequena', 'i', 'yo', 'me', 'you',
  'basically', 'actually', 'just', 'really', 'sir', 'maam', 'senor', 'senora', 'disculpe', 'excuse', 'sorry', 'perdon', 'the', 'que',
]);
const PREAMBLES: readonly RegExp[] = [
  /^(?:i )?(?:have|got|need to ask|wanna ask|want to ask|wanted to ask) (?:a )?(?:question|questions|doubt)$/,
  /^(?:can|could|may) (?:i )?ask(?: you)?(?: a question)?$/,
  /^(?:question|questions|pregunta|preguntas|duda|dudas|consulta)$/,
  /^(?:my |mi |a |un |una )?(?:\w+ )?(?:told|tell|said|says|dijo|dice|conto|comento)(?: (?:me|that|que))?$/,
  /^(?:something|algo) (?:happened|paso|pasó)(?: to me| me)?$/,
  /^(?:i )?need (?:help|some help|your help)(?: with)?$/,
  /^(?:tengo|tenia|tengo una|traigo) (?:una )?(?:pregunta|duda|consulta)$/,
  /^(?:le|te|les) (?:quiero|queria|quisiera) (?:hacer una pregunta|preguntar|consultar)$/,
  /^(?:quiero|queria|quisiera) (?:hacer una pregunta|preguntar|saber|consultar)$/,
  /^(?:necesito|ocupo) (?:ayuda|su ayuda)(?: con)?$/,
  /^(?:me )?(?:paso|pasó) (?:algo)?$/,
];

/**
 * "hey so my cousin told me smth", "tengo una pregunta", "can I ask you something": the client is about to say what
 * they need. Such a message gets "what is your question?", never a topic it does not name.
 */
export function isPreamble(tokens: readonly string[]): boolean {
  const words = tokens.filter((t) => !/^\p{Extended_Pictographic}$/u.test(t) && !PREAMBLE_FILLER.has(t));
  if (words.length === 0 || words.length > 6) return false;
  const line = words.join(' ');
  return PREAMBLES.some((p) => p.test(line));
}

// ── follow-up questions about the topic just answered ───────────────────────────────────────────────────────────────

/** What a short follow-up asks about the topic just answered. */
export type FollowUp = 'sue' | 'cost' | 'how-long' | 'what-next';

const FOLLOW_UPS: ReadonlyArray<readonly [FollowUp, RegExp]> = [
  ['sue', / (?:sue|suing|lawsuit|take them to court|demandar|demandarlos|demandarlo|demandar a|demanda|poner una demanda|llevarlos a la corte) /],
  ['cost', / (?:how much|cost|costs|price|fee|fees|charge|pay|cuanto cuesta|cuanto cobran|cuanto sale|cuanto es|costo|precio|cobran|pagar|vale) /],
  ['how-long', / (?:how long|how much time|how many (?:days|weeks|months)|cuanto tiempo|cuanto tarda|cuanto se tarda|cuantos (?:dias|meses|semanas)|tarda|takes?) /],
  ['what-next', / (?:what (?:now|next|happens next|do i do now|should i do)|and now|y ahora|que sigue|que pasa ahora|que hago ahora|now what|next step|siguiente paso) /],
];

/** The follow-up a short message asks, if it reads as one ("can i sue them?", "y cuánto cuesta?", "how long does it take?"). */
export function followUpOf(text: string): FollowUp | undefined {
  const t = folded(text);
  if (t.trim().split(' ').length > 9) return undefined;
  for (const [kind, pattern] of FOLLOW_UPS) if (pattern.test(t)) return kind;
  return undefined;
}

// ── questions during an emergency ───────────────────────────────────────────────────────────────────────────────────

/** What a client asks while an emergency case is open. */
export type UrgentQuestion = 'deport' | 'cost' | 'next' | 'where' | 'bond' | 'visit';

const URGENT_QUESTIONS: ReadonlyArray<readonly [UrgentQuestion, RegExp]> = [
  ['deport', / (?:deport|deported|deportar|deporten|deportan|deportaran|deportado|sacar del pais|mandar de vuelta|send (?:him|her|them) back|remove|removal) /],
  ['bond', / (?:bond|bail|fianza|salir bajo|get (?:him|her|them) out|sacarlo|sacarla|sacarlos|release|liberar|liberen|suelten) /],
  ['cost', / (?:how much|cost|price|fee|pay|cuanto cuesta|cuanto cobra|cuanto cobran|costo|precio|cobran|pagar|dinero|money) /],
  ['where', / (?:where (?:is|are|did|do)|donde (?:esta|lo|la|los|las|estan)|a donde|adonde|find (?:him|her|them)|encontrarlo|encontrarla|buscarlo|buscarla|locate) /],
  ['visit', / (?:visit|see (?:him|her|them)|call (?:him|her|them)|talk to (?:him|her|them)|visitar|verlo|verla|hablar con el|hablar con ella|llamarlo|llamarla) /],
  ['next', / (?:what (?:now|next|happens|do i do|should i do|can i do)|and now|now what|y ahora|que sigue|que pasa|que va a pasar|que hago|que puedo hacer|what will happen|next step|siguiente) /],
];

/** The question a client asks during an emergency, if the message reads as one. */
export function urgentQuestionOf(text: string): UrgentQuestion | undefined {
  const t = folded(text);
  for (const [kind, pattern] of URGENT_QUESTIONS) if (pattern.test(t)) return kind;
  return undefined;
}

// ── immigration to other countries ──────────────────────────────────────────────────────────────────────────────────

const ELSEWHERE = new Set([
  'australia', 'canada', 'canadá', 'uk', 'england', 'inglaterra', 'britain', 'ireland', 'irlanda', 'germany', 'alemania', 'france', 'francia',
  'italy', 'italia', 'portugal', 'netherlands', 'holanda', 'sweden', 'suecia', 'norway', 'noruega', 'switzerland', 'suiza',
  'japan', 'japon', 'korea', 'corea', 'new zealand', 'nueva zelanda', 'dubai', 'emirates', 'qatar', 'singapore', 'europe',
  'europa', 'schengen', 'mexico', 'brazil', 'brasil', 'argentina', 'chile', 'colombia', 'peru', 'uruguay', 'costa rica', 'panama',
  'dominican republic', 'republica dominicana', 'china', 'india', 'philippines', 'filipinas', 'israel', 'russia', 'rusia',
  'ukraine', 'ucrania', 'poland', 'polonia', 'belgium', 'belgica', 'austria', 'denmark', 'dinamarca', 'finland', 'finlandia',
]);
const MOVE_ABROAD = new RegExp(
  ' (?:visa|visas|work permit|permiso de trabajo|residency|residence|residencia|citizenship|ciudadania|nacionalidad|immigrate|emigrate|migrate|emigrar|inmigrar|' +
    'move|moving|mudarme|mudarnos|irme|ir a vivir|vivir|live|work|trabajar|study|estudiar|asylum|asilo|refugio|pr) (?:\\w+ ){0,4}(?:to|for|in|into|a|para|en) (' +
    [...ELSEWHERE].sort((a, b) => b.length - a.length).map(foldAccents).join('|') +
    ') ',
);

/** "how do I get a work visa for australia", "quiero emigrar a canada": immigration to another country (out of scope). */
export function aboutAnotherCountry(text: string): boolean {
  return has(text, MOVE_ABROAD);
}
