/** Deterministic stratified k-fold assignment, so evaluation and calibration give the same figures on every run. */
import { createHash } from 'node:crypto';

/**
 * Assigns each item a fold in `0..k-1` such that every stratum (e.g. intent + language) is spread evenly over the folds.
 * Order within a stratum is a stable pseudo-random shuffle keyed by `idOf`, not file order.
 */
export function stratifiedFolds<T>(items: readonly T[], k: number, strataOf: (item: T) => string, idOf: (item: T) => string): number[] {
  const byStratum = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = strataOf(item);
    const list = byStratum.get(key) ?? [];
    list.push(i);
    byStratum.set(key, list);
  });
  const folds = new Array<number>(items.length).fill(0);
  const shuffleKey = (i: number) => createHash('md5').update(idOf(items[i])).update(String(i)).digest('hex');
  let offset = 0;
  for (const key of [...byStratum.keys()].sort()) {
    const members = byStratum.get(key)!.map((i) => [shuffleKey(i), i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    members.forEach(([, i], position) => (folds[i] = (position + offset) % k));
    offset += members.length;
  }
  return folds;
}
