/**
 * The turn runner on both backends, for what only shows on one of them: a NUL character, which a PostgreSQL text
 * value cannot hold, must not make a client's message impossible to store (Meta would deliver it again forever).
 */
import { harness, type Harness } from '../helpers';
import { storeBackends } from '../support/backends';

const backends = storeBackends();

describe.each(backends)('%s: a message with a NUL character', (_name, make) => {
  let backend: Awaited<ReturnType<typeof make>>;
  let h: Harness;
  beforeEach(async () => {
    backend = await make();
    h = await harness({ store: backend.store });
  });
  afterEach(async () => {
    await h.close();
    await backend.dispose();
  });

  it('is stored from a webhook and answered, without the NUL, name included', async () => {
    const message = { id: 'nul-1', chat: '15551230001', text: 'what is a writ\u0000 of mandamus', type: 'text' as const, receivedAt: h.clock.now(), name: 'Ana\u0000' };
    const { chats } = await h.runner.accept([{ kind: 'message', message }]);
    await h.runner.drain(chats[0]);
    const transcript = await h.store.transcript('15551230001');
    expect(transcript.map((t) => [t.direction, t.direction === 'in' ? t.text : 'reply'])).toEqual([['in', 'what is a writ of mandamus'], ['out', 'reply']]);
    expect(h.sent.filter((s) => s.chat === '15551230001')).toHaveLength(1);
    expect(h.sent[0].text).toMatch(/mandamus/i);
  });

  it('is answered on the direct path too (WhatsApp Web, console)', async () => {
    expect(await h.say('15551230002', 'hola\u0000')).toHaveLength(1);
  });
});
