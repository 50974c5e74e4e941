/** The command line as a user runs it: the compiled program in a child process (built by `npm test` first). */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers';

const BIN = join(ROOT, 'bin', 'puente.js');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.remove());

function run(args: string[], input = '', env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { ...process.env, DATA_DIR: tmp.dir, TRANSPORT: 'none', ...env }, timeout: 60_000 });
}

it('chat --json: one JSON line per reply on stdout, nothing else; a repeated id is answered once', () => {
  const lines = [
    { from: '15550001', text: 'hola', id: 'x1' },
    { from: '15550001', text: 'hola', id: 'x1' },
    { from: '15550002', text: 'what is 287g' },
    { from: '15550002', text: '', type: 'ptt' },
  ].map((l) => JSON.stringify(l)).join('\n');
  const result = run(['chat', '--json'], `${lines}\nnot json\n`);
  expect(result.status).toBe(0);
  const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { to: string; text: string });
  expect(out.filter((o) => o.to === '15550001')).toHaveLength(1);
  expect(out.filter((o) => o.to === '15550002')).toHaveLength(2);
  expect(out.every((o) => o.text.trim().length > 0)).toBe(true);
  expect(result.stderr).toContain('skipped input line: not valid JSON');
});

it('chat --json runs a whole booking, and a second client is never offered the time the first one took', () => {
  const a = '15550003';
  const b = '15550004';
  const lines = [
    { from: a, text: 'i want to book a consultation' },
    { from: a, text: 'by phone' },
    { from: a, text: 'Ana Lopez' },
    { from: a, text: '1' },
    { from: a, text: 'my green card is delayed' },
    { from: a, text: 'yes' },
    { from: b, text: 'can i make an appointment' },
    { from: b, text: 'at the office' },
    { from: b, text: 'Jose Ramirez' },
    { from: a, text: 'Thank you', staff: true }, // staff answer from the phone: the bot stays quiet in that chat
    { from: a, text: 'ok thanks' },
  ].map((l) => JSON.stringify(l)).join('\n');
  const result = run(['chat', '--json'], `${lines}\n`, { CONSULTATION_FEE: '$150' });
  expect(result.status).toBe(0);
  const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { to: string; text: string });
  const toA = out.filter((o) => o.to === a).map((o) => o.text);
  const toB = out.filter((o) => o.to === b).map((o) => o.text);
  expect(toA).toHaveLength(6); // the last message, after staff took over, gets no reply
  const taken = /\*1\* (.+)/.exec(toA[2])![1];
  expect(toA[4]).toContain(taken);
  expect(toA[5]).toContain('Request sent');
  expect(toA[5]).toContain('$150');
  // Client B sees the same calendar: the time A took is not among the times offered.
  const offeredToB = toB[2].split('\n').filter((l) => /^\*\d\* /.test(l)).map((l) => l.replace(/^\*\d\* /, ''));
  expect(offeredToB.length).toBeGreaterThan(1);
  expect(offeredToB).not.toContain(taken);
  expect(out.every((o) => o.text.trim() && !/undefined|null|\[object|\{\{/.test(o.text))).toBe(true);
});

it('classify writes one JSON line per input line', () => {
  const result = run(['classify'], 'what is a writ of mandamus\nasdfgh\nla migra se llevo a mi esposo\n');
  const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(out).toHaveLength(3);
  expect(out[0]).toMatchObject({ text: 'what is a writ of mandamus', intent: 'mandamus', language: 'en' });
  expect(out[1].intent).toBe('none');
  expect(out[2].language).toBe('es');
});

it('bad arguments and bad environment end with one clear line, no stack trace', () => {
  const unknown = run(['frobnicate']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  const folds = run(['eval', '--folds', 'x']);
  expect(folds.stderr).toMatch(/--folds/);
  const env = run(['start'], '', { PORT: 'abc', TRANSPORT: 'pigeon' });
  expect(env.status).toBe(1);
  expect(env.stderr).toMatch(/PORT/);
  expect(env.stderr).toMatch(/TRANSPORT/);
  expect(env.stderr).not.toMatch(/\n\s+at /);
});

it('start serves /healthz, /readyz and the dashboard (generated password shown once), and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, DATA_DIR: tmp.dir, TRANSPORT: 'none', PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"port":(\d+).*"msg":"ready"/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', backend: 'sqlite', channel: { name: 'none', state: 'none' } });
  // No ADMIN_PASSWORD: one is generated and shown once, outside the JSON log lines; it opens the API.
  const shown = [...stderr.matchAll(/Dashboard: http:\/\/localhost:(\d+)\/admin {2}password: (\S+)/g)];
  expect(shown).toHaveLength(1);
  expect(Number(shown[0][1])).toBe(port);
  const password = shown[0][2];
  expect(stderr.split('\n').filter((l) => l.startsWith('{')).join('\n')).not.toContain(password);
  const signIn = await fetch(`http://127.0.0.1:${port}/admin`, { redirect: 'manual' });
  expect(signIn.status).toBe(303);
  expect(signIn.headers.get('location')).toMatch(/^\/admin\/login/);
  expect((await fetch(`http://127.0.0.1:${port}/api/handoffs`)).status).toBe(401);
  expect((await fetch(`http://127.0.0.1:${port}/api/handoffs`, { headers: { Authorization: `Bearer ${password}` } })).status).toBe(200);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
