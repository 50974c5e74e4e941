/**
 * The staff desk's storage methods (`DeskStore`) live in each backend's `desk.ts`; the stores hand every call to it.
 * One list of the methods, checked complete at compile time, instead of the same forwarding written in each backend.
 */
import type { DeskStore } from '../store';

const DESK_METHODS = [
  'staffAccounts', 'staffByName', 'addStaff', 'setStaffPassword', 'removeStaff', 'createSession', 'session', 'endSession',
  'signInFailures', 'recordSignInFailure', 'clearSignInFailures', 'addAudit', 'audit', 'notesOf', 'media', 'clients', 'client',
  'consultationsOf', 'lastClientMessages', 'setting', 'initSetting', 'putSetting', 'answers', 'markedAnswers', 'markAnswer',
  'unmarkAnswer', 'conversationLanguages',
] as const satisfies readonly (keyof DeskStore)[];

// Every DeskStore method is in the list (a new one that is not fails to compile here).
type Missing = Exclude<keyof DeskStore, (typeof DESK_METHODS)[number]>;
const COMPLETE: [Missing] extends [never] ? true : Missing = true;
void COMPLETE;

/** Gives `store`'s instances every DeskStore method, each calling the same method of their `desk` object. */
export function delegateDesk(store: { prototype: object }): void {
  for (const name of DESK_METHODS) {
    Object.defineProperty(store.prototype, name, {
      configurable: true,
      writable: true,
      value(this: { desk: DeskStore }, ...args: unknown[]): unknown {
        return (this.desk[name] as (...a: unknown[]) => unknown).apply(this.desk, args);
      },
    });
  }
}
