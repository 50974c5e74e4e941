/**
 * Everything the engine says that is not an explainer, in both languages, written by hand.
 * WhatsApp formatting: *bold*, _italic_. Keep lines short: most clients read on a phone.
 */
import type { Lang } from '../nlu/types';

/** Values some strings need. */
export interface NoticeValues {
  readonly retentionDays: number;
}

/** The phrasebook of one language. */
export interface Phrasebook {
  notice(v: NoticeValues): string;
  footerTitle: string;
  disclaimer: string;
  menuZero: string;
  didYouMean: string;
  rephrase: string;
  notUnderstood: string;
  secondMiss: string;
  talkToPerson: string;
  sendToTeam: string;
  adviceSent: string;
  adviceNothing: string;
  pleaseType: string;
  empty: string;
  emojiOnly: string;
  otherLanguage: string;
  longMessage: string;
  languageSet: string;
  cancelled: string;
  urgentDetailsThanks: string;
  urgentMoreDetails: string;
  stopped: string;
  started: string;
  pickFromList(max: number): string;
  apology: string;
}

const en: Phrasebook = {
  notice: ({ retentionDays }) =>
    [
      'ℹ️ *Before we continue:* I give general information, not legal advice, and writing here does not make you a client of the firm (no attorney–client relationship).',
      `We keep this conversation only to answer you and hand it to our team, and delete it after ${retentionDays} days.`,
      'Write *delete* at any time to erase your data, or *stop* to stop messages.',
    ].join('\n'),
  footerTitle: 'What next? Reply with a number:',
  disclaimer: '_General information, not legal advice._',
  menuZero: 'Menu (all topics)',
  didYouMean: "I'm not sure I understood. Did you mean:",
  rephrase: 'Or write your question in other words.',
  notUnderstood: "Sorry, I didn't understand that. Could you write your question in a few words? You can also choose a topic:",
  secondMiss: "Sorry, I still don't understand. A person on our team can help:",
  talkToPerson: 'Talk to a person',
  sendToTeam: 'Send my question to the team (free general advice)',
  adviceSent:
    'Thank you. Your question was sent to our team. A member of the team will answer here in this chat, during office hours. If anything is urgent (someone detained), write *urgent*.',
  adviceNothing: 'Please write your question in one or two sentences and I will send it to the team.',
  pleaseType: "I can't listen to voice notes or open files here. 🙏 Please *type* your question in a few words (English or Spanish).",
  empty: 'I did not receive any text. Please type your question in a few words, or write *menu* to see the topics.',
  emojiOnly: '😊 Please write your question in words (English or Spanish), or write *menu* to see the topics.',
  otherLanguage:
    'Sorry, I can only answer in English or Spanish. Please write in English or Spanish, or write *agent* to ask for a person.\nLo siento, solo puedo responder en inglés o en español. Escriba en español o inglés, o escriba *agente* para hablar con una persona.',
  longMessage: '_Your message was long, so I read the beginning. A person on our team can read all of it if you write *agent*._',
  languageSet: "OK, I'll answer in English. Write your question, or *menu* to see the topics.",
  cancelled: 'OK, cancelled. Write your question, or *menu* to see the topics.',
  urgentDetailsThanks:
    'Thank you. Our team has received these details and will contact you as soon as possible. Send any other details here (name, date and country of birth, where and when, A-number). Write *menu* to see other topics.',
  urgentMoreDetails: 'Received ✅. Our team has it. Send anything else you know here.',
  stopped: 'You will not receive more messages from me. Write *start* at any time to talk again.',
  started: "Welcome back. Write your question, or *menu* to see the topics.",
  pickFromList: (max) => `Please reply with a number from 1 to ${max}, or *0* for the menu.`,
  apology: 'Sorry, something went wrong on our side. Please write your message again in a moment, or write *agent* to ask for a person.',
};

const es: Phrasebook = {
  notice: ({ retentionDays }) =>
    [
      'ℹ️ *Antes de seguir:* le doy información general, no asesoría legal, y escribir aquí no lo hace cliente de la firma (no existe relación abogado–cliente).',
      `Guardamos esta conversación solo para responderle y pasarla a nuestro equipo, y la borramos después de ${retentionDays} días.`,
      'Escriba *borrar* en cualquier momento para eliminar sus datos, o *baja* para no recibir más mensajes.',
    ].join('\n'),
  footerTitle: '¿Qué desea hacer? Responda con un número:',
  disclaimer: '_Información general, no asesoría legal._',
  menuZero: 'Menú (todos los temas)',
  didYouMean: 'No estoy seguro de haberle entendido. ¿Quiso decir:',
  rephrase: 'O escriba su pregunta con otras palabras.',
  notUnderstood: 'Perdón, no le entendí. ¿Puede escribir su pregunta en pocas palabras? También puede elegir un tema:',
  secondMiss: 'Perdón, todavía no le entiendo. Una persona de nuestro equipo le puede ayudar:',
  talkToPerson: 'Hablar con una persona',
  sendToTeam: 'Enviar mi pregunta al equipo (orientación general gratuita)',
  adviceSent:
    'Gracias. Su pregunta fue enviada a nuestro equipo. Una persona del equipo le responderá aquí en este chat, en horario de oficina. Si es urgente (alguien detenido), escriba *urgente*.',
  adviceNothing: 'Por favor escriba su pregunta en una o dos oraciones y se la envío al equipo.',
  pleaseType: 'Aquí no puedo escuchar notas de voz ni abrir archivos. 🙏 Por favor *escriba* su pregunta en pocas palabras (en español o inglés).',
  empty: 'No recibí ningún texto. Por favor escriba su pregunta en pocas palabras, o escriba *menu* para ver los temas.',
  emojiOnly: '😊 Por favor escriba su pregunta con palabras (en español o inglés), o escriba *menu* para ver los temas.',
  otherLanguage:
    'Lo siento, solo puedo responder en español o en inglés. Escriba en español o inglés, o escriba *agente* para hablar con una persona.\nSorry, I can only answer in English or Spanish. Please write in English or Spanish, or write *agent* to ask for a person.',
  longMessage: '_Su mensaje era largo, así que leí el comienzo. Una persona del equipo puede leerlo completo si escribe *agente*._',
  languageSet: 'Listo, le responderé en español. Escriba su pregunta, o *menu* para ver los temas.',
  cancelled: 'Listo, cancelado. Escriba su pregunta, o *menu* para ver los temas.',
  urgentDetailsThanks:
    'Gracias. Nuestro equipo recibió estos datos y se comunicará con usted lo antes posible. Envíe aquí cualquier otro dato (nombre, fecha y país de nacimiento, dónde y cuándo, número A). Escriba *menu* para ver otros temas.',
  urgentMoreDetails: 'Recibido ✅. Nuestro equipo ya lo tiene. Envíe aquí cualquier otra cosa que sepa.',
  stopped: 'Ya no recibirá más mensajes míos. Escriba *inicio* cuando quiera volver a hablar.',
  started: 'Bienvenido de nuevo. Escriba su pregunta, o *menu* para ver los temas.',
  pickFromList: (max) => `Por favor responda con un número del 1 al ${max}, o *0* para el menú.`,
  apology: 'Perdón, algo falló de nuestro lado. Escriba su mensaje otra vez en un momento, o escriba *agente* para hablar con una persona.',
};

/** The phrasebooks, by language. */
export const STRINGS: Readonly<Record<Lang, Phrasebook>> = { en, es };
