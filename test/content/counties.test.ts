import { CountyDirectory, formatDate, type AmbiguousCounty, type CountyMatch } from '../../src/content/counties';
import { ContentError } from '../../src/content/explainers';
import { COUNTIES_FILE } from './fixtures';

const directory = CountyDirectory.load(COUNTIES_FILE);
const ICE_LIST = 'https://www.ice.gov/identify-and-arrest/287g';
const brief = (m: CountyMatch | AmbiguousCounty | undefined) =>
  m === undefined ? undefined : 'ambiguous' in m ? `ambiguous ${m.county}: ${m.ambiguous.join('/')}` : `${m.county}, ${m.state} (${m.entries.length})`;

describe('the 287(g) county file', () => {
  it('lists the 62 counties of New York and the 21 of New Jersey', () => {
    expect([directory.counties('NY').length, directory.counties('NJ').length]).toEqual([62, 21]);
  });

  it('points every entry at a county of its state, with a model, an as-of date and an https source', () => {
    for (const e of directory.entries()) {
      expect(directory.counties(e.state).map((c) => c.name)).toContain(e.county);
      expect(e.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.source).toMatch(/^https:\/\//);
    }
    expect(directory.listUrl).toBe(ICE_LIST);
  });

  it('records no New Jersey agreement (the Immigrant Trust Directive bars them)', () => {
    expect(directory.entries().filter((e) => e.state === 'NJ')).toEqual([]);
  });
});

describe('findCounty', () => {
  it.each([
    ['is Nassau County in 287(g)?', 'Nassau, NY (2)'],
    ['is nassau county in 287g', 'Nassau, NY (2)'],
    ['mi condado en NJ tiene 287g? vivo en el condado de Passaic', 'Passaic, NJ (0)'],
    ['Condado de Rensselaer tiene acuerdo con ICE?', 'Rensselaer, NY (1)'],
    ['st lawrence county 287g', 'St. Lawrence, NY (0)'],
    ['St. Lawrence County', 'St. Lawrence, NY (0)'],
    ['saint lawrence county', 'St. Lawrence, NY (0)'],
    ['vivo en brooklyn, aqui hay 287g?', 'Kings, NY (0)'],
    ['kings county', 'Kings, NY (0)'],
    ['i live in manhattan', 'New York, NY (0)'],
    ['condado de nueva york', 'New York, NY (0)'],
    ['staten island 287g', 'Richmond, NY (0)'],
    ['the bronx', 'Bronx, NY (0)'],
    ['queens tiene 287g?', 'Queens, NY (0)'],
    ['Essex County NJ', 'Essex, NJ (0)'],
    ['condado de essex en nueva york', 'Essex, NY (0)'],
    ['warren county, new jersey', 'Warren, NJ (0)'],
    ['camden nj', 'Camden, NJ (0)'],
    ['orange county ny', 'Orange, NY (0)'],
    ['Niagara', 'Niagara, NY (2)'],
    ['condado de Westchéster', 'Westchester, NY (0)'],
    ['CONDADO DE BERGEN', 'Bergen, NJ (0)'],
    ['nassau or suffolk?', 'Nassau, NY (2)'],
    ['oneida county', 'Oneida, NY (1)'],
  ])('%s → %s', (text, expected) => {
    expect(brief(directory.findCounty(text))).toBe(expected);
  });

  it.each([
    ['essex county 287g', 'ambiguous Essex: NY/NJ'],
    ['condado de warren', 'ambiguous Warren: NY/NJ'],
  ])('%s → %s', (text, expected) => {
    expect(brief(directory.findCounty(text))).toBe(expected);
  });

  it.each([
    'what is 287g?',
    'que es el 287(g)',
    'hola',
    '',
    'i live in new york',
    'new jersey',
    'washington heights ny',
    'union city nj',
    'orange nj',
    'camden',
    'warren',
    'the police stopped me on the street',
    'la migra esta en mi puerta',
    'I am from Colombia',
    'new orleans',
  ])('"%s" names no county', (text) => {
    expect(directory.findCounty(text)).toBeUndefined();
  });

  it('returns the entries of a county that has them, first one as entry', () => {
    const m = directory.findCounty('nassau county') as CountyMatch;
    expect(m.entries.map((e) => [e.agency, e.model])).toEqual([
      ['Nassau County Police Department', 'Task Force Model'],
      ["Nassau County Sheriff's Office", 'Warrant Service Officer'],
    ]);
    expect(m.entry).toBe(m.entries[0]);
  });
});

describe('describeCounty', () => {
  it.each(['en', 'es'] as const)('%s: a county with entries: agencies, models, the as-of date and ICE\'s current list', (lang) => {
    const text = directory.describeCounty(directory.findCounty('nassau county')!, lang);
    expect(text).toContain('Nassau County Police Department');
    expect(text).toContain("Nassau County Sheriff's Office");
    expect(text).toContain(lang === 'en' ? 'as of Jul 18, 2025' : 'al 18 de julio de 2025');
    expect(text).toContain(lang === 'en' ? 'Task Force Model' : 'modelo Task Force');
    expect(text).toContain(ICE_LIST);
    expect([...text].length).toBeLessThanOrEqual(700);
  });

  it.each(['en', 'es'] as const)('%s: a real county without an entry says it does not know, and links the list', (lang) => {
    const text = directory.describeCounty(directory.findCounty('westchester county')!, lang);
    expect(text).toMatch(lang === 'en' ? /I have no verified record of a 287\(g\) agreement in Westchester County/ : /No tengo un dato verificado sobre acuerdos 287\(g\) en el condado de Westchester/);
    expect(text).not.toMatch(/Immigrant Trust Directive|Confianza/);
    expect(text).toContain(ICE_LIST);
  });

  it.each(['en', 'es'] as const)('%s: a New Jersey county adds the Attorney General directive', (lang) => {
    const text = directory.describeCounty(directory.findCounty('condado de Passaic')!, lang);
    expect(text).toMatch(lang === 'en' ? /Immigrant Trust Directive \(a directive, not a statute\)/ : /una directiva, no una ley/);
    expect(text).toContain(ICE_LIST);
  });

  it.each(['en', 'es'] as const)('%s: an ambiguous name asks for the state', (lang) => {
    const text = directory.describeCounty(directory.findCounty('essex county')!, lang);
    expect(text).toBe(
      lang === 'en'
        ? 'There is an *Essex County* in New York and New Jersey. Which one do you mean? Write, for example, "Essex County NJ".'
        : 'Hay un *condado de Essex* en Nueva York y en Nueva Jersey. ¿Cuál de los dos? Escriba, por ejemplo, "condado de Essex NJ".',
    );
  });

  it('stays within 700 characters for every county in both languages', () => {
    const tooLong = directory.counties().flatMap((c) =>
      (['en', 'es'] as const)
        .map((lang) => directory.describeCounty({ county: c.name, state: c.state, entries: directory.entries().filter((e) => e.county === c.name && e.state === c.state) }, lang))
        .filter((t) => [...t].length > 700),
    );
    expect(tooLong).toEqual([]);
  });

  it('formats dates in both languages', () => {
    expect([formatDate('2025-07-18', 'en'), formatDate('2025-07-18', 'es'), formatDate('2020-01-02', 'es')]).toEqual(['Jul 18, 2025', '18 de julio de 2025', '2 de enero de 2020']);
  });
});

describe('CountyDirectory.parse refuses bad files with the file name and the entry', () => {
  const base = (entries: string) => `list_url: ${ICE_LIST}
states:
  NY:
    name: { en: New York, es: Nueva York }
    counties: [Nassau, { name: Kings, aliases: [brooklyn], needs_context: true }]
  NJ:
    name: { en: New Jersey, es: Nueva Jersey }
    counties: [Bergen]
entries:
${entries}`;
  const entry = (over: Record<string, string>) => {
    const e = { county: 'Nassau', state: 'NY', agency: 'Nassau County Police Department', model: 'Task Force Model', status: 'participating', as_of: '2025-07-18', source: ICE_LIST, ...over };
    return `  - ${Object.entries(e).filter(([, v]) => v !== '').map(([k, v]) => `${k}: "${v}"`).join('\n    ')}`;
  };

  it('accepts a good file', () => {
    const d = CountyDirectory.parse(base(entry({})), 'test.yml');
    expect(brief(d.findCounty('brooklyn'))).toBe('Kings, NY (0)');
    expect(brief(d.findCounty('nassau county'))).toBe('Nassau, NY (1)');
  });

  it.each([
    ['unknown county', { county: 'Atlantis' }, /test\.yml: entries\[0\] \(Atlantis\): county must be one of the counties listed for NY/],
    ['county of the other state', { county: 'Bergen' }, /county must be one of the counties listed for NY/],
    ['bad state', { state: 'PA' }, /state must be NY or NJ/],
    ['bad model', { model: 'Street Model' }, /model must be one of/],
    ['bad status', { status: 'maybe' }, /status must be one of: participating, pending, ended/],
    ['no as_of', { as_of: '' }, /as_of must be a date/],
    ['bad as_of', { as_of: 'July 2025' }, /as_of must be a date/],
    ['http source', { source: 'http://example.com' }, /source must be the https:\/\/ address/],
    ['no agency', { agency: '' }, /agency is missing/],
  ])('%s', (_name, over, message) => {
    expect(() => CountyDirectory.parse(base(entry(over)), 'test.yml')).toThrow(ContentError);
    expect(() => CountyDirectory.parse(base(entry(over)), 'test.yml')).toThrow(message);
  });

  it('refuses a state without both languages, a missing list, or a county listed twice', () => {
    expect(() => CountyDirectory.parse(base('  []').replace('{ en: New York, es: Nueva York }', '{ en: New York }'), 't.yml')).toThrow(/states\.NY\.name: needs an English \(en\) and a Spanish \(es\) text/);
    expect(() => CountyDirectory.parse(base('  []').replace(`list_url: ${ICE_LIST}`, ''), 't.yml')).toThrow(/list_url/);
    expect(() => CountyDirectory.parse(base('  []').replace('[Bergen]', '[Bergen, Bergen]'), 't.yml')).toThrow(/Bergen is listed twice/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => CountyDirectory.load('/nonexistent/287g-counties.yml')).toThrow(/\/nonexistent\/287g-counties\.yml: cannot read/);
  });
});
