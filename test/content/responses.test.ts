/**
 * The checks of issue 10 ("Made to last") on the real `responses/` folder: dates, sources, both languages with
 * the same sections, placeholders, phone numbers, the phone-sized length limit, reminders, and the urgent footer.
 */
import { ExplainerLibrary, render, type Explainer } from '../../src/content/explainers';
import { loadPublicNumbers, phoneNumbersIn } from '../../src/content/phones';
import { INTENT_IDS, LANGS } from '../../src/nlu/types';
import { CONVERSATIONAL, KNOWN_PLACEHOLDERS, MAX_CHARS, MAX_REMINDER_CHARS, PUBLIC_NUMBERS_FILE, REALISTIC, RESPONSES_DIR } from './fixtures';

const library = ExplainerLibrary.load(RESPONSES_DIR);
const all = library.all();
const name = (e: Explainer) => `${e.lang}/${e.intent}.md`;
/** Every text a client can receive from a file: main text, each section, and the reminder. */
const texts = (e: Explainer) => [
  { part: 'main text', text: e.body },
  ...e.sections.map((s) => ({ part: `section ${s.id}`, text: s.body })),
  ...(e.reminder ? [{ part: 'reminder', text: e.reminder }] : []),
];

describe('responses/: every explainer', () => {
  it('exists in both languages for every intent of the contract', () => {
    expect(library.missingTranslations()).toEqual([]);
    const present = new Set(all.map((e) => e.intent));
    expect(INTENT_IDS.filter((id) => !present.has(id))).toEqual([]);
  });

  it('has a reviewed date (YYYY-MM-DD) that is not in the future', () => {
    const today = new Date().toISOString().slice(0, 10);
    const bad = all.filter((e) => !e.reviewed || !/^\d{4}-\d{2}-\d{2}$/.test(e.reviewed) || e.reviewed > today).map(name);
    expect(bad).toEqual([]);
  });

  it('cites at least one source: an https:// address, a "firm:" note, or a legal citation', () => {
    expect(all.filter((e) => e.sources.length === 0).map(name)).toEqual([]);
    const bad = all.flatMap((e) => e.sources.filter((s) => /^https?:/.test(s) && !/^https:\/\/\S+$/.test(s)).map((s) => `${name(e)}: ${s}`));
    expect(bad).toEqual([]);
  });

  it('has the same section ids, in the same order, and the same keyword ids, in both languages', () => {
    expect(library.sectionMismatches()).toEqual([]);
  });

  it('uses only known placeholders, written {{name}}', () => {
    const bad = all.flatMap((e) =>
      texts(e).flatMap(({ part, text }) => {
        const used = [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]);
        const unknown = used.filter((p) => !KNOWN_PLACEHOLDERS.includes(p));
        const broken = /[{}]/.test(text.replace(/\{\{\s*[\w.]+\s*\}\}/g, ''));
        return [...unknown.map((p) => `${name(e)} ${part}: {{${p}}}`), ...(broken ? [`${name(e)} ${part}: malformed braces`] : [])];
      }),
    );
    expect(bad).toEqual([]);
  });

  it('leaves no placeholder, "undefined" or empty reply once rendered, with every value set or none', () => {
    const bad = all.flatMap((e) =>
      texts(e).flatMap(({ part, text }) =>
        [REALISTIC, {}].flatMap((values) => {
          const out = render(text, values);
          return out.includes('{{') || out.includes('}}') || /\bundefined\b/.test(out) || (Object.keys(values).length > 0 && out.trim() === '') ? [`${name(e)} ${part}`] : [];
        }),
      ),
    );
    expect(bad).toEqual([]);
  });

  it('writes no phone number except {{firm.phone}} and the verified public numbers', () => {
    const allowed = new Set(loadPublicNumbers(PUBLIC_NUMBERS_FILE).map((n) => n.digits));
    const bad = all.flatMap((e) => [e.title, ...texts(e).map((t) => t.text), ...e.sections.map((s) => s.title)].flatMap((text) => phoneNumbersIn(text).filter((d) => !allowed.has(d)).map((d) => `${name(e)}: ${d}`)));
    expect(bad).toEqual([]);
  });

  it(`keeps the main text and every section within ${MAX_CHARS} characters with realistic values filled in`, () => {
    const tooLong = all.flatMap((e) =>
      [{ part: 'main text', text: e.body }, ...e.sections.map((s) => ({ part: `section ${s.id}`, text: s.body }))]
        .map(({ part, text }) => ({ part, length: [...render(text, REALISTIC)].length }))
        .filter((x) => x.length > MAX_CHARS)
        .map((x) => `${name(e)} ${x.part}: ${x.length}`),
    );
    expect(tooLong).toEqual([]);
  });

  it('gives short menu labels for sections (titles up to 50 characters, one line)', () => {
    const bad = all.flatMap((e) => e.sections.filter((s) => s.title.length > 50 || s.title.includes('\n')).map((s) => `${name(e)} ${s.id}: ${s.title}`));
    expect(bad).toEqual([]);
  });
});

