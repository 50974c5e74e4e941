/**
 * The slice of whatsapp-web.js the channel uses, so tests can drive the channel with a fake client that emits the real
 * event names and carries the real `Message` field names. {@link createRealClient} builds the real one: LocalAuth under
 * DATA_DIR with a stable client id, Debian's Chromium, headless, with the flags a container needs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of a whatsapp-web.js `Message` the channel reads (same names as the library's). */
export interface WaMessage {
  readonly id: { readonly _serialized: string; readonly fromMe: boolean };
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** `chat`, `ptt`, `audio`, `image`, `video`, `document`, `sticker`, `location`, `vcard`, … */
  readonly type: string;
  readonly fromMe: boolean;
  /** A voice note, photo, video, file or sticker comes with the message (download it with `downloadMedia`). */
  readonly hasMedia?: boolean;
  readonly timestamp: number;
  readonly isStatus?: boolean;
  readonly broadcast?: boolean;
  /** Present on messages in groups: the member who wrote. */
  readonly author?: string;
  /**
   * The library's raw message: the sender's display name and, for media, the file's type and size as announced
   * (known before downloading).
   */
  readonly _data?: { readonly notifyName?: string; readonly mimetype?: string; readonly size?: number };
  /**
   * Downloads the message's media (the library's `Message.downloadMedia`): resolves undefined when there is none or
   * WhatsApp no longer has it; rejects when the browser fails.
   */
  downloadMedia?(): Promise<WaMedia | undefined>;
}

/** A downloaded file, as the library's `MessageMedia`. */
export interface WaMedia {
  readonly mimetype: string;
  /** The file, base64-encoded. */
  readonly data: string;
  readonly filename?: string | null;
  readonly filesize?: number | null;
}

/** Events the channel listens to, with the library's names. */
export interface WaClientEvents {
  qr: (qr: string) => void;
  authenticated: () => void;
  auth_failure: (message: string) => void;
  ready: () => void;
  message: (message: WaMessage) => void;
  message_create: (message: WaMessage) => void;
  disconnected: (reason: string) => void;
}

/** The client's surface the channel needs. */
export interface WaClient {
  on<E extends keyof WaClientEvents>(event: E, listener: WaClientEvents[E]): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ readonly id: { readonly _serialized: string } }>;
  /** Shows "typing…" in a chat (the library does it through the chat object). */
  sendStateTyping?(chatId: string): Promise<void>;
  /** Maps `@lid` ids to phone-number ids where WhatsApp allows it. */
  getContactLidAndPhone?(userIds: string[]): Promise<{ lid: string; pn: string }[]>;
  /** Called when the browser page or the browser itself goes away. */
  onPageClosed?(listener: () => void): void;
}

/** What the real client needs to start. */
export interface RealClientOptions {
  readonly dataDir: string;
  readonly chromePath: string;
  /** A stable id so a restart finds the same saved session (no new QR). */
  readonly clientId?: string;
}

/** Where LocalAuth keeps the linked session (delete this folder to unlink). */
export const sessionDir = (dataDir: string) => join(dataDir, 'whatsapp-session');

/** Flags for Chromium in a container or as root: no sandbox, no /dev/shm reliance, nothing it does not need. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run',
  '--no-default-browser-check', '--disable-extensions', '--mute-audio',
];

/** The Chromium to use: CHROME_PATH, else Debian's usual paths; undefined when none exists. */
export function findChromium(configured: string | undefined): string | undefined {
  if (configured) return existsSync(configured) ? configured : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

/**
 * Builds a real whatsapp-web.js client. The library (and puppeteer) is loaded only here, so other transports never pay
 * for it.
 */
export function createRealClient(options: RealClientOptions): WaClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wweb = require('whatsapp-web.js') as typeof import('whatsapp-web.js');
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ clientId: options.clientId ?? 'puente', dataPath: sessionDir(options.dataDir) }),
    puppeteer: { executablePath: options.chromePath, headless: true, args: [...CHROMIUM_ARGS] },
  });
  return {
    on: (event, listener) => client.on(event as never, listener as never),
    initialize: () => client.initialize(),
    destroy: () => client.destroy(),
    sendMessage: async (chatId, content) => {
      const sent = await client.sendMessage(chatId, content);
      return { id: { _serialized: sent.id._serialized } };
    },
    sendStateTyping: async (chatId) => {
      const chat = await client.getChatById(chatId);
      await chat.sendStateTyping();
    },
    getContactLidAndPhone: (ids) => client.getContactLidAndPhone(ids),
    onPageClosed: (listener) => {
      // The page exists once initialize() has launched the browser; check shortly after each state change.
      let attached = false;
      const attach = () => {
        if (attached || !client.pupPage) return;
        attached = true;
        client.pupPage.once('close', listener);
        client.pupBrowser?.once('disconnected', listener);
      };
      client.once('qr' as never, attach as never);
      client.once('authenticated' as never, attach as never);
    },
  };
}
