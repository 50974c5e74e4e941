/**
 * The Cloud API channel end to end on loopback: Meta's signed webhooks into the real HTTP app, a whole Puente core from
 * `harness()` (createCore on a SQLite file, fake clock) wired to the channel as `startPuente` wires it (the webhook
 * stores messages with `runner.accept` before answering 200, then `runner.drain` handles them), and replies out
 * through the outbox sender to a fake Graph API on loopback that answers like Meta. The same fake keeps clients' files
 * as Meta does (their URL at `GET /{media-id}`, their bytes at that URL, both behind the bearer token).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cloudApiProblems, createCloudApiChannel, splitText, toInboundMessage, type CloudApiChannel, type DeliveryStatus,
} from '../../src/channels/cloud-api/cloud-api';
import type { InboundMessage } from '../../src/dialogue/types';
import { STRINGS } from '../../src/dialogue/strings';
import { createHttpApp, startHttp, type RunningHttp } from '../../src/http/server';
import { messageRef } from '../../src/log';
import { openDatabase } from '../../src/storage/sqlite/database';
import { SqliteStore } from '../../src/storage/sqlite/store';
import type { InboxWork } from '../../src/store';
import { harness, memoryLog, tempDir, until, type Harness } from '../helpers';
import { fakeGraph, sign as signWith, textWebhook, wamid, type Graph, type GraphRequest } from '../support/meta';

/** Signs a body exactly as Meta does, with this test's app secret (or another). */
const sign = (body: string | Buffer, secret = APP_SECRET) => signWith(body, secret);

const PHONE_ID = '106540352242922';
const TOKEN = 'EAAG-test-token-not-real';
const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'puente-verify-me';
const CLIENT = '16505551234';
const VOICE_CLIENT = '13055550187';
/** The ids Meta gave the messages of the fixtures (a wamid base64-encodes the sender's number). */
const TEXT_ID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
const LIST_REPLY_ID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQkY0NTM4RDhGQjE5MDlGNkMxMQA=';
const VOICE_ID = 'wamid.HBgLMTMwNTU1NTAxODcVAgASGBQzQUQ1QjFBQjg5RjA0MkE0Nzg0RQA=';
const STATUS_IDS = ['wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA', 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA'];
const SECOND = 1_000;
/** The media ids and file names in the fixtures. */
const VOICE_MEDIA = '1003383421387256';
const IMAGE_MEDIA = '1248817736529120';
const DOCUMENT_MEDIA = '2094532671108839';
const IMAGE_ID = 'wamid.HBgLMTMwNTU1NTAxODcVAgASGBQzQUI3RjJDMDVBQTU1MEJFQjZGNwA=';
const DOCUMENT_ID = 'wamid.HBgLMTMwNTU1NTAxODcVAgASGBQzQTlEMUU2QjJCNzg4QjI2NTM2QgA=';
const CAPTION = 'esta es la carta que me llegó';
const FILENAME = 'I-797 receipt notice.pdf';
/** MEDIA_MAX_MB in these tests: 64 KB. */
const MAX_BYTES = 64 * 1024;
/** Files as a phone makes them (their first bytes), the rest random. */
const VOICE = Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), randomBytes(9_000)]);
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(30_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);

function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'cloud-api', `${name}.json`), 'utf8');
}

const graphError = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `(#${code}) error`, type: 'OAuthException', code, fbtrace_id: 'AbCdEfGh123', ...extra },
});

/** The SQLite store, with `accept` that can be made to fail, as a database that cannot write does. */
class FlakyStore extends SqliteStore {
  acceptFailures = 0;
  override accept(work: readonly InboxWork[], at: Date): Promise<{ chats: string[]; duplicates: number }> {
    if (this.acceptFailures > 0) {
      this.acceptFailures--;
      return Promise.reject(new Error('SQLITE_BUSY: database is locked'));
    }
    return super.accept(work, at);
  }
}

let graph: Graph;
let http: RunningHttp;
let channel: CloudApiChannel;
let h: Harness;
let store: FlakyStore;
let tmp: ReturnType<typeof tempDir>;
/** The channel's own log, at debug level (everything it could ever write). */
let channelLog: string[];
/** Messages the channel handed to the core (stored or not). */
let handedOver: InboundMessage[];
let statuses: DeliveryStatus[];

