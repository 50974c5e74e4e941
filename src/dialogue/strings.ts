/**
 * Everything the engine says that is not an explainer, in both languages, written by hand.
 * WhatsApp formatting: *bold*, _italic_. Keep lines short: most clients read on a phone.
 */
import type { Lang } from '../nlu/types';

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
  consultationCancelledByFirm(when: string): string;
  // Privacy
  confirmErase: string;
  erased: string;
  eraseKept: string;
  yesNo: string;
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
  feeLine: (fee, minutes) => (fee ? `The consultation (up to ${minutes} minutes) has a flat fee of *${fee}*.` : 'Our team will tell you the fee when they confirm.'),
  booked: (b, fee, when) => [
    '✅ *Request sent.*',
    b.when ? `${b.mode === 'phone' ? 'Phone' : 'Office'} consultation: *${b.when}*.` : `We will look for a time that matches: _${b.preference}_.`,
    fee,
    `Our team will confirm it with you in this chat. ${when}`.trim(),
    'To change or cancel it, just write here (for example _change my appointment_).',
  ].join('\n'),
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
  consultationCancelledByFirm: (when) => `❌ Your consultation (*${when}*) was cancelled by our office. Write *book a consultation* here to choose another time.`,
  confirmErase: 'Do you want me to *delete* your messages and personal data? A booked consultation would be cancelled. Reply *yes* or *no*.',
  erased: '🗑️ Done. Your messages and personal data were deleted. If you write again, we will start from zero.',
  eraseKept: 'OK, nothing was deleted.',
  yesNo: 'Please reply *yes* or *no*.',
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
  feeLine: (fee, minutes) => (fee ? `La consulta (hasta ${minutes} minutos) tiene un costo fijo de *${fee}*.` : 'Nuestro equipo le dirá el costo cuando la confirme.'),
  booked: (b, fee, when) => [
    '✅ *Solicitud enviada.*',
    b.when ? `Consulta ${b.mode === 'phone' ? 'por teléfono' : 'en la oficina'}: *${b.when}*.` : `Buscaremos un horario que coincida con: _${b.preference}_.`,
    fee,
    `Nuestro equipo se la confirmará en este chat. ${when}`.trim(),
    'Para cambiarla o cancelarla, escriba aquí (por ejemplo _cambiar mi cita_).',
  ].join('\n'),
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
  consultationCancelledByFirm: (when) => `❌ Nuestra oficina canceló su consulta (*${when}*). Escriba *quiero una consulta* aquí para elegir otro horario.`,
  confirmErase: '¿Quiere que *borre* sus mensajes y datos personales? Si tiene una consulta reservada, se cancelará. Responda *sí* o *no*.',
  erased: '🗑️ Listo. Sus mensajes y datos personales fueron borrados. Si escribe otra vez, empezaremos de cero.',
  eraseKept: 'Listo, no se borró nada.',
  yesNo: 'Por favor responda *sí* o *no*.',
};

/** The phrasebooks, by language. */
export const STRINGS: Readonly<Record<Lang, Phrasebook>> = { en, es };
