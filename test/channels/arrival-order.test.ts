/**
 * A chat's messages are handed over in the order they arrived, whatever order their downloads finish in.
 */
import { ArrivalOrder } from '../../src/channels/arrival-order';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('arrival order', () => {
  it('a later arrival of the same chat waits for the earlier one to leave; other chats do not wait', async () => {
    const order = new ArrivalOrder();
    const handed: string[] = [];
    const photo = order.enter(['a']);
    const text = order.enter(['a']);
    const other = order.enter(['b']);
    void text.turn.then(() => handed.push('text'));
    void other.turn.then(() => handed.push('other chat'));
    await tick();
    expect(handed).toEqual(['other chat']);
    await photo.turn;
    handed.push('photo');
    photo.leave();
    await tick();
    expect(handed).toEqual(['other chat', 'photo', 'text']);
    text.leave();
    other.leave();
    await tick();
    expect(order.size).toBe(0);
  });

  it('leaving before its turn never lets a later arrival overtake an earlier one', async () => {
    const order = new ArrivalOrder();
    const handed: string[] = [];
    const first = order.enter(['a']);
    const second = order.enter(['a']);
    const third = order.enter(['a']);
    void third.turn.then(() => handed.push('third'));
    second.leave(); // gave up (its webhook failed) while the first still downloads
    await tick();
    expect(handed).toEqual([]);
    first.leave();
    await tick();
    expect(handed).toEqual(['third']);
    third.leave();
  });

  it('a webhook with messages of two chats waits for both', async () => {
    const order = new ArrivalOrder();
    const a = order.enter(['a']);
    const b = order.enter(['b']);
    const both = order.enter(['a', 'b', 'a']);
    let turn = false;
    void both.turn.then(() => (turn = true));
    a.leave();
    await tick();
    expect(turn).toBe(false);
    b.leave();
    await tick();
    expect(turn).toBe(true);
    both.leave();
  });
});
