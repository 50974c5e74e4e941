/**
 * Journey 9, privacy: `stop`/`baja` silences the bot until `start`/`inicio` (an emergency is still answered), and
 * `delete`/`borrar` — or the same asked in words — erases the client's data after a yes/no confirmation.
 */
import { parseYesNo } from '../../booking/answers';
import type { Draft, Kit } from '../draft';
import { wantsErasure, wantsToLeave, wantsToStop } from '../signals';

/**
 * Gate: a stopped conversation answers only `start`, the erasure (asked, confirmed) and, earlier in the order,
 * emergencies (which open the conversation again). Everything else is recorded and not answered.
 */
export function stoppedGate(k: Kit, d: Draft): boolean {
  if (!d.state.stopped) return false;
  const type = d.command?.type;
  if (type === 'start') start(k, d);
  else if (type === 'delete' || (d.text && wantsErasure(d.text))) askErase(k, d);
  else if (d.state.form?.kind === 'erase' && d.text) eraseAnswer(k, d);
  return true;
}

/**
 * Gate: privacy first, before the flood limit and every form: `stop`, `start`, `delete`, the answer to "delete your
 * data?", and the same requests in words ("please erase my data", "no me escriban más").
 */
export function privacyGate(k: Kit, d: Draft): boolean {
  const type = d.command?.type;
  if (type === 'stop' || (d.text && !d.command && wantsToStop(d.text))) return stop(k, d);
  if (type === 'start') return start(k, d);
  if (type === 'delete') return askErase(k, d);
  if (d.state.form?.kind === 'erase' && d.text) return eraseAnswer(k, d);
  if (d.text && !d.command && wantsErasure(d.text)) return askErase(k, d);
  return false;
}

function stop(k: Kit, d: Draft): true {
  d.intent = 'command:stop';
  d.state = { ...d.state, stopped: true, choices: [], form: undefined };
  k.say(d, k.s(d).stopped);
  return true;
}

function start(k: Kit, d: Draft): true {
  d.intent = 'command:start';
  d.state = { ...d.state, stopped: false };
  k.say(d, k.s(d).started);
  return true;
}

/** "Do you want me to delete your messages and personal data? yes/no". */
export function askErase(k: Kit, d: Draft): true {
  d.intent = 'privacy:delete';
  d.state = { ...d.state, form: { kind: 'erase' }, choices: [] };
  k.say(d, k.s(d).confirmErase);
  return true;
}

function eraseAnswer(k: Kit, d: Draft): true {
  const s = k.s(d);
  d.intent = 'privacy:delete';
  const answer = d.command?.type === 'cancel' || wantsToLeave(d.text) ? 'no' : parseYesNo(d.text);
  if (answer === undefined) {
    k.say(d, s.yesNo);
    return true;
  }
  d.state = { ...d.state, form: undefined };
  if (answer === 'no') {
    k.say(d, s.eraseKept);
    return true;
  }
  d.effects.push({ type: 'contact.erased', lang: d.state.lang });
  k.say(d, s.erased);
  return true;
}
