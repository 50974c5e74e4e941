import { ContentError, ExplainerLibrary, parseExplainer, render } from '../../src/content/explainers';

const FRONT = '---\ntitle: Habeas corpus\nreviewed: 2026-12-01\nsources:\n  - https://example.gov/a\n';

describe('parseExplainer: the main text and its sections', () => {
  const source = [
    FRONT + 'reminder: Short reminder.\nkeywords:\n  bond: [Bond, "audiencia  de fianza"]\n---',
    'Main text line 1.',
    '',
    'Main text line 2.',
    '',
    '## bond: Bond hearings after the 2025 changes',
    'Bond body.',
    '',
    '## court-2: Arrests at court',
    'Court body,',
    'two lines.',
    '',
  ].join('\n');
  const e = parseExplainer(source, 'habeas_corpus', 'en');

  it('keeps only the text before the first section as the body', () => {
    expect(e.body).toBe('Main text line 1.\n\nMain text line 2.');
  });

  it('reads the sections in file order with id, title and trimmed body', () => {
    expect(e.sections.map((s) => [s.id, s.title, s.body])).toEqual([
      ['bond', 'Bond hearings after the 2025 changes', 'Bond body.'],
      ['court-2', 'Arrests at court', 'Court body,\ntwo lines.'],
    ]);
  });

  it('attaches keywords to their section, lower-cased with single spaces; none for the others', () => {
    expect(e.sections[0].keywords).toEqual(['bond', 'audiencia de fianza']);
    expect(e.sections[1].keywords).toEqual([]);
  });

  it('reads the reminder and the usual front matter', () => {
    expect([e.title, e.reviewed, e.sources, e.reminder]).toEqual(['Habeas corpus', '2026-12-01', ['https://example.gov/a'], 'Short reminder.']);
  });

  it('accepts a file without sections or reminder (the old format)', () => {
    const old = parseExplainer(`${FRONT}---\nJust text.\n`, 'fees', 'es');
    expect([old.body, old.sections, old.reminder]).toEqual(['Just text.', [], undefined]);
  });

  it('handles Windows line endings', () => {
    const crlf = parseExplainer(`${FRONT}---\r\nMain.\r\n\r\n## a: A\r\nBody A.\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'), 'x', 'en');
    expect([crlf.body, crlf.sections.map((s) => [s.id, s.body])]).toEqual(['Main.', [['a', 'Body A.']]]);
  });

  it('does not take "##" without a space, or "###", for a section', () => {
    const e2 = parseExplainer(`${FRONT}---\nMain\n##not a section\n### also not\n`, 'x', 'en');
    expect([e2.body, e2.sections.length]).toEqual(['Main\n##not a section\n### also not', 0]);
  });
});

describe('parseExplainer: malformed files are refused with the file name', () => {
  const cases: [string, string, RegExp][] = [
    ['section line without a colon', `${FRONT}---\nMain\n## bond Bond hearings\nx\n`, /en\/x\.md:8: a section line must read "## <id>: <Title>"/],
    ['upper-case id', `${FRONT}---\nMain\n## Bond: Bond\nx\n`, /section id "Bond" must use lower-case/],
    ['id with an underscore', `${FRONT}---\nMain\n## bond_hearing: Bond\nx\n`, /section id "bond_hearing"/],
    ['missing title', `${FRONT}---\nMain\n## bond:\nx\n`, /section "bond" needs a title/],
    ['empty section', `${FRONT}---\nMain\n## bond: Bond\n\n## court: Court\nx\n`, /section "bond" is empty/],
    ['duplicate id', `${FRONT}---\nMain\n## bond: Bond\nx\n## bond: Again\ny\n`, /section "bond" appears twice/],
    ['no main text', `${FRONT}---\n## bond: Bond\nx\n`, /the main text is empty/],
    ['keywords for an unknown section', `${FRONT}keywords:\n  court: [court]\n---\nMain\n## bond: Bond\nx\n`, /keywords name "court", which is not a section/],
    ['keywords not a list', `${FRONT}keywords:\n  bond: bond\n---\nMain\n## bond: Bond\nx\n`, /keywords for "bond" must be a non-empty list/],
    ['keywords as a list', `${FRONT}keywords: [bond]\n---\nMain\n## bond: Bond\nx\n`, /keywords must map section ids/],
    ['empty reminder', `${FRONT}reminder: "  "\n---\nMain\n`, /reminder must be a non-empty text/],
    ['no front matter', 'Just text', /missing front matter/],
    ['no title', '---\nreviewed: 2026-12-01\n---\nText', /needs a title/],
  ];
  it.each(cases)('%s', (_name, source, message) => {
    expect(() => parseExplainer(source, 'x', 'en')).toThrow(ContentError);
    expect(() => parseExplainer(source, 'x', 'en')).toThrow(message);
  });

  it('names the file given by the loader', () => {
    expect(() => parseExplainer(`${FRONT}---\nMain\n## Bad: x\ny\n`, 'habeas_corpus', 'es', 'es/habeas_corpus.md')).toThrow(/^es\/habeas_corpus\.md:8:/);
  });
});

describe('ExplainerLibrary: sections across languages', () => {
  const make = (lang: 'en' | 'es', ids: string[], keywords = '') =>
    parseExplainer(`${FRONT}${keywords}---\nMain\n${ids.map((id) => `## ${id}: T ${id}\nbody ${id}\n`).join('')}`, 'topic', lang);

  it('finds a section by intent, language and id', () => {
    const lib = new ExplainerLibrary([make('en', ['a', 'b']), make('es', ['a', 'b'])]);
    expect(lib.section('topic', 'es', 'b')?.body).toBe('body b');
    expect(lib.section('topic', 'es', 'zzz')).toBeUndefined();
    expect(lib.section('other', 'en', 'a')).toBeUndefined();
  });

  it('reports languages whose sections differ in ids or order', () => {
    expect(new ExplainerLibrary([make('en', ['a', 'b']), make('es', ['a', 'b'])]).sectionMismatches()).toEqual([]);
    expect(new ExplainerLibrary([make('en', ['a', 'b']), make('es', ['b', 'a'])]).sectionMismatches()).toEqual([
      { intent: 'topic', en: ['a', 'b'], es: ['b', 'a'], problem: 'sections' },
    ]);
  });

  it('reports languages whose keywords name different sections', () => {
    const lib = new ExplainerLibrary([make('en', ['a', 'b'], 'keywords:\n  a: [x]\n'), make('es', ['a', 'b'], 'keywords:\n  b: [y]\n')]);
    expect(lib.sectionMismatches()).toEqual([{ intent: 'topic', en: ['a'], es: ['b'], problem: 'keywords' }]);
  });
});

describe('render still drops lines with an unset placeholder', () => {
  it.each([
    ['set', { 'firm.email': 'a@b.org' }, 'Hi\nYou can also email your question to a@b.org.'],
    ['unset', {}, 'Hi'],
    ['blank', { 'firm.email': '  ' }, 'Hi'],
  ])('%s email', (_name, values, expected) => {
    expect(render('Hi\nYou can also email your question to {{firm.email}}.', values)).toBe(expected);
  });
});
