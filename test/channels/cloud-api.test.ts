/**
 * The Cloud API channel end to end on loopback: Meta's signed webhooks into the real HTTP app, a real turn runner on a
 * SQLite file, and replies out to a fake Graph API that answers like Meta.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  cloudApiProblems, createCloudApiChannel, splitText, toInboundMessage, type CloudApiChannel, type DeliveryStatus,
} from '../../src/channels/cloud-api/cloud-api';
import type { InboundMessage } from '../../src/dialogue/types';
import { STRINGS } from '../../src/dialogue/strings';
import { createHttpApp, startHttp, type RunningHttp } from '../../src/http/server';
import { openDatabase, type Db } from '../../src/storage/sqlite';
import { SqliteStore } from '../../src/storage/sqlite-store';
import { TurnRunner } from '../../src/turn';
import { engineWith, FakeClock, memoryLog, tempDir } from '../helpers';

const PHONE_ID = '106540352242922';
const TOKEN = 'EAAG-test-token-not-real';
const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'puente-verify-me';
const CLIENT = '16505551234';
const VOICE_CLIENT = '13055550187';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'cloud-api', `${name}.json`), 'utf8');
}

/** Signs a body exactly as Meta does: HMAC-SHA256 of the raw bytes with the app secret, hex, prefixed "sha256=". */
function sign(body: string | Buffer, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface GraphRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: { to: string; type: string; text: { body: string; preview_url: boolean }; [k: string]: unknown };
}

/** A fake Graph API on loopback: records requests, answers like Meta unless told to fail the next ones. */
async function fakeGraph() {
  const requests: GraphRequest[] = [];
  const failures: { status: number; body: unknown }[] = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const failure = failures.shift();
      const answer = failure ?? { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.fake${++counter}` }] } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    requests,
    /** The next sends get these answers, in order. */
    failNext: (...answers: { status: number; body: unknown }[]) => failures.push(...answers),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const graphError = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `(#${code}) error`, type: 'OAuthException', code, fbtrace_id: 'AbCdEfGh123', ...extra },
});

type Graph = Awaited<ReturnType<typeof fakeGraph>>;
let graph: Graph;
let http: RunningHttp;
let channel: CloudApiChannel;
let db: Db;
let store: SqliteStore;
let logLines: string[];
let tmp: ReturnType<typeof tempDir>;
let handled: InboundMessage[];
let statuses: DeliveryStatus[];

beforeEach(async () => {
  graph = await fakeGraph();
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'p.db'));
  store = new SqliteStore(db);
  const { log, lines } = memoryLog();
  logLines = lines;
  const clock = new FakeClock();
  handled = [];
  statuses = [];
  let runner: TurnRunner;
  channel = createCloudApiChannel({
    settings: { token: TOKEN, phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
    onMessage: (m) => {
      handled.push(m);
      return runner.handle(m);
    },
    onStatus: (s) => statuses.push(s),
    log,
    clock,
    retryDelaysMs: [5, 10],
  });
  runner = new TurnRunner({ store, engine: engineWith(), outbound: channel.outbound, log, clock });
  const app = createHttpApp({ log, databaseOk: () => true, channel: () => channel.status(), routers: [channel.router] });
  http = await startHttp(app, 0, '127.0.0.1');
});

afterEach(async () => {
  await channel.idle();
  await http.stop();
  await graph.close();
  db.close();
  tmp.remove();
});

const base = () => `http://127.0.0.1:${http.port}`;

/** Delivers a webhook body the way Meta does (signed unless told otherwise) and waits for its processing. */
async function deliver(body: string | Buffer, signature: string | null = sign(body)): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${base()}/webhooks/whatsapp`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  await channel.idle();
  return res.status;
}

const sentTexts = () => graph.requests.map((r) => r.body.text.body);

describe('verify handshake', () => {
  it('answers the challenge as plain text when the verify token matches', async () => {
    const res = await fetch(`${base()}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token, a missing token and another mode with 403', async () => {
    for (const query of ['hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1', 'hub.mode=subscribe&hub.challenge=1', `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`]) {
      const res = await fetch(`${base()}/webhooks/whatsapp?${query}`);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('1');
    }
  });
});