beforeEach(async () => {
  graph = await fakeGraph({ token: TOKEN });
  tmp = tempDir();
  store = new FlakyStore(openDatabase(join(tmp.dir, 'puente.db')));
  // The core sends through the channel, the channel hands messages to the core (as in main.ts).
  h = await harness({ store, outbound: { send: (chat, text) => channel.outbound.send(chat, text) } });
  const { log, lines } = memoryLog('debug');
  channelLog = lines;
  handedOver = [];
  statuses = [];
  channel = createCloudApiChannel({
    settings: { token: TOKEN, phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
    accept: (messages) => {
      handedOver.push(...messages);
      return h.runner.accept(messages.map((message) => ({ kind: 'message', message })));
    },
    process: (chats) => Promise.all(chats.map((chat) => h.runner.drain(chat))),
    onStatus: (s) => statuses.push(s),
    log,
    clock: h.clock,
    retryDelaysMs: [5, 10],
    mediaMaxBytes: MAX_BYTES,
    mediaRetryDelaysMs: [5, 10],
  });
  const app = createHttpApp({ log: h.log, databaseOk: () => h.store.ping(), backend: h.store.backend, channel: () => channel.status(), routers: [channel.router] });
  http = await startHttp(app, 0, '127.0.0.1');
});

afterEach(async () => {
  await channel.idle();
  await http.stop();
  await h.close();
  await graph.close();
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
/** What Puente answered a chat, as recorded in its transcript, in order. */
const botReplies = async (chat: string) => (await h.store.transcript(chat)).filter((t) => t.author === 'bot').map((t) => t.text);
/** Every log line of the process: the core's and the channel's. */
const allLogs = () => [...h.logLines, ...channelLog].join('\n');
const inSeconds = (seconds: number) => new Date(h.clock.now().getTime() + seconds * SECOND);

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

/** The list_reply fixture, choosing row `id` of a list ("4 Talk to a person" in the menu under an explainer). */
function listReply(id: string, title: string): string {
  const payload = JSON.parse(fixture('list-reply'));
  payload.entry[0].changes[0].value.messages[0].interactive.list_reply = { id, title };
  return JSON.stringify(payload);
}

/** How Puente's answer to "what is a writ of mandamus" begins (responses/en/mandamus.md). */
const MANDAMUS = '*Writ of mandamus: suing over a delayed case*\n\nIf USCIS or another federal agency has left your case waiting far too long';
/** Puente's answer to "talk to a person" (responses/en/human.md). */
const PERSON = 'Of course. 🙋 A member of our team will reply in this chat as soon as possible.';

describe('a client writes', () => {
  it('answers a signed text webhook with exactly one correctly shaped Graph send carrying the Puente reply', async () => {
    expect(await deliver(fixture('text'))).toBe(200);
    expect(graph.requests).toHaveLength(1);
    const [request] = graph.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    const transcript = await h.store.transcript(CLIENT);
    expect(transcript.map((t) => [t.direction, t.author])).toEqual([['in', 'client'], ['out', 'bot']]);
    expect(transcript[0].text).toBe('what is a writ of mandamus');
    expect(transcript[0].intent).toBe('mandamus');
    expect(request.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CLIENT, type: 'text', text: { body: transcript[1].text, preview_url: false } });
    expect(request.body.text.body.startsWith(MANDAMUS)).toBe(true);
    expect(request.body.text.body).toContain('*4* Talk to a person');
    expect(await h.store.nextOutboxAt()).toBeUndefined(); // nothing left to send
    expect(handedOver).toEqual([{ id: TEXT_ID, chat: CLIENT, type: 'text', text: 'what is a writ of mandamus', name: 'Sheena Nelson', receivedAt: h.clock.now() }]);
  });

  it('answers a webhook delivered twice only once', async () => {
    const body = fixture('text');
    expect(await deliver(body)).toBe(200);
    expect(await deliver(body)).toBe(200);
    expect(graph.requests).toHaveLength(1);
    expect((await h.store.transcript(CLIENT)).filter((t) => t.direction === 'in').map((t) => t.text)).toEqual(['what is a writ of mandamus']);
  });

  it('answers concurrent redeliveries once, and a message repeated inside one payload is handed over once', async () => {
    const payload = JSON.parse(fixture('text'));
    const messages = payload.entry[0].changes[0].value.messages;
    messages.push({ ...messages[0] });
    const body = JSON.stringify(payload);
    const statusesOf = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    expect(statusesOf).toEqual([200, 200, 200]);
    await channel.idle();
    await h.runner.idle();
    expect(graph.requests).toHaveLength(1);
    expect(handedOver.map((m) => m.id)).toEqual([TEXT_ID, TEXT_ID, TEXT_ID]); // one per delivery, none for the in-payload repeat
    expect((await h.store.transcript(CLIENT)).map((t) => t.direction)).toEqual(['in', 'out']);
  });

  it('maps a list_reply to the number it stands for, as if the client typed it', async () => {
    await deliver(fixture('text'));
    expect(graph.requests[0].body.text.body).toMatch(/^\*4\* Talk to a person$/m);
    await deliver(listReply('4', 'Talk to a person'));
    const inbound = (await h.store.transcript(CLIENT)).filter((t) => t.direction === 'in');
    expect(inbound.map((t) => t.text)).toEqual(['what is a writ of mandamus', '4']);
    expect(handedOver[1]).toEqual({ id: LIST_REPLY_ID, chat: CLIENT, type: 'text', text: '4', name: 'Sheena Nelson', receivedAt: h.clock.now() });
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[1].body.text.body.startsWith(PERSON)).toBe(true);
    expect((await h.store.openHandoffs()).map((x) => [x.chat, x.kind])).toEqual([[CLIENT, 'human']]);
  });

  it('asks a voice-note sender to type', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg; codecs=opus', data: VOICE });
    await deliver(fixture('audio'));
    expect(handedOver).toEqual([{
      id: VOICE_ID, chat: VOICE_CLIENT, type: 'voice', text: '', name: 'Pablo Morales', receivedAt: h.clock.now(),
      mediaId: VOICE_MEDIA, mimeType: 'audio/ogg', attachment: { mimeType: 'audio/ogg', data: VOICE },
    }]);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0].body.to).toBe(VOICE_CLIENT);
    // A first message in no known language: both languages.
    expect(graph.requests[0].body.text.body.startsWith(`${STRINGS.es.pleaseType}\n${STRINGS.en.pleaseType}`)).toBe(true);
  });

  it('passes status updates to onStatus and never answers them', async () => {
    expect(await deliver(fixture('statuses'))).toBe(200);
    expect(graph.requests).toHaveLength(0);
    expect(handedOver).toHaveLength(0);
    expect(statuses).toEqual([
      { messageId: STATUS_IDS[0], status: 'delivered', recipient: CLIENT, at: new Date(1749416390 * 1000) },
      { messageId: STATUS_IDS[1], status: 'failed', recipient: CLIENT, at: new Date(1749416395 * 1000), errorCode: 131047 },
    ]);
    const notDelivered = channelLog.map((l) => JSON.parse(l)).find((l) => l.msg === 'cloud api message not delivered');
    expect(notDelivered).toMatchObject({ message: messageRef(STATUS_IDS[1]), status: 'failed', chat: '…1234', errorCode: 131047 });
  });

  it('ignores messages addressed to another business number of the same account', async () => {
    const payload = JSON.parse(fixture('text'));
    payload.entry[0].changes[0].value.metadata.phone_number_id = '999999999999999';
    expect(await deliver(JSON.stringify(payload))).toBe(200);
    expect(handedOver).toHaveLength(0);
    expect(graph.requests).toHaveLength(0);
  });
});

