/** Resuming a long reply after a failed part: the client never gets a part twice, and nothing is skipped. */
import { PartProgress } from '../../src/channels/parts';

it('a retry resumes after the parts already sent; a later identical reply is sent whole', async () => {
  const progress = new PartProgress();
  const sent: string[] = [];
  let failOn: string | undefined = 'p3';
  const send = async (part: string) => {
    if (part === failOn) throw new Error('send failed');
    sent.push(part);
  };
  await expect(progress.send('chat', 'reply', ['p1', 'p2', 'p3', 'p4'], send)).rejects.toThrow('send failed');
  expect(sent).toEqual(['p1', 'p2']);
  failOn = undefined;
  await progress.send('chat', 'reply', ['p1', 'p2', 'p3', 'p4'], send);
  expect(sent).toEqual(['p1', 'p2', 'p3', 'p4']);
  await progress.send('chat', 'reply', ['p1', 'p2', 'p3', 'p4'], send);
  expect(sent).toHaveLength(8);
});

it('keeps progress per chat and per text', async () => {
  const progress = new PartProgress();
  const sent: string[] = [];
  await expect(progress.send('a', 'x', ['1', '2'], async (p) => { if (p === '2') throw new Error('no'); sent.push(`a${p}`); })).rejects.toThrow();
  await progress.send('b', 'x', ['1', '2'], async (p) => void sent.push(`b${p}`));
  await progress.send('a', 'y', ['1', '2'], async (p) => void sent.push(`ay${p}`));
  await progress.send('a', 'x', ['1', '2'], async (p) => void sent.push(`a${p}`));
  expect(sent).toEqual(['a1', 'b1', 'b2', 'ay1', 'ay2', 'a2']);
});
