/**
 * Meta's side of the Cloud API, for tests: webhook signatures as Meta makes them, message ids like Meta's, and a fake
 * Graph API on loopback that records what Puente sends and answers like Meta (or fails when told to).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
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

/** A fake Graph API on loopback: records requests, answers like Meta unless told to fail the next ones or be down. */
export async function fakeGraph() {
  const requests: GraphRequest[] = [];
  const failures: Answer[] = [];
  const state: { down: Answer | undefined } = { down: undefined };
  const server: Server = createServer((req, res) => {
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
  return {
    requests,
    /** The next sends get these answers, in order. */
    failNext: (...answers: Answer[]) => failures.push(...answers),
    /** While set, every send gets this answer. */
    state,
    /** What Meta accepted, in order: the messages the client receives. */
    delivered: () => requests.filter((r) => r.status === 200).map((r) => ({ to: r.body.to, text: r.body.text.body })),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`,
    close: () => new Promise<void>((done) => server.close(() => done())),
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