describe('a webhook is answered 200 only once its messages are stored', () => {
  it('answers 503 when the messages cannot be stored, answers nothing, and answers once when Meta delivers it again', async () => {
    store.acceptFailures = 1;
    const body = fixture('text');
    expect(await deliver(body)).toBe(503);
    expect(graph.requests).toHaveLength(0);
    expect(await h.store.transcript(CLIENT)).toEqual([]);
    expect(await h.store.chatsWithWork(h.clock.now(), 10)).toEqual([]);
    expect(channelLog.join('\n')).toContain('cloud api webhook not stored; Meta will deliver it again');
    // Meta delivers a webhook again after an error; this time the database takes it.
    h.clock.advance(30 * SECOND);
    expect(await deliver(body)).toBe(200);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0].body.text.body.startsWith(MANDAMUS)).toBe(true);
    // And once more (Meta may send a webhook twice even after a 200): still answered once.
    expect(await deliver(body)).toBe(200);
    expect(graph.requests).toHaveLength(1);
    expect((await h.store.transcript(CLIENT)).map((t) => t.direction)).toEqual(['in', 'out']);
  });

  it('answers 200 only after the messages are committed', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const accept = store.accept.bind(store);
    let committed = false;
    store.accept = async (work, at) => {
      await held;
      const result = await accept(work, at);
      committed = true;
      return result;
    };
    const body = fixture('text');
    let committedWhenAnswered: boolean | undefined;
    const answered = fetch(`${base()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body })
      .then(async (res) => {
        committedWhenAnswered = committed;
        await res.arrayBuffer();
        return res.status;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(committedWhenAnswered).toBeUndefined(); // Meta is still waiting while the database has not stored the message
    release();
    expect(await answered).toBe(200);
    expect(committedWhenAnswered).toBe(true);
    await channel.idle();
    expect(graph.requests).toHaveLength(1);
  });
});

/** A fixture with its message's file changed (type, name…). */
function withFile(name: string, type: string, fields: Record<string, unknown>): string {
  const payload = JSON.parse(fixture(name));
  Object.assign(payload.entry[0].changes[0].value.messages[0][type], fields);
  return JSON.stringify(payload);
}

/** The channel's log lines with this message. */
const logged = (msg: string) => channelLog.map((l) => JSON.parse(l)).filter((l) => l.msg === msg);

describe('what the client sent', () => {
  it('a voice note arrives with the bytes Meta served, fetched with the token from its media id, then from its URL', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg; codecs=opus', data: VOICE });
    expect(await deliver(fixture('audio'))).toBe(200);
    const [voice] = handedOver;
    expect(voice).toMatchObject({ id: VOICE_ID, type: 'voice', mediaId: VOICE_MEDIA, mimeType: 'audio/ogg' });
    expect(voice.attachment?.mimeType).toBe('audio/ogg');
    expect(voice.attachment?.data.equals(VOICE)).toBe(true);
    expect(voice.attachment).not.toHaveProperty('filename');
    // As Meta documents it: GET {base}/{media-id} with the token, then GET {url} with the token.
    expect(graph.mediaRequests.map((r) => [r.kind, r.authorization, r.status])).toEqual([
      ['media-url', `Bearer ${TOKEN}`, 200],
      ['file', `Bearer ${TOKEN}`, 200],
    ]);
    expect(graph.mediaRequests[0].path).toBe(`/v21.0/${VOICE_MEDIA}`);
    expect(graph.mediaRequests[1].path.startsWith(`/whatsapp_business/attachments/?mid=${VOICE_MEDIA}&ext=`)).toBe(true);
    // The client is still asked to type, once.
    expect(graph.delivered()).toHaveLength(1);
    expect(graph.delivered()[0].text.startsWith(`${STRINGS.es.pleaseType}\n${STRINGS.en.pleaseType}`)).toBe(true);
  });

  it('a photo arrives with its caption as the text and its bytes; a document with its file name', async () => {
    graph.media.set(IMAGE_MEDIA, { mimeType: 'image/jpeg', data: PHOTO });
    graph.media.set(DOCUMENT_MEDIA, { mimeType: 'application/pdf', data: PDF, fileSize: PDF.length });
    expect(await deliver(fixture('image'))).toBe(200);
    expect(await deliver(fixture('document'))).toBe(200);
    expect(handedOver.map((m) => [m.id, m.type, m.text, m.mediaId, m.mimeType])).toEqual([
      [IMAGE_ID, 'image', CAPTION, IMAGE_MEDIA, 'image/jpeg'],
      [DOCUMENT_ID, 'document', 'I-797', DOCUMENT_MEDIA, 'application/pdf'],
    ]);
    expect(handedOver[0].attachment).toEqual({ mimeType: 'image/jpeg', data: PHOTO });
    expect(handedOver[1].attachment).toEqual({ mimeType: 'application/pdf', data: PDF, filename: FILENAME });
    const inbound = (await h.store.transcript(VOICE_CLIENT)).filter((t) => t.direction === 'in');
    expect(inbound.map((t) => t.text)).toEqual([CAPTION, 'I-797']);
    expect(graph.delivered()).toHaveLength(2); // each was answered
  });

  it('a file of a type not allowed is never downloaded, and the message is still handled', async () => {
    graph.media.set(DOCUMENT_MEDIA, { mimeType: 'application/x-msdownload', data: Buffer.from('MZ\x90\x00') });
    expect(await deliver(withFile('document', 'document', { mime_type: 'application/x-msdownload', filename: 'setup.exe' }))).toBe(200);
    expect(graph.mediaRequests).toEqual([]); // refused from the webhook's type: nothing asked of Meta
    expect(handedOver).toHaveLength(1);
    expect(handedOver[0]).toMatchObject({ id: DOCUMENT_ID, type: 'document', mediaId: DOCUMENT_MEDIA, mimeType: 'application/x-msdownload' });
    expect(handedOver[0]).not.toHaveProperty('attachment');
    expect(graph.delivered()).toHaveLength(1);
    expect(logged('cloud api media not kept')).toMatchObject([{ reason: 'type-not-allowed', type: 'application/x-msdownload' }]);
  });

  it('Meta\'s type counts over the webhook\'s: a file Meta says is not allowed is not downloaded', async () => {
    graph.media.set(IMAGE_MEDIA, { mimeType: 'image/svg+xml', data: Buffer.from('<svg onload="alert(1)"/>') });
    expect(await deliver(fixture('image'))).toBe(200);
    expect(graph.mediaRequests.map((r) => r.kind)).toEqual(['media-url']);
    expect(handedOver[0]).toMatchObject({ id: IMAGE_ID, text: CAPTION });
    expect(handedOver[0]).not.toHaveProperty('attachment');
    expect(graph.delivered()).toHaveLength(1);
  });

  it('a file over MEDIA_MAX_MB is refused from Meta\'s file_size, before downloading, and the message is still handled', async () => {
    const big = Buffer.concat([PHOTO, randomBytes(MAX_BYTES)]);
    graph.media.set(IMAGE_MEDIA, { mimeType: 'image/jpeg', data: big });
    expect(await deliver(fixture('image'))).toBe(200);
    expect(graph.mediaRequests.map((r) => r.kind)).toEqual(['media-url']);
    expect(handedOver[0]).toMatchObject({ id: IMAGE_ID, mediaId: IMAGE_MEDIA, mimeType: 'image/jpeg', text: CAPTION });
    expect(handedOver[0]).not.toHaveProperty('attachment');
    expect(graph.delivered()).toHaveLength(1);
    expect(logged('cloud api media not kept')).toMatchObject([{ reason: 'too-large', bytes: big.length, maxBytes: MAX_BYTES }]);
  });

  it('stops reading a download that runs past the limit when Meta gave no size', async () => {
    const big = Buffer.concat([PHOTO, randomBytes(1_000_000)]);
    graph.media.set(IMAGE_MEDIA, { mimeType: 'image/jpeg', data: big, fileSize: null, trickle: { chunk: 16 * 1024, pauseMs: 2 } });
    expect(await deliver(fixture('image'))).toBe(200);
    expect(handedOver[0]).not.toHaveProperty('attachment');
    const file = graph.mediaRequests.find((r) => r.kind === 'file')!;
    await until(() => file.aborted === true, 2_000, 'the download cut off');
    expect(logged('cloud api media not kept')).toMatchObject([{ reason: 'too-large', cutOff: true }]);
    expect(graph.delivered()).toHaveLength(1);
  });

  it('retries a 5xx of the media URL and of the download, then attaches the file', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE });
    graph.failMedia('media-url', { status: 500, body: graphError(2) });
    graph.failMedia('file', { status: 503, body: {} });
    expect(await deliver(fixture('audio'))).toBe(200);
    expect(graph.mediaRequests.map((r) => [r.kind, r.status])).toEqual([
      ['media-url', 500], ['media-url', 200], ['file', 503], ['media-url', 200], ['file', 200],
    ]);
    expect(handedOver[0].attachment?.data.equals(VOICE)).toBe(true);
  });

  it('a download that keeps failing still hands the message over without the file, and Meta gets its 200', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE });
    graph.failMedia('file', ...[1, 2, 3].map(() => ({ status: 500, body: {} })));
    expect(await deliver(fixture('audio'))).toBe(200);
    expect(graph.mediaRequests.filter((r) => r.kind === 'file').map((r) => r.status)).toEqual([500, 500, 500]);
    expect(handedOver).toHaveLength(1);
    expect(handedOver[0]).toMatchObject({ id: VOICE_ID, type: 'voice', mediaId: VOICE_MEDIA });
    expect(handedOver[0]).not.toHaveProperty('attachment');
    expect(graph.delivered()).toHaveLength(1); // asked to type, as without media
    expect(logged('cloud api media not kept')).toMatchObject([{ reason: 'unavailable', attempt: 3, step: 'file', httpStatus: 500 }]);
  });

  it('a media id Meta does not know is given up at once', async () => {
    expect(await deliver(fixture('audio'))).toBe(200);
    expect(graph.mediaRequests.map((r) => [r.kind, r.status])).toEqual([['media-url', 400]]);
    expect(handedOver[0]).not.toHaveProperty('attachment');
    expect(logged('cloud api media not kept')).toMatchObject([{ reason: 'unavailable', code: 100, httpStatus: 400 }]);
    expect(graph.delivered()).toHaveLength(1);
  });

  it('a slow media server does not keep Meta waiting: the webhook is acknowledged without the file at the deadline', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE, delayMs: 2_000 });
    const { log, lines } = memoryLog('debug');
    const hurried = await ownChannel({ mediaDeadlineMs: 300, log });
    try {
      const started = Date.now();
      expect(await hurried.post(fixture('audio'))).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(handedOver).toHaveLength(1);
      expect(handedOver[0]).toMatchObject({ id: VOICE_ID, mediaId: VOICE_MEDIA });
      expect(handedOver[0]).not.toHaveProperty('attachment');
      expect(lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'cloud api media not kept')).toMatchObject([{ reason: 'timeout' }]);
    } finally {
      await hurried.stop();
    }
  });

  it('a text sent right after a voice note is stored after it, although the voice note was still downloading', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE, delayMs: 150 });
    const textId = wamid(VOICE_CLIENT);
    const voice = deliver(fixture('audio'));
    await until(() => graph.mediaRequests.length === 1, 2_000, 'the download started');
    const text = deliver(textWebhook(PHONE_ID, [{ from: VOICE_CLIENT, id: textId, text: 'what is a writ of mandamus', name: 'Pablo Morales' }]));
    expect(await Promise.all([voice, text])).toEqual([200, 200]);
    await h.runner.idle();
    expect(handedOver.map((m) => m.id)).toEqual([VOICE_ID, textId]);
    expect(handedOver[0].attachment?.data.equals(VOICE)).toBe(true);
    const inbound = (await h.store.transcript(VOICE_CLIENT)).filter((t) => t.direction === 'in');
    expect(inbound.map((t) => t.text)).toEqual(['', 'what is a writ of mandamus']);
  });

  it('a token Meta rejects (190) gets no file, reports the channel down, and the message is still handed over', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE });
    const wrong = await ownChannel({ token: 'EAAG-wrong-token' });
    try {
      expect(await wrong.post(fixture('audio'))).toBe(200);
      expect(graph.mediaRequests.map((r) => [r.kind, r.status])).toEqual([['media-url', 401]]);
      expect(handedOver).toHaveLength(1);
      expect(handedOver[0]).not.toHaveProperty('attachment');
      expect(wrong.channel.status()).toEqual({ name: 'cloud-api', state: 'down', detail: 'the Graph API rejected the access token (error 190); check CLOUD_API_TOKEN' });
    } finally {
      await wrong.stop();
    }
  });

  it('never sends the token over plain http when the Graph API is https', async () => {
    const calls: { url: string; authorization: string | null }[] = [];
    const stub: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify({ messaging_product: 'whatsapp', url: 'http://lookaside.example/whatsapp_business/attachments/?mid=1', mime_type: 'audio/ogg', file_size: 10, id: VOICE_MEDIA }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const https = await ownChannel({ baseUrl: 'https://graph.facebook.com/v21.0', fetch: stub });
    try {
      expect(await https.post(fixture('audio'))).toBe(200);
      expect(calls).toEqual([{ url: `https://graph.facebook.com/v21.0/${VOICE_MEDIA}`, authorization: `Bearer ${TOKEN}` }]);
      expect(handedOver).toHaveLength(1);
      expect(handedOver[0]).not.toHaveProperty('attachment');
    } finally {
      await https.stop();
    }
  });
});

