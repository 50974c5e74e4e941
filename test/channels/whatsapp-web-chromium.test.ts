/**
 * The real whatsapp-web.js client with Debian's Chromium (installed by `.ci/run`), started the way `npm start` starts it.
 * web.whatsapp.com is unreachable here, so `initialize()` fails: the process must stay up, log one clear error per
 * attempt, back off, report the channel down on /readyz while /healthz is fine, and close the browser on stop.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { startPuente } from '../../src/main';
import { memoryLog, tempDir, until } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';

/** Chromium processes whose command line mentions `dir` (the session lives there). */
function browsersUsing(dir: string): number {
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

it('Chromium is installed where CHROME_PATH points by default', () => {
  expect(existsSync(CHROMIUM)).toBe(true);
});

it('with WhatsApp Web unreachable: stays up, one error per attempt, backs off, /readyz down, /healthz ok, browser closed on stop', async () => {
  const tmp = tempDir();
  const { log, lines } = memoryLog();
  const config = loadConfig({ TRANSPORT: 'whatsapp-web', DATA_DIR: tmp.dir, PORT: '0', HOST: '127.0.0.1', CHROME_PATH: CHROMIUM }, tmp.dir);
  const running = await startPuente(config, log, { whatsapp: { timing: { backoffMs: 300, maxBackoffMs: 1_200 } }, announce: () => undefined });
  try {
    const failures = () => lines.filter((l) => l.includes('could not start WhatsApp Web')).map((l) => JSON.parse(l) as { attempt: number; retryInMs: number; cause?: string });
    await until(() => failures().length >= 3, 60_000, 'three failed attempts');
    const seen = failures();
    expect(seen.slice(0, 3).map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(seen.slice(0, 3).map((f) => f.retryInMs)).toEqual([300, 600, 1_200]);
    expect(seen[0].cause).toBeTruthy();
    const base = `http://127.0.0.1:${running.http.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { database: string; backend: string; channel: { name: string; state: string; detail?: string } };
    expect(body.database).toBe('ok');
    expect(body.backend).toBe('sqlite');
    expect(body.channel).toMatchObject({ name: 'whatsapp-web' });
    expect(['down', 'connecting']).toContain(body.channel.state);
  } finally {
    await running.stop();
  }
  await until(() => browsersUsing(tmp.dir) === 0, 15_000, 'the browser to exit');
  tmp.remove();
}, 120_000);

it('without Chromium: one clear line naming CHROME_PATH, and the HTTP server stays up with the channel down', async () => {
  const tmp = tempDir();
  const { log, lines } = memoryLog();
  const config = loadConfig({ TRANSPORT: 'whatsapp-web', DATA_DIR: tmp.dir, PORT: '0', HOST: '127.0.0.1', CHROME_PATH: '/opt/no/chromium' }, tmp.dir);
  const running = await startPuente(config, log, { announce: () => undefined });
  try {
    const errors = lines.filter((l) => l.includes('"level":50'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('CHROME_PATH=/opt/no/chromium');
    const ready = await fetch(`http://127.0.0.1:${running.http.port}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { channel: { detail: string } }).channel.detail).toMatch(/Chromium not found/);
    expect((await fetch(`http://127.0.0.1:${running.http.port}/healthz`)).status).toBe(200);
  } finally {
    await running.stop();
    tmp.remove();
  }
}, 60_000);
