/**
 * The whatsapp-web channel driven by a fake whatsapp-web.js client: an EventEmitter with the library's event names
 * (`qr`, `authenticated`, `ready`, `message`, `message_create`, `disconnected`, `auth_failure`) and `Message` objects
 * with its field names. Behind the channel: a whole core from `harness()` (createCore on a SQLite file), wired to the
 * channel as `startPuente` wires it (the runner's handle and staffMessage, the outbox sender's flush). What the channel
 * hands to the runner is recorded in `handed`. Files come from the fake message's `downloadMedia`, as the library's.
 */
import { whatsappWebRunner } from '../../src/main';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { WhatsAppWebChannel, type WhatsAppWebTiming } from '../../src/channels/whatsapp-web/channel';
import { splitMessage } from '../../src/channels/parts';
import type { WaClient, WaMedia, WaMessage } from '../../src/channels/whatsapp-web/client';
import { chatKind, toInbound } from '../../src/channels/whatsapp-web/mapping';
import type { Outbound } from '../../src/channels/channel';
import type { InboundMessage } from '../../src/dialogue/types';
import { messageRef } from '../../src/log';
import { harness, until, type Harness } from '../helpers';

const ME = '15559990000@c.us';
let ids = 0;

/** A whatsapp-web.js `Message` as the library hands it over. */
function waMessage(fields: Partial<WaMessage> & { from: string; body: string }): WaMessage {
  const fromMe = fields.fromMe ?? false;
  const serial = fields.id?._serialized ?? `${fromMe}_${fields.from}_3EB0${(ids++).toString(16).toUpperCase().padStart(8, '0')}`;
  return { to: ME, type: 'chat', timestamp: 1796050000, hasMedia: false, isStatus: false, ...fields, fromMe, id: { _serialized: serial, fromMe } };
}

/** A fake whatsapp-web.js Client. */
class FakeClient extends EventEmitter implements WaClient {
  initialized = 0;
  destroyed = 0;
  failSends = 0;
  /** Texts whose sends fail, and how many more times. */
  readonly failTexts = new Map<string, number>();
  readonly sent: { chat: string; text: string }[] = [];
  readonly typing: string[] = [];
  constructor(private readonly behaviour: { initialize: 'ready' | 'fail' | 'qr' | 'hang'; echo: 'before' | 'after' }) {
    super();
  }
  async initialize(): Promise<void> {
    this.initialized++;
    if (this.behaviour.initialize === 'fail') throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    if (this.behaviour.initialize === 'qr') this.emit('qr', '2@fakeQrPayload,abc==');
    if (this.behaviour.initialize === 'ready') {
      this.emit('authenticated');
      this.emit('ready');
    }
  }
  async destroy(): Promise<void> {
    this.destroyed++;
  }
  async sendMessage(chatId: string, content: string) {
    const failures = this.failTexts.get(content) ?? 0;
    if (this.failSends > 0 || failures > 0) {
      if (failures > 0) this.failTexts.set(content, failures - 1);
      else this.failSends--;
      throw new Error('Evaluation failed: sending failed');
    }
    // Like the library, our own send also comes back as a `message_create` with fromMe.
    const echo = waMessage({ from: ME, to: chatId, body: content, fromMe: true });
    if (this.behaviour.echo === 'before') this.emit('message_create', echo);
    this.sent.push({ chat: chatId, text: content });
    if (this.behaviour.echo === 'after') setImmediate(() => this.emit('message_create', echo));
    return { id: { _serialized: echo.id._serialized } };
  }
  async sendStateTyping(chatId: string): Promise<void> {
    this.typing.push(chatId);
  }
  async getContactLidAndPhone(userIds: string[]) {
    return userIds.map((lid) => ({ lid, pn: lid === '88001122@lid' ? '15551112222@c.us' : '' }));
  }
  /** A client writes to the firm. */
  receive(fields: Partial<WaMessage> & { from: string; body: string }): WaMessage {
    const m = waMessage(fields);
    this.emit('message', m);
    this.emit('message_create', m);
    return m;
  }
  /** Staff type in a chat on the linked phone. */
  staffTypes(chat: string, body: string): void {
    this.emit('message_create', waMessage({ from: ME, to: chat, body, fromMe: true }));
  }
}

