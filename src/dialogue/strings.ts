/**
 * Everything the engine says that is not an explainer, in both languages, written by hand.
 * WhatsApp formatting: *bold*, _italic_. Keep lines short: most clients read on a phone.
 */
import type { Lang } from '../nlu/types';
import type { UrgentQuestion } from './signals';
import type { CaseDetails, CaseField, HandoffKind, MessageType } from './types';

/** Values some strings need. */
export interface NoticeValues {
  readonly retentionDays: number;
}

/** A consultation as the client reads it back. */
export interface BookingSummary {
  readonly mode: 'phone' | 'office';
  readonly name: string;
  /** The formatted time, or undefined when the client gave a preference instead. */
  readonly when?: string;
  readonly preference?: string;
  readonly topic: string;
  readonly minutes: number;
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
  adviceSent(question: string, fromEarlier: boolean): string;
  adviceAsk: string;
  adviceAskAgain: string;
  adviceAskPerson: string;
  adviceLeft: string;
  adviceAdded: string;
  /** Uses {{firm.email}}: dropped when the firm has no email configured. */
  emailLine: string;
  pleaseType: string;
  empty: string;
  emojiOnly: string;
  otherLanguage: string;
  longMessage: string;
  languageSet: string;
  cancelled: string;
  // Emergencies
  urgentAgain: string;
  urgentFind: string;
  urgentCaptured(list: string): string;
  urgentMissing(fields: readonly CaseField[]): string;
  urgentComplete: string;
  /** Before the locator when agents are at the door and nobody has been taken (yet). */
  urgentIfTaken: string;
  /** Messages held by the flood limit during an open emergency: added to the case. */
  urgentHeldAdded(count: number): string;
  /** Short acknowledgements, used in turn so the same line is never sent twice in a row. */
  urgentAcks: readonly string[];
  seeAbove: string;
  urgentThanks: string;
  urgentAnswer(question: UrgentQuestion, fee: string | undefined): string;
  caseDetails(details: CaseDetails): string;
  mediaReceived(type: MessageType): string;
  mediaAgain: string;
  /** A file kept for the team while the client waits for a person (outside an emergency). */
  mediaForTeam(type: MessageType): string;
  clarifyEmergency: string;
  emergencyYes: string;
  // Returning clients
  askForNews: string;
  welcomeBack(kind: HandoffKind, name: string | undefined): string;
  newsAsked: string;
  // Flood limit
  floodNotice: string;
  caughtUp(count: number): string;
  youAskedAbout: string;
  sendUnclearToTeam: string;
  // Conversation
  askQuestion: string;
  ackPrompt: string;
  otherCountry: string;
  timingDepends: string;
  whatNext: string;
  personWillAlsoReply: string;
  stopped: string;
  started: string;
  pickFromList(max: number): string;
  apology: string;
  // Handoff
  whenOpen(hours: string): string;
  whenClosed(next: string, hours: string): string;
  urgentNow: string;
  queueReminder(when: string): string;
  alreadyInQueue(when: string): string;
  leftQueue: string;
  // Booking
  askMode: string;
  modePhone: string;
  modeOffice: string;
  askName: string;
  askNameAgain: string;
  slotsIntro(minutes: number, zone: string): string;
  slotOther: string;
  noSlots: string;
  askPreference: string;
  askPreferenceAgain: string;
  slotAmbiguous: string;
  slotUnavailable: string;
  slotTaken: string;
  askTopic: string;
  askTopicAgain: string;
  confirm(b: BookingSummary): string;
  confirmMove(when: string): string;
  feeLine(fee: string | undefined, minutes: number): string;
  booked(b: BookingSummary, fee: string, when: string): string;
  notBooked: string;
  reaskHint: string;
  reaskPerson: string;
  formLeft: string;
  // Managing a consultation
  upcoming(when: string, mode: 'phone' | 'office', status: 'requested' | 'confirmed'): string;
  keepIt: string;
  changeTime: string;
  cancelIt: string;
  kept: string;
  confirmCancel(when: string): string;
  consultationCancelled: string;
  moved(when: string): string;
  noUpcoming: string;
  // Staff decisions, sent from the dashboard
  consultationConfirmed(when: string, mode: 'phone' | 'office'): string;
  /** The office address line of an office consultation (only when FIRM_ADDRESS is set). */
  consultationAddress(address: string): string;
  /** The number a phone consultation's call comes from (only when FIRM_PHONE is set). */
  consultationCallFrom(phone: string): string;
  /** Staff moved a confirmed consultation to a new time. */
  consultationRescheduled(when: string, mode: 'phone' | 'office'): string;
  /** Staff offer a time for a request that had only a preference (the client answers staff in the chat). */
  consultationProposed(when: string, mode: 'phone' | 'office'): string;
  consultationCancelledByFirm(when: string): string;
  // Privacy
  confirmErase: string;
  erased: string;
  eraseKept: string;
  yesNo: string;
  yesNoOrOtherDay: string;
}