/**
 * A second channel with other settings on its own HTTP server, handing messages over to `handedOver` only (nothing is
 * stored or answered).
 */
async function ownChannel(options: { token?: string; baseUrl?: string; fetch?: typeof fetch; mediaDeadlineMs?: number; log?: ReturnType<typeof memoryLog>['log'] }) {
  const own = createCloudApiChannel({
    settings: { token: options.token ?? TOKEN, phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: options.baseUrl ?? graph.url },
    accept: async (messages) => {
      handedOver.push(...messages);
      return { chats: [] };
    },
    process: () => undefined,
    log: options.log ?? memoryLog().log,
    fetch: options.fetch,
    mediaMaxBytes: MAX_BYTES,
    mediaRetryDelaysMs: [],
    mediaDeadlineMs: options.mediaDeadlineMs,
  });
  const app = createHttpApp({ log: h.log, databaseOk: async () => true, backend: 'sqlite', channel: () => own.status(), routers: [own.router] });
  const server = await startHttp(app, 0, '127.0.0.1');
  return {
    channel: own,
    post: async (body: string) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body });
      await res.arrayBuffer();
      return res.status;
    },
    stop: async () => {
      await own.idle();
      await server.stop();
    },
  };
}

describe('refused webhooks change nothing', () => {
  it.each([
    ['a wrong signature', sign(fixture('text'), 'another-secret')],
    ['a missing signature', null],
    ['a malformed signature', 'sha256=abc'],
    ['a signature of another body', sign('{}')],
  ])('refuses %s with 401', async (_what, signature) => {
    expect(await deliver(fixture('text'), signature)).toBe(401);
    expect(graph.requests).toHaveLength(0);
    expect(handedOver).toHaveLength(0);
    expect(await h.store.transcript(CLIENT)).toEqual([]);
  });

  it('answers garbage with a good signature 400 and stays up', async () => {
    const garbage = Buffer.alloc(100_000, 0xff);
    expect(await deliver(garbage)).toBe(400);
    expect(await deliver('{"object": "whatsapp_business_account", "entry": [')).toBe(400);
    expect(handedOver).toHaveLength(0);
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
    expect(await deliver(fixture('text'))).toBe(200);
    expect(graph.requests).toHaveLength(1);
  });

  it('refuses a body over 1 MB with 413 before reading it as JSON, and stays up', async () => {
    const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(1_100_000) });
    expect(await deliver(huge)).toBe(413);
    expect(handedOver).toHaveLength(0);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  it('accepts well-formed JSON that is not a messages webhook with 200 and does nothing', async () => {
    expect(await deliver(JSON.stringify({ object: 'page', entry: [{ changes: [{ field: 'feed', value: {} }] }] }))).toBe(200);
    expect(await deliver('[]')).toBe(200);
    expect(handedOver).toHaveLength(0);
    expect(graph.requests).toHaveLength(0);
  });
});

