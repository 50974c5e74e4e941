/**
 * Commands (SPEC §6), recognised before classification: menu, numbers, a person, language, cancel. (`stop`, `start`
 * and `delete` are privacy and come earlier in the order; `urgent` is an emergency and comes first.)
 */
import type { Draft, Kit } from '../draft';
import { formGate } from './forms';
import { talkToPerson } from './handoff';

/** Gate: the message is a command. */
export function commandGate(k: Kit, d: Draft): boolean {
  const command = d.command;
  if (!command) return false;
  const s = k.s(d);
  const form = d.state.form;
  d.intent = `command:${command.type}`;
  switch (command.type) {
    case 'menu':
      k.menu(d);
      return true;
    case 'number':
      // Inside a form a number answers the form; elsewhere it picks from the last list shown.
      if (form) return formGate(k, d);
      k.pick(d, command.value);
      return true;
    case 'human':
      talkToPerson(k, d, d.text);
      return true;
    case 'language':
      d.state = { ...d.state, lang: command.lang, langChosen: true };
      k.say(d, k.s(d).languageSet);
      if (form?.kind === 'booking') k.booking.repeat(d);
      return true;
    case 'cancel': {
      if (form) {
        d.state = { ...d.state, form: undefined, choices: [] };
        k.say(d, form.kind === 'booking' ? s.formLeft : form.kind === 'advice' ? s.adviceLeft : s.kept);
        return true;
      }
      const h = d.context.handoff;
      if (h?.kind === 'human' && !h.lastStaffAt) {
        d.effects.push({ type: 'handoff.withdrawn' });
        d.state = { ...d.state, choices: [], misses: 0 };
        k.say(d, s.leftQueue);
        return true;
      }
      d.state = { ...d.state, choices: [], misses: 0, missed: undefined };
      k.say(d, s.cancelled);
      return true;
    }
    case 'staff-resume':
      // `#bot` is for staff on the linked phone (the channel reports it); from a client it means nothing special.
      d.intent = null;
      return false;
    default:
      // stop, start, delete and urgent were handled earlier in the order.
      return false;
  }
}
