/**
 * The dashboard's stylesheet, served at /admin/style.css. Plain CSS, system fonts, no external resources (the CSP
 * allows only 'self'); readable on a laptop and a phone (tables turn into stacked cards under 640px).
 */

/** Height classes `h0`…`h100` for the bar chart (inline styles are blocked by the CSP). */
const HEIGHTS = Array.from({ length: 101 }, (_, i) => `.h${i}{height:${i}%}`).join('');

export const STYLE = `
:root{--bg:#f4f6f8;--surface:#fff;--text:#1b2430;--muted:#566070;--line:#d9dee5;--primary:#1f5fbf;--primary-dark:#184c99;
--urgent:#c4221b;--urgent-bg:#fdecea;--amber:#8a5300;--amber-bg:#fff4dc;--green:#1d6e39;--green-bg:#e5f4ea;--blue-bg:#e8f0fc;
--grey-bg:#eceff3;--radius:10px;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08)}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--primary)}
a:hover{color:var(--primary-dark)}
:focus-visible{outline:3px solid #7aa7ee;outline-offset:2px}
h1{font-size:1.5rem;line-height:1.25;margin:.2em 0 .7em}
h2{font-size:1.15rem;margin:0 0 .6em}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--grey-bg);padding:.05em .35em;border-radius:4px}
.wrap{max-width:1040px;margin:0 auto;padding:0 16px}
main.wrap{padding-top:20px;padding-bottom:48px}
.muted{color:var(--muted);font-weight:normal}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}

/* Top bar */
.top{background:#15314d;color:#fff}
.top-inner{display:flex;align-items:center;gap:8px 24px;flex-wrap:wrap;min-height:56px}
.brand{color:#fff;font-weight:700;font-size:1.1rem;text-decoration:none;padding:8px 0}
.brand:hover{color:#fff}
.top nav{flex:1}
.top nav ul{display:flex;align-items:center;gap:4px;list-style:none;margin:0;padding:0}
.top nav li:last-child{margin-left:auto}
.top nav a,.top nav .link{display:inline-flex;align-items:center;gap:6px;min-height:44px;padding:0 12px;border-radius:8px;color:#dfe8f3;text-decoration:none;font-weight:500}
.top nav a:hover,.top nav .link:hover{background:rgba(255,255,255,.1);color:#fff}
.top nav a[aria-current=page]{background:rgba(255,255,255,.16);color:#fff}
.top form{margin:0}
.count{display:inline-block;min-width:1.5em;padding:0 .45em;border-radius:999px;background:#dfe8f3;color:#15314d;font-size:.8rem;font-weight:700;line-height:1.5;text-align:center}
.count-urgent{background:var(--urgent);color:#fff}

/* Blocks */
.card{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:18px 20px;margin:0 0 18px}
.card.narrow{max-width:440px;margin:40px auto}
.card.empty{text-align:center;padding:36px 20px}
.card.empty p{margin:.3em 0}
.flash{background:var(--green-bg);color:var(--green);border:1px solid #b9dec6;border-radius:8px;padding:10px 14px;margin:0 0 18px;font-weight:500}
.error{background:var(--urgent-bg);color:var(--urgent);border:1px solid #f3b8b3;border-radius:8px;padding:10px 14px;font-weight:500}
.notice{background:var(--amber-bg);color:var(--amber);border:1px solid #f1d49a;border-radius:8px;padding:10px 14px;font-weight:500}
.hint{color:var(--muted);font-size:.92rem;margin:.8em 0 0}
.crumbs{margin:0 0 10px}
.text-urgent{color:var(--urgent)}

/* Badges */
.badge{display:inline-block;padding:.15em .6em;border-radius:999px;font-size:.8rem;font-weight:700;letter-spacing:.02em;white-space:nowrap;background:var(--grey-bg);color:var(--text)}
.kind-urgent .badge.kind-urgent,.badge.kind-urgent{background:var(--urgent);color:#fff;letter-spacing:.08em}
.badge.kind-human{background:var(--blue-bg);color:var(--primary-dark)}
.badge.kind-consultation{background:var(--amber-bg);color:var(--amber)}
.badge.kind-advice{background:var(--grey-bg);color:var(--text)}
.badge.status-requested{background:var(--amber-bg);color:var(--amber)}
.badge.status-confirmed{background:var(--green-bg);color:var(--green)}
.badge.status-cancelled{background:var(--grey-bg);color:var(--muted);text-decoration:line-through}
.badge.status-completed,.badge.status-resolved{background:var(--grey-bg);color:var(--muted)}
.badge.status-requested,.badge.status-confirmed,.badge.status-cancelled,.badge.status-completed,.badge.status-resolved{text-transform:capitalize}

/* Inbox */
.queue{list-style:none;margin:0;padding:0;display:grid;gap:10px}
.queue-item a{display:grid;grid-template-columns:190px minmax(0,1.1fr) minmax(0,2fr) auto;gap:6px 16px;align-items:center;padding:14px 16px;background:var(--surface);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);color:inherit;text-decoration:none}
.queue-item a:hover{border-top-color:#b8c2cf;border-right-color:#b8c2cf;border-bottom-color:#b8c2cf;background:#fbfcfd}
.queue-item.kind-human a{border-left-color:var(--primary)}
.queue-item.kind-consultation a{border-left-color:#d99a26}
.queue-item.kind-urgent a{border-color:#f3b8b3;border-left:8px solid var(--urgent);background:var(--urgent-bg)}
.queue-item.kind-urgent a:hover{border-color:#e99b95;border-left-color:var(--urgent)}
.q-who{display:flex;flex-direction:column;min-width:0}
.q-who strong,.q-summary{overflow:hidden;text-overflow:ellipsis}
.q-who strong{white-space:nowrap}
.q-summary{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;color:var(--text)}
.q-meta{display:flex;flex-direction:column;align-items:flex-end;text-align:right;font-size:.92rem}
.wait{font-weight:700}
.kind-urgent .wait{color:var(--urgent)}
.claimed{font-size:.85rem;color:var(--muted)}
.claimed::before{content:"Claimed by "}

/* One handoff */
.head{border-left:5px solid var(--line)}
.head.kind-urgent{border-left:8px solid var(--urgent)}
.head.kind-human{border-left-color:var(--primary)}
.head.kind-consultation{border-left-color:#d99a26}
.head-top{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.head h1{margin:.35em 0 .4em}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px 24px;margin:0 0 12px}
.facts div{min-width:0}
.facts dt{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.summary{background:var(--grey-bg);border-radius:8px;padding:10px 14px;margin:0 0 14px;white-space:pre-wrap;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.actions form{margin:0}
.claim{display:flex;gap:8px;flex-wrap:wrap}
.claim label{flex:0 1 14em}
.transcript{list-style:none;margin:0 0 18px;padding:14px;display:flex;flex-direction:column;gap:8px;background:#e9edf1;border-radius:var(--radius)}
.bubble{max-width:min(78%,560px);padding:8px 12px 10px;border-radius:12px;background:var(--surface);box-shadow:0 1px 1px rgba(16,24,40,.08);align-self:flex-start;border-top-left-radius:4px}
.bubble .who{display:block;font-size:.78rem;color:var(--muted);margin-bottom:2px}
.bubble .text{display:block;white-space:pre-wrap;overflow-wrap:anywhere}
.bubble details{margin:0}
.bubble summary{color:inherit;font-weight:normal;white-space:pre-wrap;list-style:none}
.bubble summary::-webkit-details-marker{display:none}
.bubble summary .more{color:var(--primary);font-weight:600;white-space:nowrap}
.bubble details[open] .more{display:none}
.bubble.from-bot,.bubble.from-staff{align-self:flex-end;border-top-left-radius:12px;border-top-right-radius:4px}
.bubble.from-bot{background:#dcefe2}
.bubble.from-staff{background:#d9e6fb}
.bubble.from-staff .who{color:var(--primary-dark);font-weight:600}

/* Forms */
label{display:block;font-weight:600;margin:0 0 6px}
label.inline{display:flex;flex:1;margin:0}
input,textarea,select{font:inherit;font-weight:normal;color:inherit;width:100%;padding:10px 12px;border:1px solid #b9c2cd;border-radius:8px;background:#fff;min-height:44px}
textarea{resize:vertical;display:block;margin-bottom:10px}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:0 18px;border-radius:8px;border:1px solid var(--primary);background:var(--primary);color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
button:hover,.button:hover{background:var(--primary-dark);border-color:var(--primary-dark);color:#fff}
button.secondary,.button.secondary{background:#fff;color:var(--primary);border-color:#b9c8de}
button.secondary:hover,.button.secondary:hover{background:var(--blue-bg);color:var(--primary-dark)}
.button[aria-current=page]{background:var(--primary);color:#fff;border-color:var(--primary)}
button.resolve{background:var(--green);border-color:var(--green)}
summary.resolve{color:var(--green);border:1px solid var(--green);border-radius:8px;padding:8px 14px;display:inline-block;list-style:none}
summary.resolve::-webkit-details-marker{display:none}
.confirm-resolve[open] summary.resolve{display:none}
.confirm-resolve{margin:0}
button.resolve:hover{background:#165a2e}
button.danger{background:var(--urgent);border-color:var(--urgent)}
button.danger:hover{background:#a11b15}
button.link{background:none;border:0;font-weight:500}
.field-hint{display:block;color:var(--muted);font-size:.9rem;margin:-2px 0 6px}
.login form{display:grid;gap:6px}
.login button{margin-top:10px;width:100%}
details{margin:0 0 10px}
details summary{cursor:pointer;color:var(--primary);font-weight:600;min-height:32px;padding:4px 0}
.reply h2{margin-bottom:.8em}

/* Consultations */
.pager{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:0 0 18px}
.range{font-weight:700;padding:0 8px}
.day h2{margin:26px 0 10px}
.consultations{list-style:none;margin:0;padding:0}
.consultation{border-left:5px solid var(--line)}
.consultation.status-requested{border-left-color:#d99a26}
.consultation.status-confirmed{border-left-color:var(--green)}
.consultation.status-cancelled,.consultation.status-completed{opacity:.8}
.c-head{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-bottom:10px}
.c-when{font-size:1.2rem}
.consultation .actions{border-top:1px solid var(--line);padding-top:12px}
.consultation form.confirm{display:flex;flex-wrap:wrap;align-items:center;gap:8px 14px}
.consultation form.confirm details{margin:0}
.consultation form.confirm details[open]{flex-basis:100%;order:2}
.consultation form.confirm:has(details[open]) button{order:3}
.consultation details.cancel{margin:0;padding:6px 0 0 4px}
.consultation details.cancel[open]{flex-basis:100%}
.consultation details.cancel summary{color:var(--urgent)}
.consultation details textarea{margin-top:4px}

/* Insights */
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:0 0 18px}
.tile{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:14px 18px;display:flex;flex-direction:column}
.tile-n{font-size:2rem;font-weight:700;line-height:1.2}
.tile-l{color:var(--muted)}
.chart{position:relative;padding-left:28px}
.chart-max{position:absolute;left:0;top:0;font-size:.8rem}
.bars{display:flex;align-items:stretch;gap:2px;height:160px;border-bottom:1px solid #9aa5b3;border-left:1px solid #d9dee5}
.col{flex:1;display:flex;flex-direction:column;justify-content:flex-end;min-width:2px}
.bar{display:block;width:100%}
.bar-ok{background:#3f7fd8;border-radius:2px 2px 0 0}
.bar-none{background:#e0902b}
.axis{display:flex;justify-content:space-between;font-size:.8rem;margin-top:4px}
.legend{font-size:.9rem;color:var(--muted)}
.key{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-left:8px}
.key-ok{background:#3f7fd8}.key-none{background:#e0902b}
${HEIGHTS}

/* Tables */
table{width:100%;border-collapse:collapse;background:var(--surface)}
th,td{text-align:left;padding:10px 12px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
code.file{font-size:.8rem;color:var(--muted);background:none;padding:0}
td.problem-stale,td.problem-no-date{color:var(--amber)}
td.problem-missing{color:var(--urgent);font-weight:600}
td.problem-none{color:var(--green)}
table.content td:first-child{width:34%}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);background:#f8f9fb}
.num{text-align:right;white-space:nowrap}
main > table{border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow)}

/* WhatsApp */
.state{display:flex;align-items:center;gap:10px;font-size:1.2rem;margin:0 0 6px}
.dot{width:14px;height:14px;border-radius:50%;background:var(--muted)}
.state-connected .dot{background:var(--green)}
.state-connecting .dot{background:#d99a26}
.state-down .dot{background:var(--urgent)}
.detail{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
.qr-wrap{display:flex;gap:24px;align-items:center;flex-wrap:wrap}
.qr{display:block;width:280px;height:280px;border:1px solid var(--line);border-radius:8px;image-rendering:pixelated;background:#fff}
.steps{margin:0;padding-left:1.4em;flex:1;min-width:240px}
.steps li{margin:0 0 .6em}

/* Phones */
@media (max-width:640px){
  h1{font-size:1.3rem}
  main.wrap{padding-top:14px}
  .top-inner{gap:0}
  .brand{padding:10px 0 2px}
  .top nav{flex-basis:100%;margin:0 -10px;padding:0 0 6px}
  .top nav ul{flex-wrap:wrap;gap:2px}
  .top nav a,.top nav .link{min-height:40px;padding:0 10px}
  .top nav li:last-child{margin-left:0}
  .card{padding:14px}
  .queue-item a{grid-template-columns:1fr auto;grid-template-areas:"kind meta" "who who" "summary summary"}
  .q-kind{grid-area:kind}.q-who{grid-area:who}.q-summary{grid-area:summary}.q-meta{grid-area:meta}
  .q-meta{flex-direction:row;gap:8px;align-items:baseline}
  .bubble{max-width:88%}
  .claim{width:100%}.claim label{flex:1}
  .actions form,.actions button{width:100%}
  .consultation form.confirm{align-items:stretch}
  .consultation form.confirm details{order:2}
  .pager .range{flex-basis:100%;order:-1;padding:0}
  .tiles{grid-template-columns:repeat(3,1fr);gap:8px}
  .tile{padding:10px}
  .tile-n{font-size:1.5rem}
  .tile-l{font-size:.85rem;line-height:1.3}
  table.stack thead{display:none}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack tr{border:1px solid var(--line);border-radius:8px;margin:0 0 10px;padding:6px 0;background:var(--surface)}
  table.stack td{position:relative;border:0;padding:4px 12px 4px calc(12px + 6.5em);text-align:left}
  table.stack td::before{content:attr(data-label);position:absolute;left:12px;top:4px;width:6em;font-size:.75rem;line-height:2;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:normal}
  main > table.stack{border:0;box-shadow:none;background:none}
  table.stack td:first-child{padding-left:12px;width:100%}
  table.stack td:first-child::before{display:none}
  table.stack.content code.file{display:none}
  .qr{width:240px;height:240px}
}
/* Notes, media, the composer, search, lists (issue 12) */
.bubble.note{align-self:stretch;max-width:none;background:#fff7d6;border:1px dashed #d9b84a;box-shadow:none;border-radius:8px}
.bubble.note .who{color:#6b5300;font-weight:600}
.media-audio{display:block;width:min(100%,320px);margin:4px 0}
.media-image{display:block;max-width:min(100%,320px);max-height:320px;border-radius:8px;margin:4px 0}
.media-file{display:inline-block;margin:4px 0;font-weight:600}
.media-missing{font-style:italic;color:var(--muted)}
.earlier{margin:0 0 10px}
.earlier > summary{padding:6px 0}
.composer{position:sticky;bottom:0;z-index:5;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);box-shadow:0 -4px 14px rgba(16,24,40,.12);padding:10px 12px;margin:0 0 18px}
.composer form{display:flex;gap:10px;align-items:flex-end}
.composer label{font-size:.85rem;margin:0 0 4px}
.composer .grow{flex:1;min-width:0}
.composer textarea{margin:0;min-height:48px;max-height:40vh}
.composer .closed{margin:0;color:var(--amber);font-weight:500}
.notes-form textarea{margin-bottom:8px}
.latest{display:block;color:var(--muted);font-size:.9rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.q-details{display:block;font-weight:600;color:var(--urgent);font-size:.92rem}
.queue-item.kind-urgent .q-summary{-webkit-line-clamp:5}
.top .me .muted{color:#c9d6e6}
.answered{font-size:.8rem;color:var(--green);font-weight:600}
.search{display:flex;gap:8px;margin:0 0 18px}
.search input{flex:1}
.client-list{list-style:none;margin:0;padding:0;display:grid;gap:8px}
.client-list a{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 16px;padding:12px 16px;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);text-decoration:none;color:var(--text)}
.client-list a:hover{background:#fbfcfd;border-color:#b8c2cf}
.client-list .match{grid-column:1/-1;color:var(--muted);font-size:.92rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.history{list-style:none;margin:0;padding:0}
.history li{padding:8px 0;border-bottom:1px solid var(--line);display:flex;gap:10px;flex-wrap:wrap;align-items:baseline}
.history li:last-child{border-bottom:0}
.audit{list-style:none;margin:0;padding:0;font-size:.92rem}
.audit li{padding:6px 0;border-bottom:1px solid var(--line)}
.audit li:last-child{border-bottom:0}
.slots{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px;margin:14px 0;padding:0;border:0}
.slots label{display:flex;gap:10px;align-items:center;font-weight:500;border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:0;background:#fff;cursor:pointer}
.slots input{width:auto;min-height:0}
.slots label:has(input:checked){border-color:var(--primary);background:var(--blue-bg)}
.row{display:flex;gap:10px;flex-wrap:wrap;align-items:flex-end}
.row > div{flex:1 1 10em}
.buttons{display:flex;gap:10px;flex-wrap:wrap;margin-top:12px}
.feed{overflow-wrap:anywhere;font-size:.9rem}
.marked{color:var(--urgent);font-weight:600}
td.sources{font-size:.85rem}
td.sources ul{margin:4px 0 0;padding-left:1.1em}
.long{color:var(--amber);font-weight:600}
.badge.status-no-show{background:var(--urgent-bg);color:var(--urgent)}
@media (max-width:640px){
  .composer form{flex-direction:column;align-items:stretch}
  .composer textarea{min-height:44px}
  .client-list a{grid-template-columns:1fr}
  .search{flex-direction:column}
}
`;
