/**
 * Shared scaffolding of the scenario files: a fresh harness per test (closed afterwards) and a sweep, at the end of
 * the file, of every reply and staff notification for things that must never reach a person.
 */
import { harness, type Harness, type HarnessOptions } from '../helpers';

export type { Harness } from '../helpers';

/** Text that must never reach a client or staff. */
export const BROKEN = /undefined|null|\[object|\{\{|NaN|Invalid Date/;

export function scenarioSuite() {
  const seen: string[] = [];
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0)) {
      // Every staff notification the scenario produced joins the sweep, sent or not.
      await h.notifications.flush();
      seen.push(...(await h.store.notifications(1000)).map((n) => n.text));
      await h.close();
    }
  });
  afterAll(() => {
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(BROKEN);
    }
  });
  return {
    /** A harness closed after the test. */
    async harness(options: HarnessOptions = {}): Promise<Harness> {
      const h = await harness(options);
      opened.push(h);
      return h;
    },
    /** Sends a message; returns the replies joined by blank lines. */
    async say(h: Harness, chat: string, text: string, extra = {}): Promise<string> {
      const replies = await h.say(chat, text, extra);
      seen.push(...replies);
      return replies.join('\n\n');
    },
    /** Delivers due staff notifications; returns everything the staff phone received so far. */
    async staffInbox(h: Harness): Promise<string[]> {
      await h.notifications.flush();
      const texts = h.staff.received.map((r) => r.text);
      seen.push(...texts);
      return texts;
    },
  };
}

/** The numbered options of a reply: "*2* Tue, Dec 1, 10:20 AM" → ["…", "Tue, Dec 1, 10:20 AM", …] (index = number). */
export function options(reply: string): string[] {
  const out: string[] = [];
  for (const line of reply.split('\n')) {
    const m = /^\*(\d+)\* (.+)$/.exec(line);
    if (m) out[Number(m[1])] = m[2];
  }
  return out;
}
