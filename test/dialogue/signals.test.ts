/** The wording the engine reads directly, both languages. Table-driven: each row is a message a client could send. */
import { normalise } from '../../src/nlu/normalise';
import {
  aboutAnotherCountry, asksForNews, carriesQuestion, followUpOf, isAcknowledgement, isPreamble, isRealQuestion, urgentQuestionOf,
  wantsAnotherTime, wantsErasure, wantsFreeAdvice, wantsToLeave, wantsToStop,
} from '../../src/dialogue/signals';
import { urgencyOf } from '../../src/nlu/urgency';
import { nextHandoff } from '../../src/handoff/lifecycle';
import { canBecome } from '../../src/booking/status';

const tokens = (text: string) => normalise(text).tokens;

it.each([
  ['sabes que mejor cancelo la cita', true], ['never mind', true], ['olvidalo', true], ['ya no quiero', true],
  ['cancel it', true], ['my name is Cancelo Ruiz', false], ['Maria Lopez', false], ['the tuesday one', false],
])('leaves a form: "%s" → %s', (text, expected) => expect(wantsToLeave(text)).toBe(expected));

it.each([
  ['otro dia', true], ['hey actually i cant do wednesday', true], ['another time please', true], ['si', false], ['the first one', false],
])('another time: "%s" → %s', (text, expected) => expect(wantsAnotherTime(text)).toBe(expected));

it.each([
  ['delete my data pls', true], ['borren mis datos por favor', true], ['please erase my information', true], ['elimine mi numero', true],
  ['can you delete the second message', false], ['my data plan is expensive', false],
])('erasure in words: "%s" → %s', (text, expected) => expect(wantsErasure(text)).toBe(expected));

it.each([
  ['please stop texting me', true], ['no me escriban mas', true], ['stop the deportation', false],
])('stop in words: "%s" → %s', (text, expected) => expect(wantsToStop(text)).toBe(expected));

it.each([
  ['i just want free advice not a paid consult', true], ['can I send my question to the lawyer for free', true],
  ['quiero mandarle mi pregunta al abogado', true], ['me pueden dar orientacion gratis?', true], ['is the consultation free?', false],
  ['what is a writ of mandamus', false],
])('free advice in words: "%s" → %s', (text, expected) => expect(wantsFreeAdvice(text)).toBe(expected));

it.each([
  ['idk', false], ['no idea', false], ['ok', false], ['my work permit renewal is late', true], ['mi esposo esta detenido desde enero', true],
])('a real question: "%s" → %s', (text, expected) => expect(isRealQuestion(text)).toBe(expected));

it.each([
  ['i just want free advice not a paid consult', false], ['free advice: my work permit has been pending since march what can i do', true],
])('a request that carries its question: "%s" → %s', (text, expected) => expect(carriesQuestion(text)).toBe(expected));

it.each([
  ['hola buenas, alguna noticia de mi esposo?', true], ['any update on my case?', true], ['good news!', false], ['what is 287g', false],
])('asks for news: "%s" → %s', (text, expected) => expect(asksForNews(text)).toBe(expected));

it.each([
  ['si', true], ['ok', true], ['oye', true], ['jajaja', true], ['ya', true], ['ok gracias', false], ['si tengo miedo de ice', false],
])('an acknowledgement: "%s" → %s', (text, expected) => expect(isAcknowledgement(tokens(text))).toBe(expected));

it.each([
  ['hey so my cousin told me smth', true], ['tengo una pregunta', true], ['can i ask you something', true], ['quisiera preguntar algo', true],
  ['my cousin told me ICE can arrest me at court', false], ['i have a question about my green card', false],
])('a preamble: "%s" → %s', (text, expected) => expect(isPreamble(tokens(text))).toBe(expected));

it.each([
  ['can i sue them?', 'sue'], ['y cuanto cuesta?', 'cost'], ['how long does it take?', 'how-long'], ['y ahora que hago', 'what-next'],
  ['what is a writ of mandamus and how does it work with my green card application that is stuck', undefined],
])('a follow-up: "%s" → %s', (text, expected) => expect(followUpOf(text)).toBe(expected));

it.each([
  ['y ahora que pasa?? lo van a deportar?', 'deport'], ['cuanto cuesta el abogado', 'cost'], ['where is he now', 'where'],
  ['can we get him out on bond', 'bond'], ['ok gracias', undefined],
])('a question during an emergency: "%s" → %s', (text, expected) => expect(urgentQuestionOf(text)).toBe(expected));

it.each([
  ['how do I get a work visa for australia', true], ['quiero emigrar a canada con mi familia', true],
  ['quiero pedir asilo, soy de colombia', false], ['i came from mexico and want a green card', false],
])('immigration to another country: "%s" → %s', (text, expected) => expect(aboutAnotherCountry(text)).toBe(expected));

describe('urgency wording (with no help from the classifier)', () => {
  it.each([
    ['ICE is at my door right now', 'now'], ['la migra se llevo a mi esposo', 'now'], ['immigration has my dad', 'now'],
    ['my wife is in ice detention', 'now'], ['pls help', 'possible'], ['mi esposo', 'possible'], ['ayudaaa', 'possible'],
    ['what if ice comes to my door', undefined], ['my husband has been in ICE detention for 8 months', undefined],
    ['my husband was detained in 2024 and got deported', undefined], ['how do i get my brother out of ice detention', undefined],
    ['what is 287g', undefined],
  ])('"%s" → %s', (text, expected) => expect(urgencyOf(tokens(text), 0)).toBe(expected));

  it('a classifier sure of another topic keeps a past arrest out of the urgent path, unless it is happening now', () => {
    expect(urgencyOf(tokens('the police arrested me without probable cause, can I sue for damages'), 0.01, 0.95)).toBeUndefined();
    expect(urgencyOf(tokens('the police are arresting my son right now'), 0.01, 0.95)).toBe('now');
  });
});

describe('domain rules', () => {
  it.each([
    [undefined, 'human', { action: 'open', notify: true }],
    ['human', 'urgent', { action: 'escalate', notify: true }],
    ['human', 'human', { action: 'renew', notify: false, again: false }],
    ['urgent', 'urgent', { action: 'renew', notify: true, again: true }],
    ['urgent', 'human', { action: 'renew', notify: false, again: false }],
    ['consultation', 'advice', { action: 'renew', notify: true, again: false }],
    ['advice', 'consultation', { action: 'escalate', notify: true }],
  ] as const)('a handoff open as %s, asked as %s', (open, kind, expected) => expect(nextHandoff(open, kind)).toEqual(expected));

  it.each([
    ['requested', 'confirmed', true], ['requested', 'completed', false], ['confirmed', 'no-show', true], ['cancelled', 'confirmed', false],
    ['confirmed', 'requested', true], ['completed', 'cancelled', false],
  ] as const)('a %s consultation may become %s: %s', (from, to, expected) => expect(canBecome(from, to)).toBe(expected));
});
