import { ExplainerLibrary, parseExplainer } from '../../src/content/explainers';
import { contentReport, formatContentReport } from '../../src/content/report';
import { main } from '../../src/cli';
import { RESPONSES_DIR } from './fixtures';
import { PassThrough } from 'node:stream';

// The content command reads only responses/: keep the conversation engine (main.ts and what it loads) out of this test.
jest.mock('../../src/main', () => ({}));
jest.mock('../../src/core', () => ({}), { virtual: true });

const file = (reviewed: string | undefined, sections: string, sources = '  - https://example.gov/a\n  - https://example.gov/b\n') =>
  `---\ntitle: T\n${reviewed ? `reviewed: ${reviewed}\n` : ''}sources:\n${sources}---\nMain text.\n${sections}`;

describe('contentReport', () => {
  const library = new ExplainerLibrary([
    parseExplainer(file('2026-12-01', '## a: A\n12345\n## b: B\n1234567890\n'), 'zeta', 'en'),
    parseExplainer(file('2025-01-02', ''), 'alpha', 'es'),
    parseExplainer(file(undefined, '', '  - https://example.gov/c\n'), 'beta', 'en'),
    parseExplainer(file('2025-01-02', ''), 'alpha', 'en'),
  ]);
  const rows = contentReport(library);

  it('sorts missing dates first, then oldest review, then intent and language', () => {
    expect(rows.map((r) => `${r.reviewed ?? '-'} ${r.intent}/${r.lang}`)).toEqual(['- beta/en', '2025-01-02 alpha/en', '2025-01-02 alpha/es', '2026-12-01 zeta/en']);
  });

  it('counts sources, main length, sections and the longest section', () => {
    const zeta = rows[3];
    expect([zeta.sourceCount, zeta.sources, zeta.mainLength, zeta.sectionCount, zeta.longestSection]).toEqual([
      2, ['https://example.gov/a', 'https://example.gov/b'], 'Main text.'.length, 2, { id: 'b', length: 10 },
    ]);
    expect([rows[0].sectionCount, rows[0].longestSection, rows[0].sourceCount]).toEqual([0, undefined, 1]);
  });

  it('prints one aligned line per explainer, marking a missing date', () => {
    const lines = formatContentReport(rows).trimEnd().split('\n');
    expect(lines[0]).toBe('4 explainers, oldest review first; 1 without a reviewed date. Lengths are characters as written; the limit is 700 per main text and per section.');
    expect(lines[2].split(/\s{2,}/)).toEqual(['reviewed', 'intent', 'lang', 'main', 'sections', 'longest', 'sources', 'title']);
    expect(lines[4].split(/\s{2,}/)).toEqual(['MISSING', 'beta', 'en', '10', '0', '-', '1', 'T']);
    expect(lines[7].split(/\s{2,}/)).toEqual(['2026-12-01', 'zeta', 'en', '10', '2', '10 (b)', '2', 'T']);
    expect(lines).toHaveLength(8);
  });

  it('covers every file of responses/', () => {
    expect(contentReport(ExplainerLibrary.load(RESPONSES_DIR))).toHaveLength(ExplainerLibrary.load(RESPONSES_DIR).all().length);
  });
});

describe('npx puente content', () => {
  const run = async (args: string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    const code = await main(['content', ...args], { stdin: new PassThrough(), stdout, stderr });
    return { code, out, err };
  };

  it('prints the table for the real responses/', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^44 explainers, oldest review first\./);
    expect(out).toMatch(/\n2026-12-01\s+urgent_detention\s+es\s+\d+\s+1\s+\d+ \(find\)\s+6\s+Emergencia: ICE o detención\n/);
  });

  it('prints JSON rows with --json', async () => {
    const { code, out } = await run(['--json']);
    const rows = JSON.parse(out) as { intent: string; lang: string; sources: string[] }[];
    expect(code).toBe(0);
    expect(rows.find((r) => r.intent === 'habeas_corpus' && r.lang === 'en')?.sources).toContain('https://www.law.cornell.edu/uscode/text/28/2241');
  });

  it('refuses an unknown option', async () => {
    const { code, err } = await run(['--csv']);
    expect(code).toBe(2);
    expect(err).toMatch(/^puente: .*csv/);
  });
});