describe('responses/: topic explainers', () => {
  const topics = all.filter((e) => !CONVERSATIONAL.includes(e.intent));

  it('covers every legal topic of the contract', () => {
    expect([...new Set(topics.map((e) => e.intent))].sort()).toEqual(INTENT_IDS.filter((id) => !CONVERSATIONAL.includes(id)).sort());
  });

  it(`each has a reminder of at most ${MAX_REMINDER_CHARS} characters, with realistic values filled in`, () => {
    const bad = topics.filter((e) => !e.reminder || [...render(e.reminder, REALISTIC)].length > MAX_REMINDER_CHARS).map((e) => `${name(e)}: ${e.reminder?.length ?? 'missing'}`);
    expect(bad).toEqual([]);
  });
});

describe('responses/: the urgent reply', () => {
  const footer = { en: '_General information, not legal advice._', es: '_Información general, no asesoría legal._' } as const;

  it.each(LANGS)('%s main text ends with the not-legal-advice footer', (lang) => {
    const body = library.get('urgent_detention', lang)?.body ?? '';
    expect(body.trim().split('\n').pop()).toBe(footer[lang]);
  });

  it.each(LANGS)('%s has a "find" section with the Detainee Locator, the EOIR line and the details to send', (lang) => {
    const find = library.section('urgent_detention', lang, 'find');
    expect(find?.body).toContain('https://locator.ice.gov/odls/');
    expect(find?.body).toContain('1-800-898-7180');
    expect(find?.body).toContain('acis.eoir.justice.gov');
    expect(find?.body).toMatch(lang === 'en' ? /under 18/ : /menores de 18/);
  });

  it.each([
    ['en', [/signed by a judge/, /I-200 or I-205/, /I do not consent/, /Don't run/, /Don't lie/, /false papers/, /Don't sign/, /lawyer/, /alerting our team/]],
    ['es', [/firmada por un juez/, /I-200 o I-205/, /No doy mi consentimiento/, /No corra/, /No mienta/, /papeles falsos/, /No firme/, /abogado/, /avisando a nuestro equipo/]],
  ] as const)('%s main text says what to do right now', (lang, patterns) => {
    const body = library.get('urgent_detention', lang)?.body ?? '';
    for (const p of patterns) expect(body).toMatch(p);
  });
});

describe('responses/: wording fixed by issue 10', () => {
  const text = (intent: string, lang: 'en' | 'es') => {
    const e = library.get(intent, lang);
    return e ? [e.body, ...e.sections.map((s) => s.body), e.reminder ?? ''].join('\n') : '';
  };

  it('never says "free general advice" in English', () => {
    expect(all.filter((e) => e.lang === 'en' && /free general advice/i.test(texts(e).map((t) => t.text).join('\n'))).map(name)).toEqual([]);
  });

  it.each([
    ['negación', /\bnegación\b/], ['Pedirles dinero', /Pedirles dinero/], ['número del carro', /número del carro/], ['entrenados', /entrenad[oa]s/],
    ['abogado penal', /abogado penal/], ['cliente de la firma', /cliente de la firma/],
  ])('Spanish no longer says "%s"', (_word, pattern) => {
    expect(all.filter((e) => e.lang === 'es' && pattern.test(texts(e).map((t) => t.text).join('\n'))).map(name)).toEqual([]);
  });

  it('states the Zadvydas presumption as the Court did, and says it is not release after 6 months', () => {
    expect(text('habeas_corpus', 'en')).toMatch(/first \*6 months\* of detention after the order as presumptively reasonable/);
    expect(text('habeas_corpus', 'en')).toMatch(/does \*not\* mean release after 6 months/);
    expect(text('habeas_corpus', 'es')).toMatch(/\*no\* significa que la suelten a los 6 meses/);
  });

  it.each(LANGS)('%s: bond hearings after Matter of Yajure Hurtado, with habeas as the way to a hearing', (lang) => {
    expect(library.section('habeas_corpus', lang, 'bond')?.body).toMatch(/Yajure Hurtado[\s\S]*(habeas|hábeas)/);
  });

  it.each(LANGS)('%s: the registration carry rule applies to every noncitizen 18+ with registration evidence', (lang) => {
    const papers = library.section('know_your_rights', lang, 'papers')?.body ?? '';
    expect(papers).toContain('1304(e)');
    expect(papers).toMatch(lang === 'en' ? /whatever their status/ : /sea cual sea su estatus/);
    expect(text('know_your_rights', lang)).not.toMatch(/If you have legal status and are 18|Si tiene estatus legal y 18/);
  });

  it.each(LANGS)('%s: courthouse arrests name the Protect Our Courts Act and exclude immigration courts', (lang) => {
    const court = library.section('know_your_rights', lang, 'court')?.body ?? '';
    expect(court).toContain('Protect Our Courts Act');
    expect(court).toMatch(lang === 'en' ? /not\* protect you at immigration courts/ : /\*No\* lo protege en las cortes de inmigración/);
  });

  it.each(LANGS)('%s: the detainer explains both 48-hour rules and the NYC and Wells rules', (lang) => {
    const all = text('ice_detainer', lang);
    for (const s of ['287.7(d)', '48', 'I-200', 'Wells v. DeMarco', '168 A.D.3d 31', '9-131', '14-154']) expect(all).toContain(s);
  });

  it.each(LANGS)('%s: 287(g) officers, the FTCA 6-month rule and Egbert', (lang) => {
    for (const intent of ['civil_rights_lawsuit', 'enforcement_abuse']) {
      const all = text(intent, lang);
      for (const s of ['1357(g)(7)', '2401(b)', 'Egbert v. Boule']) expect(all).toContain(s);
    }
  });

  it.each(LANGS)('%s: oversight offices cut in March 2025, OIDO in complaints, NTA risk in mandamus and delays', (lang) => {
    expect(text('complaint', lang)).toMatch(/OIDO/);
    for (const intent of ['complaint', 'uscis_delay']) expect(text(intent, lang)).toMatch(/2025/);
    for (const intent of ['mandamus', 'uscis_delay']) expect(text(intent, lang)).toMatch(/Notice to Appear|Notificación de Comparecencia/);
  });

  it('puts the congressional inquiry back in Spanish', () => {
    expect(text('uscis_delay', 'es')).toMatch(/congresista/);
    expect(text('uscis_delay', 'es')).toMatch(/consulta del Congreso/);
  });

  it.each(LANGS)('%s: New Jersey bars 287(g) agreements by an Attorney General directive, not a statute', (lang) => {
    expect(text('about_287g', lang)).toMatch(lang === 'en' ? /bars police from entering, renewing or extending 287\(g\)[\s\S]*|a directive, not a statute/ : /una directiva, no una ley/);
  });

  it.each(['fees', 'human', 'consultation_book'])('%s offers the email line in both languages', (intent) => {
    expect(library.get(intent, 'en')?.body).toContain('You can also email your question to {{firm.email}}.');
    expect(library.get(intent, 'es')?.body).toContain('También puede enviar su pregunta por correo a {{firm.email}}.');
  });
});
