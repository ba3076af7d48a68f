import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyPatch, INSTALL_SECTION_HEADING, parseInstallSection } from './readme';

const section = (body: string) => `# Title\n\n${INSTALL_SECTION_HEADING}\n\n${body}\n## Next section\n\n\`\`\`sh\nnot in it\n\`\`\`\n`;

describe('parseInstallSection', () => {
  it('reads each block with its directive, in order, and stops at the next section', () => {
    const steps = parseInstallSection(
      section(
        [
          'Text.',
          '<!-- install-check: run -->',
          '```sh',
          'yarn add a \\',
          '  b',
          '```',
          '### A subsection belongs to the section',
          '<!-- install-check: patch packages/backend/src/index.ts -->',
          '```diff',
          '-old',
          '+new',
          '```',
          '<!-- install-check: append app-config.yaml -->',
          '```yaml',
          'a: 1',
          '```',
          '<!-- install-check: create src/x.ts -->',
          '```ts',
          'export {};',
          '```',
          '<!-- install-check: skip shown only -->',
          '```ts',
          'ignored',
          '```',
        ].join('\n'),
      ),
    );
    expect(steps).toEqual([
      { kind: 'run', script: 'yarn add a \\\n  b', line: 6 },
      { kind: 'patch', file: 'packages/backend/src/index.ts', content: '-old\n+new', line: 12 },
      { kind: 'append', file: 'app-config.yaml', content: 'a: 1', line: 17 },
      { kind: 'create', file: 'src/x.ts', content: 'export {};', line: 21 },
      { kind: 'skip', reason: 'shown only', line: 25 },
    ]);
  });

  it.each([
    ['a block without a directive', '```sh\nyarn\n```', /without an <!-- install-check/],
    ['an unknown directive', '<!-- install-check: eval -->\n```sh\nx\n```', /unknown install-check directive "eval"/],
    ['a skip without a reason', '<!-- install-check: skip -->\n```sh\nx\n```', /needs a reason/],
    ['a file outside the app', '<!-- install-check: create ../x.ts -->\n```ts\nx\n```', /must stay inside the app/],
    ['an absolute file', '<!-- install-check: append /etc/passwd -->\n```\nx\n```', /must stay inside the app/],
    ['a directive before text', '<!-- install-check: run -->\nSome text.\n```sh\nx\n```', /not followed by a code block/],
    ['a directive at the end', 'x\n<!-- install-check: run -->\n', /not followed by a code block/],
    ['an unclosed block', '<!-- install-check: run -->\n```sh\nx\n', /not closed/],
  ])('refuses %s', (_name, body, error) => {
    expect(() => parseInstallSection(section(body))).toThrow(error);
  });

  it('refuses a README without the section', () => {
    expect(() => parseInstallSection('# Title\n')).toThrow(/has no section/);
  });

  it("reads this repository's README: packages added by yarn, the backend wired, configuration appended", () => {
    const steps = parseInstallSection(readFileSync(resolve(__dirname, '../../../README.md'), 'utf8'));
    const kinds = steps.map(s => s.kind);
    expect(kinds).toContain('run');
    expect(steps.find(s => s.kind === 'run')).toMatchObject({
      script: expect.stringContaining('@privatelink-backstage/plugin-privatelink-backend'),
    });
    expect(steps).toContainEqual(expect.objectContaining({ kind: 'patch', file: 'packages/backend/src/index.ts' }));
    expect(steps).toContainEqual(expect.objectContaining({ kind: 'append', file: 'app-config.yaml' }));
  });
});

describe('applyPatch', () => {
  const file = ['a', 'b', 'c', 'd', 'backend.start();', ''].join('\n');

  it('replaces removed lines and inserts added ones at their context, hunk by hunk', () => {
    expect(applyPatch(file, ' a\n-b\n+B\n+B2\n@@\n+before start\n backend.start();')).toBe(
      ['a', 'B', 'B2', 'c', 'd', 'before start', 'backend.start();', ''].join('\n'),
    );
  });

  it('ignores trailing spaces on either side', () => {
    expect(applyPatch('a  \nb\n', ' a\n-b   \n+c')).toBe('a\nc\n');
  });

  it.each([
    ['context that is not in the file', ' x\n+y', /matches 0 times/],
    ['context that is there twice', '+y\n z', /matches 2 times/],
    ['lines that are there but not adjacent', ' a\n-c', /matches 0 times/],
    ['a hunk with added lines only', '+y', /at least one context or removed line/],
    ['a line without a prefix', 'a', /without a ' ', '-', '\+' or '@@' prefix/],
  ])('refuses %s', (_name, diff, error) => {
    expect(() => applyPatch(diff.includes(' z') ? 'z\nz\n' : file, diff)).toThrow(error);
  });
});