describe('a client writes', () => {
  it('answers a signed text webhook with exactly one correctly shaped Graph send carrying the Puente reply', async () => {
    expect(await deliver(fixture('text'))).toBe(200);
    expect(graph.requests).toHaveLength(1);
    const [request] = graph.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CLIENT, type: 'text', text: { body: expect.any(String), preview_url: false } });
    expect(request.body.text.body).toContain('mandamus');
    const transcript = store.transcript(CLIENT);
    expect(transcript.map((t) => t.direction)).toEqual(['in', 'out']);
    expect(transcript[0].text).toBe('what is a writ of mandamus');
    expect(transcript[1].text).toBe(request.body.text.body);
    expect(store.unsent()).toEqual([]);
    expect(handled[0]).toMatchObject({ id: expect.stringMatching(/^wamid\./), chat: CLIENT, type: 'text', name: 'Sheena Nelson' });
  });

  it('answers a webhook delivered twice only once', async () => {
    const body = fixture('text');
    expect(await deliver(body)).toBe(200);
    expect(await deliver(body)).toBe(200);
    expect(graph.requests).toHaveLength(1);
    expect(store.transcript(CLIENT).filter((t) => t.direction === 'in')).toHaveLength(1);
  });

  it('answers concurrent redeliveries once, and a message repeated inside one payload is handed over once', async () => {
    const payload = JSON.parse(fixture('text'));
    const messages = payload.entry[0].changes[0].value.messages;
    messages.push({ ...messages[0] });
    const body = JSON.stringify(payload);
    const statusesOf = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    expect(statusesOf).toEqual([200, 200, 200]);
    await channel.idle();
    expect(graph.requests).toHaveLength(1);
    expect(handled.length).toBe(3); // one per delivery, none for the in-payload repeat
  });

  it('maps a list_reply to the number it stands for, as if the client typed it', async () => {
    await deliver(fixture('text'));
    const menu = graph.requests[0].body.text.body;
    expect(menu).toMatch(/\*2\* Talk to a person/);
    await deliver(fixture('list-reply'));
    const inbound = store.transcript(CLIENT).filter((t) => t.direction === 'in');
    expect(inbound.map((t) => t.text)).toEqual(['what is a writ of mandamus', '2']);
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[1].body.text.body).not.toContain('Did you mean');
    expect(graph.requests[1].body.text.body.length).toBeGreaterThan(0);
  });

  it('asks a voice-note sender to type', async () => {
    await deliver(fixture('audio'));
    expect(handled[0]).toMatchObject({ chat: VOICE_CLIENT, type: 'voice', text: '' });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0].body.to).toBe(VOICE_CLIENT);
    expect(graph.requests[0].body.text.body).toContain(STRINGS.en.pleaseType);
  });

  it('passes status updates to onStatus and never answers them', async () => {
    expect(await deliver(fixture('statuses'))).toBe(200);
    expect(graph.requests).toHaveLength(0);
    expect(handled).toHaveLength(0);
    expect(statuses).toEqual([
      { messageId: expect.stringMatching(/^wamid\./), status: 'delivered', recipient: CLIENT, at: new Date(1749416390 * 1000) },
      { messageId: expect.stringMatching(/^wamid\./), status: 'failed', recipient: CLIENT, at: new Date(1749416395 * 1000), errorCode: 131047 },
    ]);
    expect(logLines.join('')).toContain('131047');
  });

  it('ignores messages addressed to another business number of the same account', async () => {
    const payload = JSON.parse(fixture('text'));
    payload.entry[0].changes[0].value.metadata.phone_number_id = '999999999999999';
    expect(await deliver(JSON.stringify(payload))).toBe(200);
    expect(handled).toHaveLength(0);
    expect(graph.requests).toHaveLength(0);
  });
});

