/**
 * Gate: an answer to the form in progress (booking, a question for the team, cancelling a consultation). Leaving in
 * words works at every step ("mejor cancelo", "never mind"); the erasure confirmation is privacy and comes earlier.
 */
import type { Draft, Kit } from '../draft';
import { wantsToLeave } from '../signals';
import { adviceAnswer } from './advice';
import { cancelAnswer } from './consultations';

export function formGate(k: Kit, d: Draft): boolean {
  const form = d.state.form;
  if (!form || form.kind === 'erase' || !d.text) return false;
  switch (form.kind) {
    case 'booking':
      if (d.command?.type !== 'number' && wantsToLeave(d.text)) {
        d.intent = form.moving !== undefined ? 'consultation_manage' : 'consultation_book';
        d.state = { ...d.state, form: undefined, choices: [] };
        k.say(d, form.moving !== undefined ? k.s(d).kept : k.s(d).formLeft);
        return true;
      }
      k.booking.answer(d, d.text, d.command?.type === 'number' ? undefined : k.understand(d));
      return true;
    case 'advice':
      adviceAnswer(k, d);
      return true;
    case 'cancel-consultation':
      cancelAnswer(k, d);
      return true;
  }
}
