/**
 * Staff accounts: who can sign in (admins add and remove accounts; removing one signs it out everywhere), changing
 * one's own password, and the latest staff actions.
 */
import type { Actor } from '../../desk';
import type { AuditEntry, StaffAccount } from '../../store';
import { auditList } from './transcript-view';
import { formatTime, html, postForm, type Html } from './views';

export function staffView(accounts: readonly StaffAccount[], me: Actor, csrf: string, audit: readonly AuditEntry[], timezone: string): Html {
  const admin = me.role === 'admin';
  return html`<h1>Staff</h1>
<section class="card" aria-labelledby="acc-h"><h2 id="acc-h">Accounts</h2>
<table class="stack"><thead><tr><th>Name</th><th>Role</th><th>Since</th><th></th></tr></thead><tbody>${accounts.map((a) => html`<tr><td data-label="Name"><strong>${a.name}</strong>${a.id === me.id ? html` <span class="muted">(you)</span>` : ''}</td><td data-label="Role">${a.role === 'admin' ? 'Admin (manages accounts)' : 'Staff'}</td><td data-label="Since">${formatTime(a.createdAt, timezone)}</td><td data-label="">${admin && a.id !== me.id
    ? html`<details class="cancel"><summary>Remove…</summary>${postForm(`/admin/staff/${encodeURIComponent(a.name)}/remove`, csrf, html`<p class="hint">${a.name} is signed out everywhere at once and cannot sign in again. Their past actions stay in the audit list.</p><button class="danger" type="submit">Remove ${a.name}</button>`)}</details>`
    : ''}</td></tr>`)}</tbody></table>
</section>
${admin ? html`<section class="card" aria-labelledby="add-h"><h2 id="add-h">Add an account</h2>
${postForm('/admin/staff', csrf, html`<div class="row"><div><label for="new-name">Name</label><input id="new-name" name="name" required maxlength="40" autocomplete="off"></div>
<div><label for="new-password">Password <span class="muted">(10 characters or more; tell it to them in person)</span></label><input id="new-password" name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password"></div>
<div><label for="new-role">Role</label><select id="new-role" name="role"><option value="staff">Staff</option><option value="admin">Admin (manages accounts)</option></select></div></div>
<div class="buttons"><button type="submit">Add account</button></div>`)}
</section>` : html`<p class="muted">Only an admin can add or remove accounts.</p>`}
<section class="card" aria-labelledby="pw-h"><h2 id="pw-h">Your password</h2>
${postForm('/admin/staff/password', csrf, html`<div class="row"><div><label for="pw">New password <span class="muted">(10 characters or more; you are signed out everywhere and sign in again)</span></label><input id="pw" name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password"></div><div><button class="secondary" type="submit">Change password</button></div></div>`)}
</section>
<section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Latest staff actions</h2>${auditList(audit, timezone)}</section>`;
}