describe('refused webhooks change nothing', () => {
  it.each([
    ['a wrong signature', sign(fixture('text'), 'another-secret')],
    ['a missing signature', null],
    ['a malformed signature', 'sha256=abc'],
    ['a signature of another body', sign('{}')],
  ])('refuses %s with 401', async (_what, signature) => {
    expect(await deliver(fixture('text'), signature)).toBe(401);
    expect(graph.requests).toHaveLength(0);
    expect(handled).toHaveLength(0);
    expect(store.transcript(CLIENT)).toEqual([]);
  });

  it('answers garbage with a good signature 400 and stays up', async () => {
    const garbage = Buffer.alloc(100_000, 0xff);
    expect(await deliver(garbage)).toBe(400);
    expect(await deliver('{"object": "whatsapp_business_account", "entry": [')).toBe(400);
    expect(handled).toHaveLength(0);
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
    expect(await deliver(fixture('text'))).toBe(200);
    expect(graph.requests).toHaveLength(1);
  });

  it('refuses a body over 1 MB with 413 before reading it as JSON, and stays up', async () => {
    const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(1_100_000) });
    expect(await deliver(huge)).toBe(413);
    expect(handled).toHaveLength(0);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  it('accepts well-formed JSON that is not a messages webhook with 200 and does nothing', async () => {
    expect(await deliver(JSON.stringify({ object: 'page', entry: [{ changes: [{ field: 'feed', value: {} }] }] }))).toBe(200);
    expect(await deliver('[]')).toBe(200);
    expect(handled).toHaveLength(0);
    expect(graph.requests).toHaveLength(0);
  });
});

