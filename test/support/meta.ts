/**
 * Meta's side of the Cloud API, for tests: webhook signatures as Meta makes them, message ids like Meta's, and a fake
 * Graph API on loopback that records what Puente sends and answers like Meta (or fails when told to). It also keeps
 * clients' files as Meta does: `GET /{media-id}` answers the file's URL, type and size, and `GET` of that URL the
 * bytes, both only with the right bearer token.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Signs a body exactly as Meta does: HMAC-SHA256 of the raw bytes with the app secret, hex, prefixed "sha256=". */
export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A message id as Meta makes them: "wamid." and base64 of a record holding the recipient's number. */
export function wamid(to: string): string {
  const record = Buffer.concat([Buffer.from([0x1c, 0x18, to.length]), Buffer.from(to), Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), Buffer.from(randomBytes(9).toString('hex').toUpperCase()), Buffer.from([0])]);
  return `wamid.${record.toString('base64')}`;
}

export interface GraphRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: { to: string; type: string; text: { body: string; preview_url: boolean }; [k: string]: unknown };
  /** The HTTP status the fake answered. */
  readonly status: number;
}

export type Answer = { status: number; body: unknown };

/** A client's file as Meta keeps it. */
export interface StoredMedia {
  readonly mimeType: string;
  readonly data: Buffer;
  /** What `file_size` says; default the true size as a string (as Meta sends it); null leaves it out. */
  readonly fileSize?: number | string | null;
  /** Sends the bytes in chunks without Content-Length, a pause between them (to see a download cut off). */
  readonly trickle?: { readonly chunk: number; readonly pauseMs: number };
  /** Waits this long before answering the file's URL. */
  readonly delayMs?: number;
}

/** One request for a file: for its URL (`GET /{media-id}`) or for its bytes. */
export interface MediaRequest {
  readonly kind: 'media-url' | 'file';
  readonly path: string;
  readonly authorization: string | undefined;
  readonly status: number;
  /** The client closed the connection before the whole file was sent. */
  aborted?: boolean;
}

/** Where the fake serves files, in the shape of Meta's lookaside URLs. */
const FILE_PATH = '/whatsapp_business/attachments/';

const graphError = (status: number, code: number, message: string): Answer => ({
  status, body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'AxFakeTrace01' } },
});

/**
 * A fake Graph API on loopback: records requests, answers like Meta unless told to fail the next ones or be down.
 * `token`: the access token Meta accepts for files (any bearer token when not given).
 */
export async function fakeGraph(options: { token?: string } = {}) {
  const requests: GraphRequest[] = [];
  const failures: Answer[] = [];
  const state: { down: Answer | undefined } = { down: undefined };
  const media = new Map<string, StoredMedia>();
  const mediaRequests: MediaRequest[] = [];
  const mediaFailures: { 'media-url': Answer[]; file: Answer[] } = { 'media-url': [], file: [] };
  let origin = '';
  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization;
    return options.token === undefined ? /^Bearer \S+$/.test(header ?? '') : header === `Bearer ${options.token}`;
  };
  const answerJson = (res: ServerResponse, answer: Answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));

  /** GET /{version}/{media-id}: the file's temporary URL and facts, as Meta answers them. */
  const serveMediaUrl = (req: IncomingMessage, res: ServerResponse, id: string) => {
    const file = media.get(id);
    const answer = mediaFailures['media-url'].shift()
      ?? (!authorized(req) ? graphError(401, 190, 'Invalid OAuth access token.')
        : !file ? graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist`)
          : {
            status: 200,
            body: {
              messaging_product: 'whatsapp',
              url: `${origin}${FILE_PATH}?mid=${id}&ext=${Math.floor(Date.now() / 1000) + 300}&hash=ATu${randomBytes(12).toString('hex')}`,
              mime_type: file.mimeType,
              sha256: createHash('sha256').update(file.data).digest('hex'),
              ...(file.fileSize === null ? {} : { file_size: file.fileSize ?? String(file.data.length) }),
              id,
            },
          });
    mediaRequests.push({ kind: 'media-url', path: req.url ?? '', authorization: req.headers.authorization, status: answer.status });
    setTimeout(() => answerJson(res, answer), file?.delayMs ?? 0);
  };

  /** GET {url}: the bytes, only with the token. */
  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    const id = new URL(req.url ?? '', origin).searchParams.get('mid') ?? '';
    const file = media.get(id);
    const failure = mediaFailures.file.shift();
    const status = failure?.status ?? (!authorized(req) ? 401 : !file ? 404 : 200);
    const record: MediaRequest = { kind: 'file', path: req.url ?? '', authorization: req.headers.authorization, status };
    mediaRequests.push(record);
    if (status !== 200 || !file) {
      answerJson(res, failure ?? { status, body: { error: { message: status === 401 ? 'Unauthorized' : 'Not found' } } });
      return;
    }
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    if (!file.trickle) {
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.data.length }).end(file.data);
      return;
    }
    const { chunk, pauseMs } = file.trickle;
    res.writeHead(200, { 'content-type': file.mimeType });
    let offset = 0;
    const next = () => {
      if (res.destroyed) return;
      if (offset >= file.data.length) return void res.end();
      res.write(file.data.subarray(offset, offset + chunk));
      offset += chunk;
      setTimeout(next, pauseMs);
    };
    next();
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '', 'http://fake').pathname;
    if (req.method === 'GET' && path === FILE_PATH) return serveFile(req, res);
    const mediaId = req.method === 'GET' ? /^\/v[\d.]+\/([^/]+)$/.exec(path)?.[1] : undefined;
    if (mediaId) return serveMediaUrl(req, res, decodeURIComponent(mediaId));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = failures.shift() ?? state.down
        ?? { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid(body.to) }] } };
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    requests,
    /** Clients' files Meta keeps, by media id. */
    media,
    /** Requests for files (their URL, their bytes), in order; not in `requests`. */
    mediaRequests,
    /** The next requests for a file's URL (`media-url`) or bytes (`file`) get these answers, in order. */
    failMedia: (kind: 'media-url' | 'file', ...answers: Answer[]) => mediaFailures[kind].push(...answers),
    /** The next sends get these answers, in order. */
    failNext: (...answers: Answer[]) => failures.push(...answers),
    /** While set, every send gets this answer. */
    state,
    /** What Meta accepted, in order: the messages the client receives. */
    delivered: () => requests.filter((r) => r.status === 200).map((r) => ({ to: r.body.to, text: r.body.text.body })),
    url: `${origin}/v21.0`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}


export type Graph = Awaited<ReturnType<typeof fakeGraph>>;

/** A webhook body as Meta sends it for text messages from `from` to the business number `phoneNumberId`. */
export function textWebhook(phoneNumberId: string, messages: readonly { from: string; id: string; text: string; name?: string }[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
          contacts: messages.map((m) => ({ profile: { name: m.name ?? 'Client' }, wa_id: m.from })),
          messages: messages.map((m) => ({ from: m.from, id: m.id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: m.text } })),
        },
      }],
    }],
  });
}
