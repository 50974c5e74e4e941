import { deadOnThisHost, processAlive, senderName } from '../../src/turn/claims';

describe('claims of an earlier run on this machine', () => {
  const self = 'web-1:4242:aaaaaa';
  const alive = (pid: number) => pid === 4242 || pid === 77;

  it('are those of this host whose process is gone, or of an earlier process with this very id (a restarted container)', () => {
    const owners = [self, 'web-1:77:bbbbbb', 'web-1:555:cccccc', 'web-1:4242:dddddd', 'web-2:555:eeeeee', 'odd', 'web-1:x:ffffff'];
    expect(deadOnThisHost(owners, self, 'web-1', alive)).toEqual(['web-1:555:cccccc', 'web-1:4242:dddddd']);
  });

  it('names a sender by host and process, and knows this process runs', () => {
    expect(senderName('web-1', 4242)).toMatch(/^web-1:4242:[0-9a-f]{6}$/);
    expect(processAlive(process.pid)).toBe(true);
  });
});