describe('sending', () => {
  it('retries a Graph 500 and then sends once', async () => {
    graph.failNext({ status: 500, body: graphError(2) });
    await deliver(fixture('text'));
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[1].body).toEqual(graph.requests[0].body);
    expect(store.unsent()).toEqual([]);
  });

  it.each([
    ['pair rate limit', 400, 131056],
    ['throughput limit', 429, 130429],
    ['business account rate limit', 400, 80007],
    ['application rate limit', 400, 4],
  ])('retries a %s', async (_what, status, code) => {
    graph.failNext({ status, body: graphError(code) });
    await deliver(fixture('text'));
    expect(graph.requests).toHaveLength(2);
    expect(store.unsent()).toEqual([]);
  });

  it('does not retry a 400, logs its codes, and leaves the reply unsent in the outbox', async () => {
    graph.failNext({ status: 400, body: graphError(131026, { error_subcode: 2494010 }) });
    await deliver(fixture('text'));
    expect(graph.requests).toHaveLength(1);
    const unsent = store.unsent();
    expect(unsent).toHaveLength(1);
    expect(unsent[0]).toMatchObject({ chat: CLIENT, text: expect.stringContaining('mandamus') });
    const failure = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'cloud api send failed; giving up');
    expect(failure).toMatchObject({ code: 131026, subcode: 2494010, fbtraceId: 'AbCdEfGh123', httpStatus: 400, chat: '…1234' });
    expect(channel.status().state).toBe('connected');
  });

  it('gives up after the last retry and rejects so the turn runner keeps the reply', async () => {
    graph.failNext(...[1, 2, 3].map(() => ({ status: 503, body: {} })));
    await expect(channel.outbound.send(CLIENT, 'hello')).rejects.toThrow(/HTTP 503/);
    expect(graph.requests).toHaveLength(3);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (calls++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNRESET' }) });
      return fetch(input, init);
    };
    const own = createCloudApiChannel({
      settings: { token: TOKEN, phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
      onMessage: async () => undefined, log: memoryLog().log, fetch: flaky, retryDelaysMs: [5],
    });
    await own.outbound.send(CLIENT, 'hello');
    expect(calls).toBe(2);
    expect(graph.requests).toHaveLength(1);
  });

  it('reports the channel down after the token is rejected (190) and up again after a send succeeds', async () => {
    graph.failNext({ status: 401, body: graphError(190, { error_subcode: 463 }) });
    await expect(channel.outbound.send(CLIENT, 'hello')).rejects.toThrow(/190/);
    expect(channel.status()).toMatchObject({ name: 'cloud-api', state: 'down', detail: expect.stringContaining('CLOUD_API_TOKEN') });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(503);
    await channel.outbound.send(CLIENT, 'hello again');
    expect(channel.status().state).toBe('connected');
  });

  it('splits a reply over 4,096 characters into several messages, in order, on paragraph boundaries', async () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1}. ${'Lorem ipsum dolor sit amet. '.repeat(40).trim()}`);
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThan(4096 * 2);
    await channel.outbound.send(CLIENT, text);
    const bodies = sentTexts();
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(4096);
    expect(bodies.join('\n\n')).toBe(text);
    expect(bodies[0].startsWith('Paragraph 1.')).toBe(true);
    expect(bodies.every((b) => b.startsWith('Paragraph '))).toBe(true);
  });

  it('sends staff notifications through the same API to the staff number', async () => {
    await channel.notifier.notify('15550001111', '🚨 *URGENT: detention reported*');
    expect(graph.requests[0].body).toMatchObject({ to: '15550001111', text: { body: '🚨 *URGENT: detention reported*', preview_url: false } });
  });
});

describe('privacy', () => {
  it('logs no message text, names, tokens or full phone numbers', async () => {
    graph.failNext({ status: 400, body: graphError(131026) });
    await deliver(fixture('text'));
    await deliver(fixture('audio'));
    await deliver(fixture('statuses'));
    await deliver(fixture('text'), sign('tampered'));
    const all = logLines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of ['writ of mandamus', 'Sheena', 'Nelson', 'Pablo', CLIENT, VOICE_CLIENT, TOKEN, APP_SECRET]) expect(all).not.toContain(secret);
  });
});

describe('mapping Cloud API messages', () => {
  const at = new Date('2026-11-30T15:00:00Z');
  const msg = (type: string, body: Record<string, unknown>) => ({ from: CLIENT, id: 'wamid.X', timestamp: '1749416383', type, ...body });
  const contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: CLIENT }];

  it.each([
    ['text', msg('text', { text: { body: 'hola' } }), { type: 'text', text: 'hola' }],
    ['list reply with our number', msg('interactive', { interactive: { type: 'list_reply', list_reply: { id: '3', title: 'Book' } } }), { type: 'text', text: '3' }],
    ['list reply with another id', msg('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'book', title: 'Book a consultation' } } }), { type: 'text', text: 'Book a consultation' }],
    ['button reply', msg('interactive', { interactive: { type: 'button_reply', button_reply: { id: '1', title: 'Yes' } } }), { type: 'text', text: '1' }],
    ['template quick reply', msg('button', { button: { payload: 'STOP_PROMO', text: 'Stop promotions' } }), { type: 'text', text: 'Stop promotions' }],
    ['image with caption', msg('image', { image: { caption: 'my receipt notice', mime_type: 'image/jpeg', id: '1' } }), { type: 'image', text: 'my receipt notice' }],
    ['image without caption', msg('image', { image: { mime_type: 'image/jpeg', id: '1' } }), { type: 'image', text: '' }],
    ['video', msg('video', { video: { caption: 'look', id: '1' } }), { type: 'video', text: 'look' }],
    ['document', msg('document', { document: { caption: 'I-797', filename: 'a.pdf', id: '1' } }), { type: 'document', text: 'I-797' }],
    ['voice note', msg('audio', { audio: { id: '1', voice: true } }), { type: 'voice', text: '' }],
    ['audio file', msg('audio', { audio: { id: '1', voice: false } }), { type: 'voice', text: '' }],
    ['sticker', msg('sticker', { sticker: { id: '1', animated: false } }), { type: 'sticker', text: '' }],
    ['location', msg('location', { location: { latitude: 1, longitude: 2 } }), { type: 'location', text: '' }],
    ['contacts', msg('contacts', { contacts: [{ name: { formatted_name: 'X' } }] }), { type: 'contact', text: '' }],
    ['unsupported', msg('unsupported', { errors: [{ code: 131051 }] }), { type: 'other', text: '' }],
  ])('maps %s', (_what, message, expected) => {
    expect(toInboundMessage(message, contacts, at)).toEqual({ id: 'wamid.X', chat: CLIENT, name: 'Sheena Nelson', receivedAt: at, ...expected });
  });

  it.each([
    ['a reaction', msg('reaction', { reaction: { message_id: 'wamid.Y', emoji: '👍' } })],
    ['a system notice', msg('system', { system: { body: 'changed number', type: 'user_changed_number' } })],
    ['no sender', { id: 'wamid.X', type: 'text', text: { body: 'hi' } }],
    ['no id', { from: CLIENT, type: 'text', text: { body: 'hi' } }],
    ['not an object', 'hello'],
  ])('ignores %s', (_what, message) => {
    expect(toInboundMessage(message, contacts, at)).toBeUndefined();
  });

  it('leaves the name out when Meta sent none', () => {
    expect(toInboundMessage(msg('text', { text: { body: 'hi' } }), undefined, at)).not.toHaveProperty('name');
  });
});

describe('splitting long texts', () => {
  it('keeps short texts whole and drops nothing', () => {
    expect(splitText('hello')).toEqual(['hello']);
    expect(splitText('   ')).toEqual([]);
  });

  it('falls back to lines, then words, then a hard cut that never splits an emoji', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const byLines = splitText(lines, 200);
    expect(byLines.every((p) => p.length <= 200 && p.startsWith('line '))).toBe(true);
    expect(byLines.join('\n')).toBe(lines);
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const byWords = splitText(words, 50);
    expect(byWords.every((p) => p.length <= 50)).toBe(true);
    expect(byWords.join(' ')).toBe(words);
    const emoji = '😀'.repeat(10);
    const cut = splitText(emoji, 5);
    expect(cut.every((p) => p.length <= 5 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
    expect(cut.join('')).toBe(emoji);
  });
});

describe('settings', () => {
  it('names every missing variable', () => {
    const problems = cloudApiProblems({ baseUrl: 'https://graph.facebook.com/v21.0' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['CLOUD_API_TOKEN', 'CLOUD_API_PHONE_NUMBER_ID', 'CLOUD_API_APP_SECRET', 'CLOUD_API_VERIFY_TOKEN']);
  });

  it('accepts complete settings and refuses a phone number where the ID belongs and a bad URL', () => {
    const good = { token: 't', phoneNumberId: PHONE_ID, appSecret: 's', verifyToken: 'v', baseUrl: 'https://graph.facebook.com/v21.0' };
    expect(cloudApiProblems(good)).toEqual([]);
    expect(cloudApiProblems({ ...good, phoneNumberId: '+1 555 078 3881' })[0]).toMatch(/^CLOUD_API_PHONE_NUMBER_ID/);
    expect(cloudApiProblems({ ...good, baseUrl: 'graph.facebook.com' })[0]).toMatch(/^CLOUD_API_BASE_URL/);
  });

  it('reports the channel down with the first problem when settings are incomplete', () => {
    const incomplete = createCloudApiChannel({
      settings: { token: '', phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
      onMessage: async () => undefined, log: memoryLog().log,
    });
    expect(incomplete.status()).toMatchObject({ state: 'down', detail: expect.stringMatching(/^CLOUD_API_TOKEN/) });
    expect(channel.status()).toEqual({ name: 'cloud-api', state: 'connected' });
  });
});
