// The README's install section as steps: every fenced block in it carries a directive in the HTML comment
// right above it, so that what the README shows is what the install check applies, and a block without one
// is an error rather than something silently left out.
//
//   <!-- install-check: run -->              a shell block, run in the app's root folder
//   <!-- install-check: patch <file> -->     a diff block: ' ' context, '-' removed and '+' added lines,
//                                            hunks separated by lines starting with '@@'
//   <!-- install-check: append <file> -->    appended to the file
//   <!-- install-check: create <file> -->    a new file with the block as its content
//   <!-- install-check: skip <reason> -->    shown to people, not applied (the reason is required)

/** One step of the README's install section. */
export type InstallStep =
  | { kind: 'run'; script: string; line: number }
  | { kind: 'patch' | 'append' | 'create'; file: string; content: string; line: number }
  | { kind: 'skip'; reason: string; line: number };

/** The heading of the README section that the install check applies. */
export const INSTALL_SECTION_HEADING = '## Installing the plugins into an existing Backstage app';

const DIRECTIVE = /^<!--\s*install-check:\s*(\S+)\s*(.*?)\s*-->$/;
const FENCE = /^(```+|~~~+)/;

/**
 * The steps of the README's install section, in order.
 *
 * @param readme - the README's text
 * @throws when the section is missing, a block has no directive, a directive is unknown or lacks its argument,
 *   a directive is not followed by a block, or a fence is not closed
 */
export function parseInstallSection(readme: string): InstallStep[] {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex(l => l.trim() === INSTALL_SECTION_HEADING);
  if (start < 0) throw new Error(`The README has no section "${INSTALL_SECTION_HEADING}"`);
  // The section ends at the next heading of the same or a higher level (its ### subsections belong to it).
  let end = lines.findIndex((l, i) => i > start && /^##?\s/.test(l));
  if (end < 0) end = lines.length;

  const steps: InstallStep[] = [];
  let pending: { name: string; argument: string; line: number } | undefined;
  for (let i = start + 1; i < end; i++) {
    const text = lines[i].trim();
    const directive = DIRECTIVE.exec(text);
    if (directive) {
      if (pending) throw new Error(`README line ${pending.line}: directive not followed by a code block`);
      pending = { name: directive[1], argument: directive[2], line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const close = lines.findIndex((l, j) => j > i && l.trim() === fence[1]);
      if (close < 0 || close >= end) throw new Error(`README line ${i + 1}: code block is not closed`);
      if (!pending) {
        throw new Error(
          `README line ${i + 1}: a code block of the install section without an <!-- install-check: … --> directive`,
        );
      }
      steps.push(toStep(pending, lines.slice(i + 1, close).join('\n')));
      pending = undefined;
      i = close;
      continue;
    }
    if (pending && text !== '') {
      throw new Error(`README line ${pending.line}: directive not followed by a code block`);
    }
  }
  if (pending) throw new Error(`README line ${pending.line}: directive not followed by a code block`);
  return steps;
}

function toStep(directive: { name: string; argument: string; line: number }, content: string): InstallStep {
  const { name, argument, line } = directive;
  if (name === 'run') return { kind: 'run', script: content, line };
  if (name === 'skip') {
    if (!argument) throw new Error(`README line ${line}: "skip" needs a reason`);
    return { kind: 'skip', reason: argument, line };
  }
  if (name === 'patch' || name === 'append' || name === 'create') {
    if (!argument || argument.includes(' ')) {
      throw new Error(`README line ${line}: "${name}" needs one file path relative to the app's root`);
    }
    if (argument.startsWith('/') || argument.split('/').includes('..')) {
      throw new Error(`README line ${line}: "${argument}" must stay inside the app`);
    }
    return { kind: name, file: argument, content, line };
  }
  throw new Error(`README line ${line}: unknown install-check directive "${name}"`);
}

/**
 * Applies a diff block to a file's text: each hunk's context and removed lines must occur exactly once, in that
 * order and adjacent, and are replaced by its context and added lines. Trailing spaces are ignored.
 *
 * @param text - the file's text
 * @param diff - the block: lines starting with ' ', '-' or '+', hunks separated by lines starting with '@@'
 * @returns the patched text
 * @throws when a hunk does not match exactly once, or a line has no ' ', '-', '+' or '@@' prefix
 */
export function applyPatch(text: string, diff: string): string {
  const hunks: { before: string[]; after: string[] }[] = [{ before: [], after: [] }];
  for (const raw of diff.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.startsWith('@@')) {
      hunks.push({ before: [], after: [] });
      continue;
    }
    const hunk = hunks[hunks.length - 1];
    const body = line.slice(1);
    if (line === '' || line.startsWith(' ')) {
      hunk.before.push(body);
      hunk.after.push(body);
    } else if (line.startsWith('-')) {
      hunk.before.push(body);
    } else if (line.startsWith('+')) {
      hunk.after.push(body);
    } else {
      throw new Error(`patch line without a ' ', '-', '+' or '@@' prefix: ${raw}`);
    }
  }
  let lines = text.split('\n').map(l => l.replace(/\s+$/, ''));
  const matches = (before: string[], at: number) => before.every((b, j) => lines[at + j] === b);
  for (const { before, after } of hunks.filter(h => h.before.length + h.after.length > 0)) {
    if (before.length === 0) throw new Error('a patch hunk needs at least one context or removed line');
    const at: number[] = [];
    for (let i = 0; i + before.length <= lines.length; i++) {
      if (matches(before, i)) at.push(i);
    }
    if (at.length !== 1) {
      throw new Error(
        `patch hunk starting "${before[0]}" matches ${at.length} times (it must match exactly once)`,
      );
    }
    lines = [...lines.slice(0, at[0]), ...after, ...lines.slice(at[0] + before.length)];
  }
  return lines.join('\n');
}
