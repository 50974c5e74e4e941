/**
 * Trains the model once per test run (not once per file) and tells the workers where it is. The file is kept in
 * test-artifacts/ and reused while `intents/` is unchanged.
 */
import { join, resolve } from 'node:path';
import { loadOrTrain } from '../src/nlu/model-store';

export default function globalSetup(): void {
  const root = resolve(__dirname, '..');
  const file = join(root, 'test-artifacts', 'model.json');
  loadOrTrain(join(root, 'intents'), file);
  process.env.PUENTE_TEST_MODEL = file;
}
