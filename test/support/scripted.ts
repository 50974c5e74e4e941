/**
 * A scripted understander for dialogue tests where the classifier is not the point: each message the test sends is
 * given its meaning, so the test checks what the conversation does with it, not whether the model places it. Tokens
 * and the wording checks (urgency) are the real ones.
 */
import type { Understander } from '../../src/dialogue/engine';
import type { Understanding } from '../../src/nlu/nlu';
import { isEmojiToken, normalise } from '../../src/nlu/normalise';
import type { IntentId, Lang } from '../../src/nlu/types';
import { urgencyOf } from '../../src/nlu/urgency';

/** What a scripted message means: an intent (in the conversation's language), or more. */
export type Meaning = IntentId | (Partial<Omit<Understanding, 'tokens' | 'wordCount'>> & { intent: IntentId });

/** Understands exactly the messages in `script` (case and spacing folded); anything else is `none` with confidence 0. */
export function scripted(script: Readonly<Record<string, Meaning>>): Understander & { readonly asked: string[] } {
  const table = new Map(Object.entries(script).map(([text, meaning]) => [fold(text), typeof meaning === 'string' ? { intent: meaning } : meaning]));
  const asked: string[] = [];
  return {
    asked,
    understand(text: string, hint?: Lang): Understanding {
      asked.push(text);
      const { tokens } = normalise(text);
      const words = tokens.filter((t) => !isEmojiToken(t));
      const meaning = table.get(fold(text));
      const intent = meaning?.intent ?? 'none';
      const confidence = meaning?.confidence ?? (intent === 'none' ? 0 : 0.9);
      const language = meaning?.language ?? hint ?? 'en';
      const urgency = meaning && 'urgency' in meaning ? meaning.urgency : urgencyOf(tokens, intent === 'urgent_detention' ? confidence : 0);
      return {
        intent, confidence, top: meaning?.top ?? intent, candidates: meaning?.candidates ?? [], language,
        languageConfidence: meaning?.languageConfidence ?? (meaning?.language ? 0.95 : 0),
        languageWordConfidence: meaning?.languageWordConfidence ?? meaning?.languageConfidence ?? (meaning?.language ? 0.95 : 0), wordCount: words.length,
        emojiOnly: tokens.length > 0 && words.length === 0, foreignScript: meaning?.foreignScript ?? false,
        urgent: urgency === 'now', urgency, tokens,
      };
    },
  };
}

function fold(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}