describe('sending', () => {
  it('retries a Graph 500 and then sends once', async () => {
    graph.failNext({ status: 500, body: graphError(2) });
    await deliver(fixture('text'));
    expect(graph.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(graph.requests[1].body).toEqual(graph.requests[0].body);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it.each([
    ['pair rate limit', 400, 131056],
    ['throughput limit', 429, 130429],
    ['business account rate limit', 400, 80007],
    ['application rate limit', 400, 4],
  ])('retries a %s', async (_what, status, code) => {
    graph.failNext({ status, body: graphError(code) });
    await deliver(fixture('text'));
    expect(graph.requests.map((r) => r.status)).toEqual([status, 200]);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it('does not retry a 400 at once, logs its codes, and the outbox sends the reply at its next attempt', async () => {
    graph.failNext({ status: 400, body: graphError(131026, { error_subcode: 2494010 }) });
    await deliver(fixture('text'));
    expect(graph.requests).toHaveLength(1);
    const failure = channelLog.map((l) => JSON.parse(l)).find((l) => l.msg === 'cloud api send failed; giving up');
    expect(failure).toMatchObject({ code: 131026, subcode: 2494010, fbtraceId: 'AbCdEfGh123', httpStatus: 400, chat: '…1234' });
    expect(channel.status().state).toBe('connected');
    // The reply waits in the outbox for the sender's back-off (5 s in these tests), then goes out once.
    const [reply] = await botReplies(CLIENT);
    expect(reply.startsWith(MANDAMUS)).toBe(true);
    expect(await h.store.nextOutboxAt()).toEqual(inSeconds(5));
    h.clock.advance(5 * SECOND);
    expect(await h.core.sender.flush()).toBe(1);
    expect(graph.delivered()).toEqual([{ to: CLIENT, text: reply }]);
    expect(await h.store.nextOutboxAt()).toBeUndefined();
  });

  it('gives up after the last retry and rejects so the outbox keeps the reply', async () => {
    graph.failNext(...[1, 2, 3].map(() => ({ status: 503, body: {} })));
    await expect(channel.outbound.send(CLIENT, 'hello')).rejects.toThrow(/HTTP 503/);
    expect(graph.requests).toHaveLength(3);
  });

  it('while the Graph API is down, a reply is retried with back-off, goes out once when it is back, and the chat\'s replies stay in order', async () => {
    graph.state.down = { status: 503, body: graphError(2) };
    // Meta gets its 200 as soon as the message is stored, whatever happens to the reply.
    expect(await deliver(fixture('text'))).toBe(200);
    expect(graph.requests).toHaveLength(3); // the channel's own attempts (1 + 2 retries), then the send is given back
    expect(graph.delivered()).toEqual([]);
    expect(await h.store.nextOutboxAt()).toEqual(inSeconds(5));
    // Not due yet: nothing is tried.
    expect(await h.core.sender.flush()).toBe(0);
    expect(graph.requests).toHaveLength(3);
    // Due, still down: tried again, and the next pause is longer.
    h.clock.advance(5 * SECOND);
    expect(await h.core.sender.flush()).toBe(0);
    expect(graph.requests).toHaveLength(6);
    expect(await h.store.nextOutboxAt()).toEqual(inSeconds(60));
    // The client writes again meanwhile: that answer waits behind the reply that failed; nothing goes out of order.
    h.clock.advance(20 * SECOND);
    expect(await deliver(listReply('4', 'Talk to a person'))).toBe(200);
    expect(graph.requests).toHaveLength(6);
    const replies = await botReplies(CLIENT);
    expect(replies).toHaveLength(2);
    expect(replies[0].startsWith(MANDAMUS)).toBe(true);
    expect(replies[1].startsWith(PERSON)).toBe(true);
    // Meta is back; at the next attempt both go out, once each, the older first.
    graph.state.down = undefined;
    h.clock.advance(40 * SECOND);
    expect(await h.core.sender.flush()).toBe(2);
    expect(graph.delivered()).toEqual(replies.map((text) => ({ to: CLIENT, text })));
    expect(await h.store.nextOutboxAt()).toBeUndefined();
    h.clock.advance(3_600 * SECOND);
    expect(await h.core.sender.flush()).toBe(0);
    expect(graph.delivered()).toHaveLength(2);
    const retries = h.logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'send failed; will retry');
    expect(retries.map((l) => [l.attempts, l.chat])).toEqual([[1, '…1234'], [2, '…1234']]);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (calls++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNRESET' }) });
      return fetch(input, init);
    };
    const own = createCloudApiChannel({
      settings: { token: TOKEN, phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
      accept: async () => ({ chats: [] }), process: () => undefined, log: memoryLog().log, fetch: flaky, retryDelaysMs: [5], mediaMaxBytes: MAX_BYTES,
    });
    await own.outbound.send(CLIENT, 'hello');
    expect(calls).toBe(2);
    expect(graph.delivered()).toEqual([{ to: CLIENT, text: 'hello' }]);
  });

  it('reports the channel down after the token is rejected (190) and up again after a send succeeds', async () => {
    graph.failNext({ status: 401, body: graphError(190, { error_subcode: 463 }) });
    await expect(channel.outbound.send(CLIENT, 'hello')).rejects.toThrow(/190/);
    expect(channel.status()).toEqual({
      name: 'cloud-api', state: 'down', detail: 'the Graph API rejected the access token (error 190); check CLOUD_API_TOKEN',
    });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', database: 'ok', backend: 'sqlite', channel: channel.status() });
    await channel.outbound.send(CLIENT, 'hello again');
    expect(channel.status()).toEqual({ name: 'cloud-api', state: 'connected' });
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
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
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE });
    graph.failNext({ status: 400, body: graphError(131026) });
    await deliver(fixture('text'));
    await deliver(fixture('audio'));
    await deliver(fixture('statuses'));
    await deliver(fixture('text'), sign('tampered'));
    const all = allLogs();
    expect(all.length).toBeGreaterThan(0);
    for (const secret of ['writ of mandamus', 'Sheena', 'Nelson', 'Pablo', CLIENT, VOICE_CLIENT, TOKEN, APP_SECRET]) expect(all).not.toContain(secret);
  });

  it('logs no raw WhatsApp message id (it encodes the number) and no full phone number, even at debug level', async () => {
    graph.failNext({ status: 503, body: graphError(2) }, { status: 400, body: graphError(131026) });
    await deliver(fixture('text'));
    await deliver(fixture('text')); // redelivered
    await deliver(fixture('audio'));
    await deliver(fixture('statuses'));
    h.clock.advance(5 * SECOND);
    await h.core.sender.flush(); // the reply that failed goes out now; Meta answers with the new message's id
    await channel.notifier.notify('15550001111', 'New handoff');
    expect(graph.delivered().map((d) => d.to)).toEqual([VOICE_CLIENT, CLIENT, '15550001111']);
    const all = allLogs();
    expect(channelLog.some((l) => l.includes('"level":20'))).toBe(true); // debug lines were written
    expect(all).not.toMatch(/wamid/i);
    expect(all).not.toContain('HBgL'); // the base64 of an id, without its prefix
    for (const number of [CLIENT, VOICE_CLIENT, '15550001111', CLIENT.slice(1), VOICE_CLIENT.slice(1)]) expect(all).not.toContain(number);
    // A message can still be followed across lines by its reference.
    expect(all).toContain(messageRef(TEXT_ID));
    expect(all).toContain(messageRef(STATUS_IDS[1]));
  });
});

describe('privacy of what the client sent', () => {
  it('logs neither the token nor the file URL, media ids, captions, file names or numbers, even at debug level', async () => {
    graph.media.set(VOICE_MEDIA, { mimeType: 'audio/ogg', data: VOICE });
    graph.media.set(IMAGE_MEDIA, { mimeType: 'image/jpeg', data: PHOTO });
    graph.media.set(DOCUMENT_MEDIA, { mimeType: 'application/pdf', data: Buffer.concat([PDF, randomBytes(MAX_BYTES)]) });
    graph.failMedia('file', { status: 502, body: {} });
    await deliver(fixture('audio')); // retried once, then kept
    await deliver(fixture('image')); // kept
    await deliver(fixture('document')); // too large
    expect(handedOver.map((m) => m.attachment !== undefined)).toEqual([true, true, false]);
    expect(channelLog.some((l) => l.includes('cloud api media downloaded'))).toBe(true); // debug lines were written
    const all = allLogs();
    for (const secret of [TOKEN, 'whatsapp_business/attachments', 'hash=', 'mid=', VOICE_MEDIA, IMAGE_MEDIA, DOCUMENT_MEDIA, CAPTION, FILENAME, 'I-797', VOICE_CLIENT, 'Pablo']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/wamid|HBgL/);
    expect(all).toContain(messageRef(VOICE_ID)); // the messages can still be followed
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
    ['image with caption', msg('image', { image: { caption: 'my receipt notice', mime_type: 'image/jpeg', id: '1' } }), { type: 'image', text: 'my receipt notice', mediaId: '1', mimeType: 'image/jpeg' }],
    ['image without caption', msg('image', { image: { mime_type: 'image/jpeg', id: '1' } }), { type: 'image', text: '', mediaId: '1', mimeType: 'image/jpeg' }],
    ['video', msg('video', { video: { caption: 'look', id: '1' } }), { type: 'video', text: 'look', mediaId: '1' }],
    ['document', msg('document', { document: { caption: 'I-797', filename: 'a.pdf', mime_type: 'application/pdf', id: '1' } }), { type: 'document', text: 'I-797', mediaId: '1', mimeType: 'application/pdf' }],
    ['voice note', msg('audio', { audio: { id: '1', mime_type: 'audio/ogg; codecs=opus', voice: true } }), { type: 'voice', text: '', mediaId: '1', mimeType: 'audio/ogg' }],
    ['audio file', msg('audio', { audio: { id: '1', mime_type: 'audio/mpeg', voice: false } }), { type: 'voice', text: '', mediaId: '1', mimeType: 'audio/mpeg' }],
    ['sticker', msg('sticker', { sticker: { id: '1', mime_type: 'image/webp', animated: false } }), { type: 'sticker', text: '', mediaId: '1', mimeType: 'image/webp' }],
    ['media id that is not an id', msg('image', { image: { id: '../../106540352242922/messages', mime_type: 'image/jpeg' } }), { type: 'image', text: '' }],
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

  it('says what is wrong with a phone number ID: too short, or not all digits', () => {
    const good = { token: 't', phoneNumberId: PHONE_ID, appSecret: 's', verifyToken: 'v', baseUrl: 'https://graph.facebook.com/v21.0' };
    const short = cloudApiProblems({ ...good, phoneNumberId: '123' })[0];
    expect(short).toMatch(/5 to 30 digits \(got 3 characters\)$/);
    expect(short).not.toMatch(/not all digits/);
    expect(cloudApiProblems({ ...good, phoneNumberId: '+1 555 078 3881' })[0]).toMatch(/5 to 30 digits \(got 15 characters, not all digits\)$/);
  });

  it('reports the channel down with the first problem when settings are incomplete', () => {
    const incomplete = createCloudApiChannel({
      settings: { token: '', phoneNumberId: PHONE_ID, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, baseUrl: graph.url },
      accept: async () => ({ chats: [] }), process: () => undefined, log: memoryLog().log, mediaMaxBytes: MAX_BYTES,
    });
    expect(incomplete.status()).toEqual({ name: 'cloud-api', state: 'down', detail: 'CLOUD_API_TOKEN is required when TRANSPORT=cloud-api (the access token of the WhatsApp Business app)' });
    expect(channel.status()).toEqual({ name: 'cloud-api', state: 'connected' });
  });
});