const FOOTER_EN = '_General information, not legal advice._';
const FOOTER_ES = '_Información general, no asesoría legal._';

function birthDate(value: string, lang: Lang): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'es-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${value}T00:00:00Z`));
}

const FIELD_EN: Readonly<Record<CaseField, string>> = {
  name: 'full name', birthDate: 'date of birth', country: 'country of birth', place: 'where it happened', when: 'when it happened', aNumber: 'A-number (if you have it)',
};
const FIELD_ES: Readonly<Record<CaseField, string>> = {
  name: 'nombre completo', birthDate: 'fecha de nacimiento', country: 'país de nacimiento', place: 'dónde pasó', when: 'cuándo pasó', aNumber: 'número A (si lo tiene)',
};

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
  sendToTeam: 'Send my question to the team (free general guidance)',
  adviceSent: (question, fromEarlier) =>
    [
      `✅ I sent your question to our team: _"${question}"_`,
      'A member of the team will answer here in this chat (free general guidance, not legal advice).',
      fromEarlier ? 'If that is not your question, write it here and I will add it.' : '',
    ].filter(Boolean).join('\n'),
  adviceAsk:
    'Of course. Our team answers general questions for free. Please write your question in one or two sentences (for example: _my work permit renewal has been pending for 8 months_) and I will send it to them.',
  adviceAskAgain: 'Please write your question in a sentence or two, so the team can answer it.',
  adviceAskPerson: 'I still need your question in a sentence or two. You can also write *agent* to talk to a person, or *cancel*.',
  adviceLeft: 'OK, nothing was sent. Write your question any time, or *menu* to see the topics.',
  adviceAdded: '✅ I added this to your question for the team.',
  emailLine: 'You can also email your question to {{firm.email}}.',
  pleaseType: "I can't listen to voice notes or open files here. 🙏 Please *type* your question in a few words (English or Spanish).",
  empty: 'I did not receive any text. Please type your question in a few words, or write *menu* to see the topics.',
  emojiOnly: '😊 Please write your question in words (English or Spanish), or write *menu* to see the topics.',
  otherLanguage:
    'Sorry, I can only answer in English or Spanish. Please write in English or Spanish, or write *agent* to ask for a person.\nLo siento, solo puedo responder en inglés o en español. Escriba en español o inglés, o escriba *agente* para hablar con una persona.',
  longMessage: '_Your message was long, so I read the beginning. A person on our team can read all of it if you write *agent*._',
  languageSet: "OK, I'll answer in English. Write your question, or *menu* to see the topics.",
  cancelled: 'OK, cancelled. Write your question, or *menu* to see the topics.',
  urgentAgain: '🚨 We alerted our team again.',
  urgentFind: [
    '*To find a detained person:* ICE Online Detainee Locator https://locator.ice.gov/odls/ (A-number and country of birth, or the exact name, country and date of birth).',
    '*Please send us:* the full name, date and country of birth, where and when it happened, and the A-number if you have it.',
  ].join('\n'),
  urgentCaptured: (list) => `✅ Added to the case: ${list}.`,
  urgentMissing: (fields) => `If you know them, please also send: ${fields.map((f) => `*${FIELD_EN[f]}*`).join(', ')}.`,
  urgentComplete: 'Thank you. The team has what we asked for and will contact you as soon as possible.',
  urgentIfTaken: '*If they take someone*, this is how to find them and what we need:',
  urgentHeldAdded: (count) => (count > 1 ? `Thank you for waiting. Your ${count} messages are on the case for our team.` : 'Thank you for waiting. Your message is on the case for our team.'),
  urgentAcks: ['Received ✅ It is on the case for our team.', 'Got it. Our team can read everything you send here.', 'Thank you, it is saved on the case.'],
  seeAbove: '(See my answer above.)',
  urgentThanks: 'You are welcome. Our team has the case and will contact you as soon as possible. You can keep sending details here.',
  urgentAnswer: (question, fee) => {
    const answers: Record<UrgentQuestion, string> = {
      deport:
        'Whether someone can be deported quickly depends on their history. A person with an earlier deportation order, or who arrived recently, may be removed fast; many others have the right to see an immigration judge first. They should not sign anything they do not understand (for example a voluntary departure form) before speaking with a lawyer. Our team will look at this case.',
      bond:
        'Release on bond: since 2025, immigration judges refuse bond hearings to many people who entered without inspection, and a habeas petition in federal court is often the way to ask for one. The rules are changing fast; our team will look at this case.',
      cost: `Sending us the details here is free. What a lawyer charges depends on the case; our team will explain it before anything is hired.${fee ? ` A consultation has a flat fee of ${fee}.` : ''}`,
      next:
        'Our team has the case and will contact you as soon as possible. Meanwhile: look for the person in the ICE locator (https://locator.ice.gov/odls/), keep their documents together, and do not sign anything for them. Send here anything new you learn.',
      where:
        'Look for them in the ICE Online Detainee Locator: https://locator.ice.gov/odls/ with the A-number and country of birth, or the exact name, country and date of birth. It can take time before someone appears, and it shows no one under 18.',
      visit:
        'Once you know where the person is held, that facility’s page on ice.gov explains visits and phone calls. Our team can help with the next steps.',
    };
    return `${answers[question]}\n${FOOTER_EN}`;
  },
  caseDetails: (d) =>
    [
      d.relation && `your ${d.relation}`,
      d.name && `name ${d.name}`,
      d.birthDate && `born ${birthDate(d.birthDate, 'en')}`,
      d.country && `from ${d.country}`,
      d.place && `place: ${d.place}`,
      d.when && `when: ${d.when}`,
      d.aNumber && `A-number ${d.aNumber}`,
    ].filter(Boolean).join(', ') || 'your message',
  mediaReceived: (type) =>
    type === 'voice'
      ? '🎤 Voice note received. It is saved on the case so our team can listen to it. If you can, also *write* the key details here: name, date and country of birth, where and when.'
      : type === 'image'
        ? '📷 Photo received. It is saved on the case for our team.'
        : '📄 Received. It is saved on the case for our team.',
  mediaAgain: 'Received ✅ Saved on the case.',
  mediaForTeam: (type) =>
    `${type === 'voice' ? '🎤 Voice note received' : type === 'image' ? '📷 Photo received' : '📄 Received'}. Our team will see it with your request. I can't listen to voice notes or open files myself, so if you can, please also *type* what you need in a few words.`,
  clarifyEmergency: 'Is someone being detained, or are ICE or police there *right now*? Reply with a number:',
  emergencyYes: 'Yes, it is an emergency now',
  askForNews: 'Ask the team for news of my case',
  welcomeBack: (_kind, name) => `Welcome back 👋 We have your earlier case${name ? ` (${name})` : ''} on file. What would you like to do?`,
  newsAsked: 'I asked our team for news about your case. A person will reply here.',
  floodNotice:
    'You are sending many messages quickly, so I will answer them together in about a minute. Nothing is lost: everything you send is saved. If someone is being detained right now, write *urgent*.',
  caughtUp: (count) => (count > 1 ? `Thank you for waiting. I read your ${count} messages.` : 'Thank you for waiting.'),
  youAskedAbout: 'You asked about these topics. Reply with a number:',
  sendUnclearToTeam: 'I could not place some of your messages. I can send them to our team:',
  askQuestion: 'OK. What would you like to know? Write your question in a few words, or *menu* to see the topics.',
  ackPrompt: '👍 What would you like to know? Write your question in a few words, or *menu* to see the topics.',
  otherCountry:
    'I can only help with immigration to the *United States*: the firm works in New York and New Jersey. For another country, please check that country’s official government website or its embassy.',
  timingDepends: 'How long it takes depends on each case. In a consultation, an attorney can look at yours.',
  whatNext: 'The next step depends on your situation. Choose one below, or book a consultation to go over it with an attorney.',
  personWillAlsoReply: '_A person from our team will also reply here._',
  stopped: 'You will not receive more messages from me. Write *start* at any time to talk again. If someone is being detained, write *urgent* and I will answer at once.',
  started: "Welcome back. Write your question, or *menu* to see the topics.",
  pickFromList: (max) => `Please reply with a number from 1 to ${max}, or *0* for the menu.`,
  apology: 'Sorry, something went wrong on our side. Please write your message again in a moment, or write *agent* to ask for a person.',
  whenOpen: (hours) => `_Office hours: ${hours}._`,
  whenClosed: (next, hours) => `Our office is closed right now (office hours: ${hours}). A person will reply here from *${next}*.`,
  urgentNow: 'We have alerted our team right now.',
  queueReminder: (when) => `🕒 You are in the queue: your messages are saved and a person will read them. ${when}\nWrite *menu* for topics or *cancel* to leave the queue. If someone is being detained, write *urgent*.`,
  alreadyInQueue: (when) => `You are already in the queue for a person. ${when}`,
  leftQueue: 'OK, you left the queue. I will answer your messages again. Write your question, or *menu* to see the topics.',
  askMode: 'How would you like to meet?\n*1* By phone\n*2* At the office',
  modePhone: 'By phone',
  modeOffice: 'At the office',
  askName: 'What is your *full name* (first and last name)?',
  askNameAgain: 'Please write your first and last name, for example: _Maria Lopez_.',
  slotsIntro: (minutes, zone) => `These are the next available times (${minutes} minutes, ${zone} time). Reply with a number:`,
  slotOther: 'Another time (tell us what suits you)',
  noSlots: 'I have no free times to offer in the next weeks.',
  askPreference: 'Which days and times suit you? For example: _weekday mornings_ or _Tuesday after 3 pm_.',
  askPreferenceAgain: 'Please tell me which days and times suit you, in a few words.',
  slotAmbiguous: 'More than one time matches. Please reply with the number:',
  slotUnavailable: 'That time is not available. The closest free times are:',
  slotTaken: 'Sorry, another client just took that time. These are the next free times:',
  askTopic: 'In one sentence, what would you like to talk about? For example: _my work permit is delayed_ or _a problem with the police_.',
  askTopicAgain: 'Please tell me in a few words what the consultation is about.',
  confirm: (b) => [
    '*Please check your request:*',
    `• ${b.mode === 'phone' ? 'Phone' : 'Office'} consultation, up to ${b.minutes} minutes`,
    b.when ? `• ${b.when}` : `• Your preference: ${b.preference}`,
    `• Name: ${b.name}`,
    `• Topic: ${b.topic}`,
    '',
    'Reply *yes* to send the request or *no* to choose another time.',
  ].join('\n'),
  confirmMove: (when) => `Change your consultation to *${when}*? Reply *yes* or *no*.`,
  feeLine: (fee, minutes) => (fee ? `The consultation (up to ${minutes} minutes) has a flat fee of *${fee}*.` : ''),
  booked: (b, fee, when) => [
    '✅ *Request sent.*',
    b.when ? `${b.mode === 'phone' ? 'Phone' : 'Office'} consultation: *${b.when}*.` : `We will look for a time that matches: _${b.preference}_.`,
    fee,
    `${fee ? 'Our team will confirm it with you in this chat.' : 'Our team will confirm it with you in this chat and tell you the fee.'} ${when}`.trim(),
    'To change or cancel it, just write here (for example _change my appointment_).',
  ].filter(Boolean).join('\n'),
  notBooked: 'No problem, nothing was booked. Let us choose another time.',
  reaskHint: '_(Write *cancel* to stop booking.)_',
  reaskPerson: '_(Write *cancel* to stop booking, or *agent* and a person from our team will help you book.)_',
  formLeft: 'OK, I stopped the booking. Nothing was booked.',
  upcoming: (when, mode, status) => `You have a ${mode === 'phone' ? 'phone' : 'office'} consultation ${status === 'confirmed' ? 'confirmed' : 'requested'} for *${when}*. What would you like to do?`,
  keepIt: 'Keep it',
  changeTime: 'Change the time',
  cancelIt: 'Cancel it',
  kept: 'Perfect, your consultation stays as it is. 👍',
  confirmCancel: (when) => `Do you want to cancel your consultation for *${when}*? Reply *yes* or *no*.`,
  consultationCancelled: 'Your consultation was cancelled and our team was told. Write *menu* if you need anything else.',
  moved: (when) => `✅ Change requested: *${when}*. Our team will confirm the new time in this chat.`,
  noUpcoming: 'I do not see an upcoming consultation for this number. Would you like to book one? Reply *1*.',
  consultationConfirmed: (when, mode) => `✅ Your ${mode === 'phone' ? 'phone' : 'office'} consultation is *confirmed*: *${when}*.${mode === 'phone' ? ' The attorney will call this number.' : ''} To change or cancel it, write here.`,
  consultationAddress: (address) => `📍 Our office: ${address}`,
  consultationCallFrom: (phone) => `📞 The call will come from ${phone}. Please answer it.`,
  consultationRescheduled: (when, mode) => `🔁 Your ${mode === 'phone' ? 'phone' : 'office'} consultation was *moved* to *${when}*.${mode === 'phone' ? ' The attorney will call this number.' : ''} If that time does not work for you, write here.`,
  consultationProposed: (when, mode) => `📅 For your ${mode === 'phone' ? 'phone' : 'office'} consultation we can offer *${when}*. Does that time work for you? Reply here and we will confirm it.`,
  consultationCancelledByFirm: (when) => `❌ Your consultation (*${when}*) was cancelled by our office. Write *book a consultation* here to choose another time.`,
  confirmErase: 'Do you want me to *delete* your messages and personal data? A booked consultation would be cancelled. Reply *yes* or *no*.',
  erased: '🗑️ Done. Your messages and personal data were deleted. If you write again, we will start from zero.',
  eraseKept: 'OK, nothing was deleted.',
  yesNo: 'Please reply *yes* or *no*.',
  yesNoOrOtherDay: 'Please reply *yes* to cancel it, *no* to keep it, or *another day* to change the time.',
};

