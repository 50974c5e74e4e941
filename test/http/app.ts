/**
 * A real Puente HTTP app with the staff side, wired as `startPuente` wires it: a whole core from `harness()` (createCore
 * on a SQLite file, fake clock, fake channel that records what was sent, fake staff phone), `createAdmin` over its
 * store, outbox sender and applier, and `createHttpApp` with the database check and backend.
 *
 * `dashboardApp` seeds three clients who already talked to Puente: one asking for a person (Spanish), one booking a
 * consultation, one reporting ICE at the door.
 */
import type { ChannelStatus } from '../../src/channels/channel';
import { ExplainerLibrary } from '../../src/content/explainers';
import { createAdmin, type Admin } from '../../src/http/admin';
import { createHttpApp, startHttp } from '../../src/http/server';
import { harness, RESPONSES_DIR, type Harness } from '../helpers';

export const PASSWORD = 'correct horse';
export const FIRM = 'Rivera & Cho Immigration';

/** The clients of the fixture. */
export const CHATS = {
  human: '15551230001@c.us',
  booking: '15551230002@c.us',
  urgent: '15551230003@c.us',
  /** Asks for "another time" at the office (with `more`). */
  otherTime: '15551230004@c.us',
} as const;

/** FIRM_ADDRESS of the fixture: office confirmations carry it. */
export const ADDRESS = '350 Broadway, Suite 1200, New York, NY 10013';

/** Half a second of a 440 Hz tone as a WAV file: a voice note a browser can really play. */
export function tone(): Buffer {
  const rate = 8000;
  const samples = rate / 2;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const MINUTE = 60_000;

/** What the staff side is told about the channel; tests change it. */
export interface ChannelState {
  current: ChannelStatus;
  qr: string | undefined;
}

/**
 * The HTTP app of a running Puente over `h` (staff side and health endpoints, as in `startPuente`), listening on a
 * free loopback port. `library` replaces the explainers the content page checks.
 */
export async function staffApp(h: Harness, status: ChannelState, library = ExplainerLibrary.load(RESPONSES_DIR)) {
  const admin: Admin = await createAdmin({
    config: h.config, log: h.log, store: h.store, sender: h.core.sender, applier: h.core.applier, library, clock: h.clock,
    channel: () => status.current, qr: () => status.qr,
  });
  const app = createHttpApp({
    log: h.log, databaseOk: () => h.store.ping(), backend: h.store.backend, channel: () => status.current, routers: admin.routers,
    trustProxy: h.config.trustProxy,
  });
  const http = await startHttp(app, 0, '127.0.0.1');
  return { admin, app, http, url: `http://127.0.0.1:${http.port}` };
}

/** Starts the app on a free port and seeds the conversations. Call `stop()` after. */
export async function dashboardApp(options: { firmName?: string; more?: boolean } = { firmName: FIRM }) {
  const h = await harness({ env: { ADMIN_PASSWORD: PASSWORD, FIRM_ADDRESS: ADDRESS, ...(options.firmName ? { FIRM_NAME: options.firmName } : {}) } });
  const status: ChannelState = {
    current: { name: 'whatsapp-web', state: 'down', needsQr: true, detail: 'waiting for the QR code to be scanned' },
    qr: '2@fakeQr',
  };
  const { admin, app, http, url } = await staffApp(h, status);

  // Monday 2026-11-30 10:00 New York. A Spanish client asks for a person…
  await h.say(CHATS.human, 'hola');
  await h.say(CHATS.human, 'quiero hablar con una persona');
  await h.say(CHATS.human, 'es sobre la residencia de mi hermano');
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
  if (options.more) {
    // …who then sends the details and a voice note, while another client asks for "another time" at the office.
    h.clock.advance(2 * MINUTE);
    await h.say(CHATS.urgent, 'they took my husband Carlos Mejia, born 1988-03-02 in Honduras, from our home in Newark');
    await h.say(CHATS.urgent, '', { type: 'voice', attachment: { mimeType: 'audio/wav', data: tone() } });
    for (const text of ['i want to book a consultation', 'at the office', 'Rosa Ortiz', 'another time', 'saturday morning or after 6pm', 'my work permit is late', 'yes']) await h.say(CHATS.otherTime, text);
  }
  h.clock.advance(12 * MINUTE);

  const open = await h.store.openHandoffs();
  const handoffOf = (chat: string) => {
    const found = open.find((o) => o.chat === chat);
    if (!found) throw new Error(`fixture: no open handoff for ${chat} (have ${open.map((o) => `${o.kind}:${o.chat}`).join(', ')})`);
    return found.id;
  };
  const consultation = (await h.store.consultations()).find((c) => c.chat === CHATS.booking);
  if (!consultation) throw new Error('fixture: the booking did not create a consultation');
  const otherTime = (await h.store.consultations()).find((c) => c.chat === CHATS.otherTime);
  if (options.more && !otherTime?.preference) throw new Error('fixture: the "another time" request has no preference');
  const ids = { urgent: handoffOf(CHATS.urgent), human: handoffOf(CHATS.human), consultationHandoff: handoffOf(CHATS.booking), consultation: consultation.id, otherTime: otherTime?.id ?? 0 };

  return {
    h, desk: admin.desk, app, status, ids, url,
    /** What the fake channel sent to `chat` since the start. */
    sentTo: (chat: string) => h.sent.filter((s) => s.chat === chat).map((s) => s.text),
    stop: async () => {
      await http.stop();
      await h.close();
    },
  };
}

export type DashboardApp = Awaited<ReturnType<typeof dashboardApp>>;
