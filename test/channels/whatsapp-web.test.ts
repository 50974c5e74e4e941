/**
 * The whatsapp-web channel driven by a fake whatsapp-web.js client: an EventEmitter with the library's event names
 * (`qr`, `authenticated`, `ready`, `message`, `message_create`, `disconnected`, `auth_failure`) and `Message` objects
 * with its field names. Behind the channel: a whole core from `harness()` (createCore on a SQLite file), wired to the
 * channel as `startPuente` wires it (the runner's handle and staffMessage, the outbox sender's flush).
 */
import { whatsappWebRunner } from '../../src/main';
import { EventEmitter } from 'node:events';
import { WhatsAppWebChannel, type WhatsAppWebTiming } from '../../src/channels/whatsapp-web/channel';
import { splitMessage } from '../../src/channels/parts';
import type { WaClient, WaMessage } from '../../src/channels/whatsapp-web/client';
import { chatKind, toInbound } from '../../src/channels/whatsapp-web/mapping';
import type { Outbound } from '../../src/channels/channel';
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

const FAST: Partial<WhatsAppWebTiming> = { backoffMs: 10, maxBackoffMs: 80, typingMs: () => 0 };

async function setup(
  behaviours: ConstructorParameters<typeof FakeClient>[0][] = [{ initialize: 'ready', echo: 'before' }],
  timing: Partial<WhatsAppWebTiming> = FAST,
  gate?: Promise<void>,
) {
  const clients: FakeClient[] = [];
  let channel: WhatsAppWebChannel | undefined;
  const outbound: Outbound = { send: (chat, text) => channel!.outbound.send(chat, text) };
  const h: Harness = await harness({ outbound });
  const sleeps: number[] = [];
  // The channel's clock moves only when it sleeps, so waits can be checked without waiting.
  let now = Date.parse('2026-11-30T15:00:00Z');
  channel = new WhatsAppWebChannel({
    createClient: () => {
      const client = new FakeClient(behaviours[Math.min(clients.length, behaviours.length - 1)]);
      clients.push(client);
      return client;
    },
    // As main.ts hands the core to the channel.
    runner: whatsappWebRunner(h.core),
    log: h.log,
    timing,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      if (gate && ms > 0) await gate;
    },
  });
  const all = () => clients.flatMap((c) => c.sent);
  return { h, channel, clients, all, sleeps, client: () => clients[clients.length - 1] };
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