const es: Phrasebook = {
  notice: ({ retentionDays }) =>
    [
      'ℹ️ *Antes de seguir:* le doy información general, no asesoría legal, y escribir aquí no lo hace cliente de la oficina (no existe relación abogado–cliente).',
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
  adviceSent: (question, fromEarlier) =>
    [
      `✅ Envié su pregunta a nuestro equipo: _"${question}"_`,
      'Una persona del equipo le responderá aquí en este chat (orientación general gratuita, no asesoría legal).',
      fromEarlier ? 'Si esa no es su pregunta, escríbala aquí y la agrego.' : '',
    ].filter(Boolean).join('\n'),
  adviceAsk:
    'Con gusto. Nuestro equipo responde preguntas generales sin costo. Escriba su pregunta en una o dos oraciones (por ejemplo: _la renovación de mi permiso de trabajo lleva 8 meses en trámite_) y se la envío.',
  adviceAskAgain: 'Por favor escriba su pregunta en una o dos oraciones, para que el equipo pueda responderla.',
  adviceAskPerson: 'Todavía necesito su pregunta en una o dos oraciones. También puede escribir *agente* para hablar con una persona, o *cancelar*.',
  adviceLeft: 'Listo, no se envió nada. Escriba su pregunta cuando quiera, o *menu* para ver los temas.',
  adviceAdded: '✅ Agregué esto a su pregunta para el equipo.',
  emailLine: 'También puede enviar su pregunta por correo a {{firm.email}}.',
  pleaseType: 'Aquí no puedo escuchar notas de voz ni abrir archivos. 🙏 Por favor *escriba* su pregunta en pocas palabras (en español o inglés).',
  empty: 'No recibí ningún texto. Por favor escriba su pregunta en pocas palabras, o escriba *menu* para ver los temas.',
  emojiOnly: '😊 Por favor escriba su pregunta con palabras (en español o inglés), o escriba *menu* para ver los temas.',
  otherLanguage:
    'Lo siento, solo puedo responder en español o en inglés. Escriba en español o inglés, o escriba *agente* para hablar con una persona.\nSorry, I can only answer in English or Spanish. Please write in English or Spanish, or write *agent* to ask for a person.',
  longMessage: '_Su mensaje era largo, así que leí el comienzo. Una persona del equipo puede leerlo completo si escribe *agente*._',
  languageSet: 'Listo, le responderé en español. Escriba su pregunta, o *menu* para ver los temas.',
  cancelled: 'Listo, cancelado. Escriba su pregunta, o *menu* para ver los temas.',
  urgentAgain: '🚨 Volvimos a avisar a nuestro equipo.',
  urgentFind: [
    '*Para encontrar a una persona detenida:* localizador de detenidos de ICE https://locator.ice.gov/odls/ (número A y país de nacimiento, o el nombre exacto, país y fecha de nacimiento).',
    '*Por favor envíenos:* el nombre completo, la fecha y el país de nacimiento, dónde y cuándo pasó, y el número A si lo tiene.',
  ].join('\n'),
  urgentCaptured: (list) => `✅ Agregado al caso: ${list}.`,
  urgentMissing: (fields) => `Si los sabe, envíe también: ${fields.map((f) => `*${FIELD_ES[f]}*`).join(', ')}.`,
  urgentComplete: 'Gracias. El equipo tiene lo que le pedimos y se comunicará con usted lo antes posible.',
  urgentIfTaken: '*Si se llevan a alguien*, así puede encontrarlo y esto es lo que necesitamos:',
  urgentHeldAdded: (count) => (count > 1 ? `Gracias por esperar. Sus ${count} mensajes quedaron en el caso para nuestro equipo.` : 'Gracias por esperar. Su mensaje quedó en el caso para nuestro equipo.'),
  urgentAcks: ['Recibido ✅ Quedó en el caso para nuestro equipo.', 'Entendido. Nuestro equipo puede leer todo lo que envíe aquí.', 'Gracias, quedó guardado en el caso.'],
  seeAbove: '(Vea mi respuesta de arriba.)',
  urgentThanks: 'Con gusto. Nuestro equipo tiene el caso y se comunicará con usted lo antes posible. Puede seguir enviando datos aquí.',
  urgentAnswer: (question, fee) => {
    const answers: Record<UrgentQuestion, string> = {
      deport:
        'Si a alguien lo pueden deportar rápido depende de su historial. A una persona con una orden de deportación anterior, o que llegó hace poco, la pueden sacar rápido; muchas otras tienen derecho a ver primero a un juez de inmigración. No debe firmar nada que no entienda (por ejemplo, una salida voluntaria) antes de hablar con un abogado. Nuestro equipo va a revisar este caso.',
      bond:
        'Salir bajo fianza: desde 2025, los jueces de inmigración niegan la audiencia de fianza a muchas personas que entraron sin inspección, y una petición de habeas corpus en la corte federal es muchas veces la forma de pedirla. Las reglas están cambiando rápido; nuestro equipo va a revisar este caso.',
      cost: `Enviarnos los datos aquí no cuesta nada. Lo que cobra un abogado depende del caso; nuestro equipo se lo explicará antes de contratar nada.${fee ? ` Una consulta tiene un costo fijo de ${fee}.` : ''}`,
      next:
        'Nuestro equipo tiene el caso y se comunicará con usted lo antes posible. Mientras tanto: busque a la persona en el localizador de ICE (https://locator.ice.gov/odls/), junte sus documentos y no firme nada por ella. Envíe aquí cualquier dato nuevo.',
      where:
        'Búsquela en el localizador de detenidos de ICE: https://locator.ice.gov/odls/ con el número A y el país de nacimiento, o con el nombre exacto, el país y la fecha de nacimiento. Puede tardar en aparecer, y no muestra a menores de 18 años.',
      visit:
        'Cuando sepa dónde está detenida la persona, la página de ese centro en ice.gov explica las visitas y las llamadas. Nuestro equipo le puede ayudar con los siguientes pasos.',
    };
    return `${answers[question]}\n${FOOTER_ES}`;
  },
  caseDetails: (d) =>
    [
      d.relation && `su ${d.relation}`,
      d.name && `nombre ${d.name}`,
      d.birthDate && `nació ${birthDate(d.birthDate, 'es')}`,
      d.country && `de ${d.country}`,
      d.place && `lugar: ${d.place}`,
      d.when && `cuándo: ${d.when}`,
      d.aNumber && `número A ${d.aNumber}`,
    ].filter(Boolean).join(', ') || 'su mensaje',
  mediaReceived: (type) =>
    type === 'voice'
      ? '🎤 Nota de voz recibida. Quedó guardada en el caso para que nuestro equipo la escuche. Si puede, *escriba* también aquí los datos principales: nombre, fecha y país de nacimiento, dónde y cuándo.'
      : type === 'image'
        ? '📷 Foto recibida. Quedó guardada en el caso para nuestro equipo.'
        : '📄 Recibido. Quedó guardado en el caso para nuestro equipo.',
  mediaAgain: 'Recibido ✅ Guardado en el caso.',
  mediaForTeam: (type) =>
    `${type === 'voice' ? '🎤 Nota de voz recibida' : type === 'image' ? '📷 Foto recibida' : '📄 Recibido'}. Se guardó para nuestro equipo, junto con su solicitud. Yo no puedo escuchar notas de voz ni abrir archivos, así que si puede, *escriba* también en pocas palabras lo que necesita.`,
  clarifyEmergency: '¿Están deteniendo a alguien, o hay agentes de ICE o policía ahí *ahora mismo*? Responda con un número:',
  emergencyYes: 'Sí, es una emergencia ahora',
  askForNews: 'Pedir noticias de mi caso al equipo',
  welcomeBack: (_kind, name) => `Bienvenido de nuevo 👋 Tenemos su caso anterior${name ? ` (${name})` : ''}. ¿Qué desea hacer?`,
  newsAsked: 'Le pedí a nuestro equipo noticias de su caso. Una persona le responderá aquí.',
  floodNotice:
    'Está enviando muchos mensajes muy rápido, así que los responderé juntos en más o menos un minuto. No se pierde nada: todo lo que envía queda guardado. Si están deteniendo a alguien ahora, escriba *urgente*.',
  caughtUp: (count) => (count > 1 ? `Gracias por esperar. Leí sus ${count} mensajes.` : 'Gracias por esperar.'),
  youAskedAbout: 'Usted preguntó sobre estos temas. Responda con un número:',
  sendUnclearToTeam: 'No pude entender algunos de sus mensajes. Puedo enviárselos a nuestro equipo:',
  askQuestion: 'Listo. ¿Qué desea saber? Escriba su pregunta en pocas palabras, o *menu* para ver los temas.',
  ackPrompt: '👍 ¿Qué desea saber? Escriba su pregunta en pocas palabras, o *menu* para ver los temas.',
  otherCountry:
    'Solo puedo ayudar con inmigración a los *Estados Unidos*: la oficina trabaja en Nueva York y Nueva Jersey. Para otro país, consulte la página oficial del gobierno de ese país o su embajada.',
  timingDepends: 'Cuánto tarda depende de cada caso. En una consulta, un abogado puede revisar el suyo.',
  whatNext: 'El siguiente paso depende de su situación. Elija una opción, o reserve una consulta para revisarlo con un abogado.',
  personWillAlsoReply: '_Una persona de nuestro equipo también le responderá aquí._',
  stopped: 'Ya no recibirá más mensajes míos. Escriba *inicio* cuando quiera volver a hablar. Si están deteniendo a alguien, escriba *urgente* y le respondo de inmediato.',
  started: 'Bienvenido de nuevo. Escriba su pregunta, o *menu* para ver los temas.',
  pickFromList: (max) => `Por favor responda con un número del 1 al ${max}, o *0* para el menú.`,
  apology: 'Perdón, algo falló de nuestro lado. Escriba su mensaje otra vez en un momento, o escriba *agente* para hablar con una persona.',
  whenOpen: (hours) => `_Horario de oficina: ${hours}._`,
  whenClosed: (next, hours) => `Nuestra oficina está cerrada ahora (horario: ${hours}). Una persona le responderá aquí a partir del *${next}*.`,
  urgentNow: 'Ya avisamos a nuestro equipo en este momento.',
  queueReminder: (when) => `🕒 Usted está en la fila: sus mensajes quedan guardados y una persona los va a leer. ${when}\nEscriba *menu* para ver los temas o *cancelar* para salir de la fila. Si alguien está siendo detenido, escriba *urgente*.`,
  alreadyInQueue: (when) => `Usted ya está en la fila para hablar con una persona. ${when}`,
  leftQueue: 'Listo, salió de la fila. Voy a responder sus mensajes otra vez. Escriba su pregunta, o *menu* para ver los temas.',
  askMode: '¿Cómo prefiere la consulta?\n*1* Por teléfono\n*2* En la oficina',
  modePhone: 'Por teléfono',
  modeOffice: 'En la oficina',
  askName: '¿Cuál es su *nombre completo* (nombre y apellido)?',
  askNameAgain: 'Por favor escriba su nombre y apellido, por ejemplo: _María López_.',
  slotsIntro: (minutes, zone) => `Estos son los próximos horarios libres (${minutes} minutos, hora de ${zone}). Responda con un número:`,
  slotOther: 'Otro horario (díganos cuál le conviene)',
  noSlots: 'No tengo horarios libres para ofrecer en las próximas semanas.',
  askPreference: '¿Qué días y horas le convienen? Por ejemplo: _en las mañanas entre semana_ o _el martes después de las 3_.',
  askPreferenceAgain: 'Por favor dígame en pocas palabras qué días y horas le convienen.',
  slotAmbiguous: 'Hay más de un horario que coincide. Por favor responda con el número:',
  slotUnavailable: 'Ese horario no está disponible. Los horarios libres más cercanos son:',
  slotTaken: 'Perdón, otro cliente acaba de tomar ese horario. Estos son los próximos horarios libres:',
  askTopic: 'En una oración, ¿sobre qué quiere hablar? Por ejemplo: _mi permiso de trabajo está atrasado_ o _un problema con la policía_.',
  askTopicAgain: 'Por favor dígame en pocas palabras de qué se trata la consulta.',
  confirm: (b) => [
    '*Por favor revise su solicitud:*',
    `• Consulta ${b.mode === 'phone' ? 'por teléfono' : 'en la oficina'}, hasta ${b.minutes} minutos`,
    b.when ? `• ${b.when}` : `• Su preferencia: ${b.preference}`,
    `• Nombre: ${b.name}`,
    `• Tema: ${b.topic}`,
    '',
    'Responda *sí* para enviar la solicitud o *no* para elegir otro horario.',
  ].join('\n'),
  confirmMove: (when) => `¿Cambiamos su consulta al *${when}*? Responda *sí* o *no*.`,
  feeLine: (fee, minutes) => (fee ? `La consulta (hasta ${minutes} minutos) tiene un costo fijo de *${fee}*.` : ''),
  booked: (b, fee, when) => [
    '✅ *Solicitud enviada.*',
    b.when ? `Consulta ${b.mode === 'phone' ? 'por teléfono' : 'en la oficina'}: *${b.when}*.` : `Buscaremos un horario que coincida con: _${b.preference}_.`,
    fee,
    `${fee ? 'Nuestro equipo se la confirmará en este chat.' : 'Nuestro equipo se la confirmará en este chat y le dirá el costo.'} ${when}`.trim(),
    'Para cambiarla o cancelarla, escriba aquí (por ejemplo _cambiar mi cita_).',
  ].filter(Boolean).join('\n'),
  notBooked: 'No hay problema, no se reservó nada. Elijamos otro horario.',
  reaskHint: '_(Escriba *cancelar* para dejar la reserva.)_',
  reaskPerson: '_(Escriba *cancelar* para dejar la reserva, o *agente* y una persona del equipo le ayudará a reservar.)_',
  formLeft: 'Listo, dejé la reserva. No se reservó nada.',
  upcoming: (when, mode, status) => `Usted tiene una consulta ${mode === 'phone' ? 'por teléfono' : 'en la oficina'} ${status === 'confirmed' ? 'confirmada' : 'solicitada'} para el *${when}*. ¿Qué desea hacer?`,
  keepIt: 'Dejarla como está',
  changeTime: 'Cambiar el horario',
  cancelIt: 'Cancelarla',
  kept: 'Perfecto, su consulta queda como está. 👍',
  confirmCancel: (when) => `¿Quiere cancelar su consulta del *${when}*? Responda *sí* o *no*.`,
  consultationCancelled: 'Su consulta fue cancelada y avisamos a nuestro equipo. Escriba *menu* si necesita algo más.',
  moved: (when) => `✅ Cambio solicitado: *${when}*. Nuestro equipo le confirmará el nuevo horario en este chat.`,
  noUpcoming: 'No veo una consulta próxima para este número. ¿Quiere reservar una? Responda *1*.',
  consultationConfirmed: (when, mode) => `✅ Su consulta ${mode === 'phone' ? 'por teléfono' : 'en la oficina'} está *confirmada*: *${when}*.${mode === 'phone' ? ' El abogado llamará a este número.' : ''} Para cambiarla o cancelarla, escriba aquí.`,
  consultationAddress: (address) => `📍 Nuestra oficina: ${address}`,
  consultationCallFrom: (phone) => `📞 La llamada vendrá del ${phone}. Por favor, contéstela.`,
  consultationRescheduled: (when, mode) => `🔁 Su consulta ${mode === 'phone' ? 'por teléfono' : 'en la oficina'} se *cambió* a *${when}*.${mode === 'phone' ? ' El abogado llamará a este número.' : ''} Si ese horario no le sirve, escriba aquí.`,
  consultationProposed: (when, mode) => `📅 Para su consulta ${mode === 'phone' ? 'por teléfono' : 'en la oficina'} le podemos ofrecer *${when}*. ¿Le sirve ese horario? Responda aquí y se la confirmamos.`,
  consultationCancelledByFirm: (when) => `❌ Nuestra oficina canceló su consulta (*${when}*). Escriba *quiero una consulta* aquí para elegir otro horario.`,
  confirmErase: '¿Quiere que *borre* sus mensajes y datos personales? Si tiene una consulta reservada, se cancelará. Responda *sí* o *no*.',
  erased: '🗑️ Listo. Sus mensajes y datos personales fueron borrados. Si escribe otra vez, empezaremos de cero.',
  eraseKept: 'Listo, no se borró nada.',
  yesNo: 'Por favor responda *sí* o *no*.',
  yesNoOrOtherDay: 'Por favor responda *sí* para cancelarla, *no* para dejarla, u *otro día* para cambiar el horario.',
};

/** The phrasebooks, by language. */
export const STRINGS: Readonly<Record<Lang, Phrasebook>> = { en, es };