const FAST: Partial<WhatsAppWebTiming> = { backoffMs: 10, maxBackoffMs: 80, typingMs: () => 0, mediaTimeoutMs: 300 };
/** MEDIA_MAX_MB in these tests: 64 KB. */
const MAX_BYTES = 64 * 1024;

async function setup(
  behaviours: ConstructorParameters<typeof FakeClient>[0][] = [{ initialize: 'ready', echo: 'before' }],
  timing: Partial<WhatsAppWebTiming> = FAST,
  gate?: Promise<void>,
) {
  const clients: FakeClient[] = [];
  let channel: WhatsAppWebChannel | undefined;
  const outbound: Outbound = { send: (chat, text) => channel!.outbound.send(chat, text) };
  const h: Harness = await harness({ outbound });
  const handed: InboundMessage[] = [];
  // As main.ts hands the core to the channel, recording what the channel hands over.
  const runner = whatsappWebRunner(h.core);
  const sleeps: number[] = [];
  // The channel's clock moves only when it sleeps, so waits can be checked without waiting.
  let now = Date.parse('2026-11-30T15:00:00Z');
  channel = new WhatsAppWebChannel({
    createClient: () => {
      const client = new FakeClient(behaviours[Math.min(clients.length, behaviours.length - 1)]);
      clients.push(client);
      return client;
    },
    runner: {
      ...runner,
      handle: (m) => {
        handed.push(m);
        return runner.handle(m);
      },
    },
    log: h.log,
    timing,
    mediaMaxBytes: MAX_BYTES,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      if (gate && ms > 0) await gate;
    },
  });
  const all = () => clients.flatMap((c) => c.sent);
  return { h, channel, clients, all, sleeps, handed, client: () => clients[clients.length - 1] };
}

let current: Awaited<ReturnType<typeof setup>> | undefined;
async function start(...args: Parameters<typeof setup>) {
  current = await setup(...args);
  current.channel.start();
  return current;
}
afterEach(async () => {
  await current?.channel.stop();
  await current?.h.close();
  current = undefined;
});

describe('mapping', () => {
  it('knows the kinds of chat ids', () => {
    expect(['1555@c.us', '8800@lid', '1203@g.us', 'status@broadcast', '1203@newsletter', '1234@broadcast'].map(chatKind))
      .toEqual(['person', 'lid', 'group', 'status', 'newsletter', 'broadcast']);
  });

  it('maps types, captions and the display name', () => {
    const at = new Date('2026-11-30T15:00:00Z');
    expect(toInbound(waMessage({ from: '1@c.us', body: 'hola', _data: { notifyName: 'Rosa' } }), '1@c.us', at)).toMatchObject({ type: 'text', text: 'hola', name: 'Rosa' });
    expect(toInbound(waMessage({ from: '1@c.us', body: '', type: 'ptt' }), '1@c.us', at)).toMatchObject({ type: 'voice', text: '' });
    expect(toInbound(waMessage({ from: '1@c.us', body: 'esta es la carta de uscis', type: 'image', hasMedia: true }), '1@c.us', at)).toMatchObject({ type: 'image', text: 'esta es la carta de uscis' });
    expect(toInbound(waMessage({ from: '1@c.us', body: '/9j/4AAQSkZJRgABAQ', type: 'location' }), '1@c.us', at)).toMatchObject({ type: 'location', text: '' });
  });

  it('carries the file\'s type, and the file when the channel downloaded it', () => {
    const at = new Date('2026-11-30T15:00:00Z');
    const voice = waMessage({ id: { _serialized: 'false_1@c.us_3EB0AA', fromMe: false }, from: '1@c.us', body: '', type: 'ptt', hasMedia: true, _data: { mimetype: 'audio/ogg; codecs=opus', size: 4 } });
    const attachment = { mimeType: 'audio/ogg', data: Buffer.from('OggS') };
    expect(toInbound(voice, '1@c.us', at, attachment)).toEqual({ id: 'wa:false_1@c.us_3EB0AA', chat: '1@c.us', type: 'voice', text: '', receivedAt: at, mimeType: 'audio/ogg', attachment });
    expect(toInbound(voice, '1@c.us', at)).toEqual({ id: 'wa:false_1@c.us_3EB0AA', chat: '1@c.us', type: 'voice', text: '', receivedAt: at, mimeType: 'audio/ogg' });
    expect(toInbound(waMessage({ from: '1@c.us', body: 'hola' }), '1@c.us', at)).not.toHaveProperty('mimeType');
  });
});

