/**
 * Signing in, and linking WhatsApp (connection state, the QR code to scan, the last error).
 */
import type { ChannelStatus } from '../../channels/channel';
import { html, type Html } from './views';

/** The sign-in form; `error` is one polite line. */
export function loginView(firmName: string, next: string, error?: string, notice?: string, name?: string): Html {
  return html`<section class="card narrow login">
<h1>Sign in</h1>
<p class="muted">${firmName} staff dashboard. Sign in with your own name and password (the first account is <strong>admin</strong>).</p>
${notice ? html`<p class="flash" role="status">${notice}</p>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${next}">
<label for="name">Your name</label>
<input id="name" name="name" autocomplete="username" required autofocus maxlength="80" value="${name ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Sign in</button>
</form>
</section>`;
}

const CHANNEL_NAME: Readonly<Record<string, string>> = {
  'whatsapp-web': 'WhatsApp Web (the firm’s phone, linked)',
  'cloud-api': 'WhatsApp Business Cloud API',
  console: 'Console (testing)',
  none: 'None',
};

const STATE = {
  connected: { label: 'Connected', line: 'Puente is answering clients on WhatsApp.' },
  connecting: { label: 'Connecting…', line: 'Puente is connecting to WhatsApp. This usually takes less than a minute.' },
  down: { label: 'Not connected', line: 'Puente cannot send or receive WhatsApp messages right now. Replies are kept and sent once it is connected again.' },
  none: { label: 'No WhatsApp channel', line: 'Puente runs without WhatsApp (TRANSPORT=none): only this dashboard works.' },
} as const;

/** The WhatsApp page; `qrImage` is the QR code as a data: URL while the phone must scan one. */
export function whatsappView(channel: ChannelStatus & { qr?: string }, qrImage?: string): Html {
  const state = STATE[channel.state] ?? STATE.down;
  return html`<h1>WhatsApp</h1>
<section class="card">
<p class="state state-${channel.state}"><span class="dot" aria-hidden="true"></span><strong>${state.label}</strong></p>
<p>${state.line}</p>
<dl class="facts">
<div><dt>Channel</dt><dd>${CHANNEL_NAME[channel.name] ?? channel.name}</dd></div>
${channel.detail ? html`<div><dt>Last error</dt><dd class="detail">${channel.detail}</dd></div>` : ''}
</dl>
</section>
${qrImage
    ? html`<section class="card link-phone"><h2>Link the firm’s phone</h2>
<p>On the firm’s phone: <strong>WhatsApp → Linked devices → Link a device</strong>, then scan this code.</p>
<div class="qr-wrap"><img class="qr" src="${qrImage}" alt="QR code to link WhatsApp" width="280" height="280">
<ol class="steps"><li>Open <strong>WhatsApp</strong> on the firm’s phone.</li><li>Tap <strong>⋮ Menu</strong> (Android) or <strong>Settings</strong> (iPhone), then <strong>Linked devices</strong>.</li><li>Tap <strong>Link a device</strong> and point the phone at this code.</li></ol></div>
<p class="hint">The code changes every few seconds; this page reloads itself. Once linked, it shows <strong>Connected</strong>.</p></section>`
    : channel.needsQr
      ? html`<section class="card"><h2>Link the firm’s phone</h2><p>WhatsApp needs the firm’s phone to link Puente again. Waiting for a code from WhatsApp… this page reloads itself.</p></section>`
      : ''}`;
}
