/**
 * A real Puente HTTP app with the dashboard for the page and browser tests: real engine, turn runner and SQLite file
 * (test/helpers `harness`), a fake channel that records what was sent, a fake clock, and three clients who already
 * talked to Puente: one asking for a person (Spanish), one booking a consultation, one reporting ICE at the door.
 */
import { randomBytes } from 'node:crypto';
import { ExplainerLibrary } from '../../src/content/explainers';
import { Auth } from '../../src/http/admin/auth';
import { Desk } from '../../src/http/admin/desk';
import { pagesRouter } from '../../src/http/admin/pages';
import { createHttpApp, startHttp, type ChannelStatus } from '../../src/http/server';
import { harness, RESPONSES_DIR } from '../helpers';

export const PASSWORD = 'correct horse';
export const FIRM = 'Rivera & Cho Immigration';

/** The clients of the fixture. */
export const CHATS = {
  human: '15551230001@c.us',
  booking: '15551230002@c.us',
  urgent: '15551230003@c.us',
} as const;

const MINUTE = 60_000;

/** Starts the app on a free port and seeds the conversations. Call `stop()` after. */
export async function dashboardApp(options: { firmName?: string } = { firmName: FIRM }) {
  const h = harness();
  const status: { current: ChannelStatus; qr: string | undefined } = {
    current: { name: 'whatsapp-web', state: 'down', needsQr: true, detail: 'waiting for the QR code to be scanned' },
    qr: '2@fakeQr',
  };
  const desk = new Desk({
    store: h.store,
    runner: h.runner,
    library: ExplainerLibrary.load(RESPONSES_DIR),
    timezone: 'America/New_York',
    clock: h.clock,
    channel: () => status.current,
    qr: () => status.qr,
  });
  const auth = new Auth(PASSWORD, randomBytes(32));
  const app = createHttpApp({
    log: h.log,
    databaseOk: () => true,
    channel: () => status.current,
    routers: [pagesRouter({ desk, auth, log: h.log, secureCookies: false, firmName: options.firmName })],
  });
  const http = await startHttp(app, 0, '127.0.0.1');

  // Monday 2026-11-30 10:00 New York. A Spanish client asks for a person…
  await h.say(CHATS.human, 'hola');
  await h.say(CHATS.human, 'quiero hablar con una persona');
  await h.say(CHATS.human, 'es sobre mi hermano que esta detenido');
  h.clock.advance(35 * MINUTE);
  // …another books a phone consultation…
  for (const text of ['i want to book a consultation', 'by phone', 'John Smith', '1', 'my asylum case', 'yes']) await h.say(CHATS.booking, text);
  h.clock.advance(15 * MINUTE);
  // …someone asks things Puente does not know…
  await h.say('15551230009@c.us', 'what is the weather like in miami');
  await h.say('15551230009@c.us', 'do you sell car insurance');
  h.clock.advance(10 * MINUTE);
  // …and one reports ICE at the door, the last to arrive but the first to be served.
  await h.say(CHATS.urgent, 'ICE is at my door');
  h.clock.advance(12 * MINUTE);

  const open = h.store.openHandoffs();
  const handoffOf = (chat: string) => {
    const found = open.find((o) => o.chat === chat);
    if (!found) throw new Error(`fixture: no open handoff for ${chat} (have ${open.map((o) => `${o.kind}:${o.chat}`).join(', ')})`);
    return found.id;
  };
  const consultation = h.store.consultations().find((c) => c.chat === CHATS.booking);
  if (!consultation) throw new Error('fixture: the booking did not create a consultation');
  const ids = { urgent: handoffOf(CHATS.urgent), human: handoffOf(CHATS.human), consultationHandoff: handoffOf(CHATS.booking), consultation: consultation.id };

  return {
    h, desk, auth, app, status, ids,
    url: `http://127.0.0.1:${http.port}`,
    /** What the fake channel sent to `chat` since the start. */
    sentTo: (chat: string) => h.sent.filter((s) => s.chat === chat).map((s) => s.text),
    stop: async () => {
      await http.stop();
      await h.runner.idle();
      h.close();
    },
  };
}

export type DashboardApp = Awaited<ReturnType<typeof dashboardApp>>;