describe('inbound', () => {
  it('answers people and ignores our own messages, groups, status, channels, broadcasts and system messages', async () => {
    const { h, all, client } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const c = client();
    c.receive({ from: '120363000000@g.us', author: '15551230000@c.us', body: 'hola grupo' });
    c.receive({ from: 'status@broadcast', body: 'my status', isStatus: true });
    c.receive({ from: '120363111111@newsletter', body: 'news' });
    c.receive({ from: '15551230000@c.us', body: '', type: 'e2e_notification' });
    c.emit('message', waMessage({ from: ME, to: '15551230000@c.us', body: 'sent from my phone', fromMe: true }));
    c.receive({ from: '15551230000@c.us', body: 'what is 287g' });
    await until(() => all().length === 1, 5_000, 'one reply');
    await h.runner.idle();
    expect(all()).toHaveLength(1);
    expect(all()[0]).toMatchObject({ chat: '15551230000@c.us' });
    expect(all()[0].text).toContain('287(g)');
    expect(c.typing).toEqual(['15551230000@c.us']);
    expect(await h.store.transcript('120363000000@g.us')).toEqual([]);
  });

  it('asks for text once per voice note, image or sticker, and reads captions as text', async () => {
    const { h, all, client } = await start();
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '15551230001@c.us', body: '', type: 'ptt', hasMedia: true });
    await until(() => all().length === 1);
    expect(all()[0].text).toMatch(/voice notes|notas de voz/);
    client().receive({ from: '15551230001@c.us', body: 'que es un habeas corpus', type: 'image', hasMedia: true });
    await until(() => all().length === 2);
    expect(all()[1].text).toMatch(/[Hh][áa]beas/);
    await h.runner.idle();
  });

  it('answers a @lid sender on their phone number when WhatsApp tells us', async () => {
    const { all, client } = await start();
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '88001122@lid', body: 'hello' });
    await until(() => all().length === 1);
    expect(all()[0].chat).toBe('15551112222@c.us');
  });
});

/** Files as a phone makes them (their first bytes), the rest random. */
const VOICE = Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), randomBytes(9_000)]);
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(30_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);

/**
 * The fields of a message with a file, as the library gives them: `hasMedia`, the type and size announced in `_data`,
 * and `downloadMedia` answering the file (after a pause), another `MessageMedia`, nothing (`gone`: WhatsApp no longer
 * has it), an error, or never.
 */
function withFile(file: Buffer, mimetype: string, media: WaMedia | 'gone' | Error | 'never' | { after: number } = { after: 0 }) {
  const calls = { count: 0 };
  const downloaded: WaMedia = { mimetype, data: file.toString('base64'), filename: null, filesize: file.length };
  const fields = {
    hasMedia: true,
    _data: { notifyName: 'Rosa', mimetype, size: file.length },
    downloadMedia: async () => {
      calls.count++;
      if (media instanceof Error) throw media;
      if (media === 'never') return new Promise<never>(() => undefined);
      if (media === 'gone') return undefined;
      if (media && 'after' in media) {
        await new Promise((resolve) => setTimeout(resolve, media.after));
        return downloaded;
      }
      return media;
    },
  };
  return { fields, calls };
}

/** The channel's log lines with this message. */
const logged = (h: Harness, msg: string) => h.logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === msg);

describe('what the client sent', () => {
  it('a voice note arrives with the bytes WhatsApp gave, and the client is still asked to type', async () => {
    const { all, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const voice = withFile(VOICE, 'audio/ogg; codecs=opus');
    client().receive({ from: '15551230010@c.us', body: '', type: 'ptt', ...voice.fields });
    await until(() => all().length === 1);
    expect(all()[0].text).toMatch(/voice notes|notas de voz/);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({ chat: '15551230010@c.us', type: 'voice', text: '', mimeType: 'audio/ogg' });
    expect(handed[0].attachment).toEqual({ mimeType: 'audio/ogg', data: VOICE });
    expect(voice.calls.count).toBe(1);
  });

  it('a photo arrives with its caption as the text and its bytes; a document with its file name', async () => {
    const { h, all, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '15551230011@c.us', body: 'que es un habeas corpus', type: 'image', ...withFile(PHOTO, 'image/jpeg').fields });
    await until(() => all().length === 1);
    client().receive({ from: '15551230011@c.us', body: 'I-797', type: 'document', ...withFile(PDF, 'application/pdf').fields });
    await until(() => handed.length === 2);
    await h.runner.idle();
    expect(all()[0].text).toMatch(/[Hh][áa]beas/); // the caption was understood
    expect(handed[0]).toMatchObject({ type: 'image', text: 'que es un habeas corpus', mimeType: 'image/jpeg', attachment: { mimeType: 'image/jpeg', data: PHOTO } });
    expect(handed[0].attachment).not.toHaveProperty('filename');
    expect(handed[1]).toMatchObject({ type: 'document', text: 'I-797', mimeType: 'application/pdf', attachment: { mimeType: 'application/pdf', data: PDF } });
  });

  it('a document keeps the file name the phone gave it, without folders or control characters', async () => {
    const { client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const pdf: WaMedia = { mimetype: 'application/pdf', data: PDF.toString('base64'), filename: 'C:\\fakepath\\I-797 receipt\u202e.pdf', filesize: PDF.length };
    client().receive({ from: '15551230012@c.us', body: '', type: 'document', ...withFile(PDF, 'application/pdf', pdf).fields });
    await until(() => handed.length === 1);
    expect(handed[0].attachment).toEqual({ mimeType: 'application/pdf', data: PDF, filename: 'I-797 receipt.pdf' });
  });

  it('a type not allowed or a size over the limit, as the message announces them, is never downloaded; the message is still handled', async () => {
    const { h, all, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const exe = withFile(Buffer.from('MZ\x90\x00'), 'application/x-msdownload');
    const video = withFile(randomBytes(MAX_BYTES + 1), 'video/mp4');
    client().receive({ from: '15551230013@c.us', body: '', type: 'document', ...exe.fields });
    client().receive({ from: '15551230013@c.us', body: '', type: 'video', ...video.fields });
    await until(() => handed.length === 2 && all().length >= 1);
    await h.runner.idle();
    expect([exe.calls.count, video.calls.count]).toEqual([0, 0]);
    expect(handed.map((m) => [m.type, m.mimeType, m.attachment])).toEqual([['document', 'application/x-msdownload', undefined], ['video', 'video/mp4', undefined]]);
    expect(logged(h, 'WhatsApp: media not kept').map((l) => l.reason)).toEqual(['type-not-allowed', 'too-large']);
  });

  it('a download larger than the limit, or of a type not allowed, is not kept when the message did not announce it', async () => {
    const { h, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const big = randomBytes(MAX_BYTES + 1);
    const bigVideo = withFile(big, 'video/mp4');
    const svg = withFile(Buffer.from('<svg/>'), 'image/svg+xml');
    client().receive({ from: '15551230014@c.us', body: '', type: 'video', ...bigVideo.fields, _data: {} });
    client().receive({ from: '15551230014@c.us', body: '', type: 'image', ...svg.fields, _data: {} });
    await until(() => handed.length === 2);
    await h.runner.idle();
    expect([bigVideo.calls.count, svg.calls.count]).toEqual([1, 1]);
    expect(handed.map((m) => m.attachment)).toEqual([undefined, undefined]);
    expect(logged(h, 'WhatsApp: media not kept').map((l) => l.reason)).toEqual(['too-large', 'type-not-allowed']);
  });

  it.each([
    ['the browser fails', new Error('Evaluation failed: TypeError: Cannot read properties of undefined'), 'unavailable'],
    ['WhatsApp no longer has the file', 'gone' as const, 'unavailable'],
    ['the download never ends', 'never' as const, 'timeout'],
  ])('when %s, the message is still handed over, without the file', async (_what, outcome, reason) => {
    const { h, all, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '15551230015@c.us', body: '', type: 'ptt', ...withFile(VOICE, 'audio/ogg', outcome).fields });
    await until(() => all().length === 1, 5_000, 'the reply');
    expect(all()[0].text).toMatch(/voice notes|notas de voz/);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({ type: 'voice', mimeType: 'audio/ogg' });
    expect(handed[0]).not.toHaveProperty('attachment');
    expect(logged(h, 'WhatsApp: media not kept')).toMatchObject([{ reason, maxBytes: MAX_BYTES }]);
  });

  it('a text sent right after a photo is handed over after it, although the photo was still downloading', async () => {
    const { h, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const photo = client().receive({ from: '15551230016@c.us', body: '', type: 'image', ...withFile(PHOTO, 'image/jpeg', { after: 100 }).fields });
    const text = client().receive({ from: '15551230016@c.us', body: 'what is a writ of mandamus' });
    await until(() => handed.length === 2);
    await h.runner.idle();
    expect(handed.map((m) => m.id)).toEqual([`wa:${photo.id._serialized}`, `wa:${text.id._serialized}`]);
    expect(handed[0].attachment?.data.equals(PHOTO)).toBe(true);
    const inbound = (await h.store.transcript('15551230016@c.us')).filter((t) => t.direction === 'in');
    expect(inbound.map((t) => t.text)).toEqual(['', 'what is a writ of mandamus']);
  });

  it('logs neither the file, its name nor the number', async () => {
    const { h, client, handed } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const pdf: WaMedia = { mimetype: 'application/pdf', data: PDF.toString('base64'), filename: 'Rosa Perez asylum.pdf', filesize: PDF.length };
    client().receive({ from: '15551230017@c.us', body: '', type: 'document', ...withFile(PDF, 'application/pdf', pdf).fields });
    const failing = client().receive({ from: '15551230017@c.us', body: '', type: 'ptt', ...withFile(VOICE, 'audio/ogg', new Error('Evaluation failed at 15551230017@c.us')).fields });
    await until(() => handed.length === 2);
    await h.runner.idle();
    const all = h.logLines.join('\n');
    expect(all).toContain(messageRef(`wa:${failing.id._serialized}`));
    for (const secret of ['15551230017', 'Rosa Perez', PDF.toString('base64').slice(0, 40), VOICE.toString('base64').slice(0, 40)]) expect(all).not.toContain(secret);
  });
});

describe('staff take-over', () => {
  it.each(['before', 'after'] as const)('our own sends (echo %s the send resolves) are not mistaken for staff', async (echo) => {
    const { h, all, client } = await start([{ initialize: 'ready', echo }]);
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '15551230002@c.us', body: 'menu' });
    await until(() => all().length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    await h.runner.idle();
    expect(await h.store.openHandoffs()).toEqual([]);
    client().receive({ from: '15551230002@c.us', body: '4' });
    await until(() => all().length === 2);
  });

  it('staff typing on the phone pauses the bot in that chat; #bot resumes it', async () => {
    const { h, all, client } = await start();
    await until(() => current!.channel.status().state === 'connected');
    client().receive({ from: '15551230003@c.us', body: 'hola' });
    await until(() => all().length === 1);
    client().staffTypes('15551230003@c.us', 'Hola, soy Ana de la oficina. ¿En qué le ayudo?');
    await until(async () => (await h.store.openHandoffs()).length === 1, 5_000, 'take-over');
    expect((await h.store.openHandoffs())[0]).toMatchObject({ chat: '15551230003@c.us', kind: 'human' });
    client().receive({ from: '15551230003@c.us', body: 'mi esposo esta detenido desde hace meses' });
    await h.runner.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(all()).toHaveLength(1); // the bot kept quiet
    client().staffTypes('15551230003@c.us', '#bot');
    await until(async () => (await h.store.openHandoffs()).length === 0, 5_000, 'resume');
    client().receive({ from: '15551230003@c.us', body: 'que es un habeas corpus' });
    await until(() => all().length === 2);
    expect((await h.store.transcript('15551230003@c.us')).filter((t) => t.author === 'staff').map((t) => t.text)).toEqual(['Hola, soy Ana de la oficina. ¿En qué le ayudo?']);
  });
});

describe('resilience', () => {
  it('after `disconnected`, destroys the client and starts a new one after a back-off; a replayed message is answered once', async () => {
    const { h, all, clients } = await start([{ initialize: 'ready', echo: 'before' }]);
    await until(() => current!.channel.status().state === 'connected');
    const first = clients[0];
    const hello = first.receive({ from: '15551230004@c.us', body: 'hello' });
    await until(() => all().length === 1);
    first.emit('disconnected', 'NAVIGATION');
    expect(current!.channel.status().state).toBe('down');
    await until(() => clients.length === 2 && current!.channel.status().state === 'connected', 5_000, 'a new client');
    expect(first.destroyed).toBe(1);
    expect(clients.every((c) => c.initialized === 1)).toBe(true); // never initialise the same client twice
    // After reconnecting, WhatsApp replays recent messages: the same id is not answered again.
    clients[1].emit('message', hello);
    await h.runner.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(all()).toHaveLength(1);
    // Events from the old client are ignored.
    first.receive({ from: '15551230004@c.us', body: 'from a dead client' });
    await h.runner.idle();
    expect(all()).toHaveLength(1);
  });

  it('backs off exponentially while initialize() keeps failing, logging one line per attempt', async () => {
    const { h, clients } = await start([{ initialize: 'fail', echo: 'before' }, { initialize: 'fail', echo: 'before' }, { initialize: 'fail', echo: 'before' }, { initialize: 'ready', echo: 'before' }]);
    await until(() => current!.channel.status().state === 'connected', 5_000, 'connected after failures');
    expect(clients).toHaveLength(4);
    const errors = h.logLines.filter((l) => l.includes('could not start WhatsApp Web')).map((l) => JSON.parse(l) as { retryInMs: number; cause: string });
    expect(errors.map((e) => e.retryInMs)).toEqual([10, 20, 40]);
    expect(errors[0].cause).toContain('ERR_NAME_NOT_RESOLVED');
    expect(clients.slice(0, 3).every((c) => c.destroyed === 1)).toBe(true);
  });

  it('LOGOUT asks for a new QR code; the QR is kept for the dashboard until the phone is linked', async () => {
    const { clients } = await start([{ initialize: 'ready', echo: 'before' }, { initialize: 'qr', echo: 'before' }]);
    await until(() => current!.channel.status().state === 'connected');
    clients[0].emit('disconnected', 'LOGOUT');
    expect(current!.channel.status()).toMatchObject({ state: 'down', needsQr: true });
    expect(current!.channel.status().detail).toMatch(/scan the new QR code/);
    await until(() => current!.channel.qr() !== undefined, 5_000, 'a QR code');
    expect(current!.channel.qr()).toBe('2@fakeQrPayload,abc==');
    clients[1].emit('authenticated');
    clients[1].emit('ready');
    expect(current!.channel.qr()).toBeUndefined();
    expect(current!.channel.status()).toMatchObject({ state: 'connected' });
    expect(current!.channel.status().needsQr).toBeUndefined();
  });

  it('`ready` twice changes nothing; auth_failure restarts with a new client', async () => {
    const { clients } = await start([{ initialize: 'ready', echo: 'before' }]);
    await until(() => current!.channel.status().state === 'connected');
    clients[0].emit('ready');
    expect(clients).toHaveLength(1);
    clients[0].emit('auth_failure', 'session expired');
    await until(() => clients.length === 2);
    expect(clients[0].destroyed).toBe(1);
  });

  it('a reply that could not be sent while disconnected waits in the outbox; the reconnect sends it', async () => {
    const { h, all, clients } = await start([{ initialize: 'ready', echo: 'before' }, { initialize: 'hang', echo: 'before' }]);
    await until(() => current!.channel.status().state === 'connected');
    clients[0].emit('disconnected', 'CONFLICT');
    await until(() => clients.length === 2);
    // A message arrives through the runner while the channel is down (e.g. the console or a replay): the send fails and
    // the reply waits in the outbox for its retry (the sender's first back-off, 5 s here).
    const chat = '15551230005@c.us';
    expect(await h.runner.handle({ id: 'wa:queued', chat, text: 'hola', type: 'text', receivedAt: h.clock.now() })).toBe('answered');
    expect(all()).toEqual([]);
    expect(await h.store.nextOutboxAt()).toEqual(new Date(h.clock.now().getTime() + 5_000));
    // Nothing else sends it (no sender polling in this test): the channel flushes the outbox when it is ready again,
    // at once, without waiting for the retry time (an urgent reply must not wait for its back-off).
    clients[1].emit('authenticated');
    clients[1].emit('ready');
    await until(() => all().length === 1, 5_000, 'the saved reply');
    const replies = (await h.store.transcript(chat)).filter((t) => t.author === 'bot').map((t) => t.text);
    expect(replies).toHaveLength(1);
    expect(all()).toEqual([{ chat, text: replies[0] }]);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it('stop() waits for sends under way, then destroys the browser once', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { h, channel, clients, all } = await start([{ initialize: 'ready', echo: 'before' }], { ...FAST, typingMs: () => 1 }, gate);
    await until(() => channel.status().state === 'connected');
    clients[0].receive({ from: '15551230006@c.us', body: 'hello' });
    await until(() => clients[0].typing.length === 1);
    const stopping = channel.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clients[0].destroyed).toBe(0); // still sending
    release();
    await stopping;
    expect(all()).toHaveLength(1);
    expect(clients[0].destroyed).toBe(1);
    await h.runner.idle();
  });
});

describe('outbound', () => {
  it('splits long replies on paragraph boundaries, in order', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${'word '.repeat(60).trim()}`);
    const parts = splitMessage(paragraphs.join('\n\n'), 700);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 700)).toBe(true);
    expect(parts.join('\n\n')).toBe(paragraphs.join('\n\n'));
    expect(splitMessage('short', 700)).toEqual(['short']);
    const oneLine = 'x '.repeat(1000).trim();
    expect(splitMessage(oneLine, 300).every((p) => p.length <= 300)).toBe(true);
  });

  it('retries a failed send once, and keeps the reply in the outbox when the retry fails too', async () => {
    const { h, all, clients } = await start();
    await until(() => current!.channel.status().state === 'connected');
    const chat = '15551230007@c.us';
    clients[0].failSends = 1;
    clients[0].receive({ from: chat, body: 'hello' });
    await until(() => all().length === 1);
    clients[0].failSends = 2;
    clients[0].receive({ from: chat, body: 'menu' });
    const retryAt = new Date(h.clock.now().getTime() + 5_000);
    await until(async () => (await h.store.nextOutboxAt())?.getTime() === retryAt.getTime(), 5_000, 'the reply kept in the outbox for a retry');
    await h.runner.idle();
    expect(all()).toHaveLength(1);
    expect(h.logLines.join('')).toContain('send failed; retrying once');
    // The outbox sender tries again after its back-off, and the menu goes out.
    h.clock.advance(5_000);
    expect(await h.core.sender.flush()).toBe(1);
    const replies = (await h.store.transcript(chat)).filter((t) => t.author === 'bot').map((t) => t.text);
    expect(replies).toHaveLength(2);
    expect(all()).toEqual(replies.map((text) => ({ chat, text })));
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it('a long reply whose second part failed is resumed from that part at the next attempt: no part is sent twice', async () => {
    const { h, all, clients } = await start([{ initialize: 'ready', echo: 'before' }], { ...FAST, splitAt: 300 });
    await until(() => current!.channel.status().state === 'connected');
    clients[0].receive({ from: '15551230008@c.us', body: 'que es un habeas corpus' }); // a long explainer: several parts
    await until(() => all().length >= 2, 5_000, 'the first parts');
    await h.runner.idle();
    const reply = (await h.store.transcript('15551230008@c.us')).find((t) => t.author === 'bot')!.text;
    const parts = splitMessage(reply, 300);
    expect(parts.length).toBeGreaterThan(2);
    // The same reply to another chat, failing its second part twice (the send and its one retry).
    await h.store.withChat('15551230009@c.us', (tx) => tx.enqueue([reply], h.clock.now()));
    clients[0].failTexts.set(parts[1], 2);
    const before = all().length;
    await h.core.sender.flush();
    expect(all().slice(before).map((s) => s.text)).toEqual([parts[0]]);
    expect(await h.store.nextOutboxAt()).toEqual(new Date(h.clock.now().getTime() + 5_000));
    h.clock.advance(5_000);
    await h.core.sender.flush();
    expect(all().slice(before).map((s) => s.text)).toEqual(parts);
    expect(all().slice(before).every((s) => s.chat === '15551230009@c.us')).toBe(true);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it('keeps to the per-minute cap by waiting', async () => {
    const { channel, sleeps } = await start([{ initialize: 'ready', echo: 'before' }], { ...FAST, perMinute: 2 });
    await until(() => channel.status().state === 'connected');
    await Promise.all([1, 2, 3].map((i) => channel.notifier.notify('15550001111', `note ${i}`)));
    expect(sleeps.some((ms) => ms > 50_000)).toBe(true); // the third waited for the minute to pass
  });

  it('sends staff notifications to the staff number\'s chat', async () => {
    const { channel, clients } = await start();
    await until(() => channel.status().state === 'connected');
    await channel.notifier.notify('15550001111', '🚨 URGENT');
    expect(clients[0].sent).toEqual([{ chat: '15550001111@c.us', text: '🚨 URGENT' }]);
    expect(clients[0].typing).toHaveLength(0);
  });
});
