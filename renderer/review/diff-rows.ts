import { getLang, highlighter } from '@git-diff-view/react';

/** One token of a highlighted line: its text and the highlighter's class (hljs-keyword, ...), or ''. */
export interface DiffToken {
  text: string;
  className: string;
}

/** One row of a drawn window: a hunk header, a context, added or removed line, or git's "no newline" note. */
export interface DiffRow {
  kind: 'hunk' | 'context' | 'added' | 'removed' | 'note';
  oldLine: number | null;
  newLine: number | null;
  tokens: DiffToken[];
}

const HUNK_START = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Colours each line of one side with the diff library's highlighter, the side's lines read as one
 * text so a construct that spans lines keeps its colour. Plain tokens when the language is unknown.
 */
function highlightSide(lines: string[], fileName: string): DiffToken[][] {
  const plain = () => lines.map((text) => [{ text, className: '' }]);
  const lang = getLang(fileName);
  if (lines.length === 0 || !highlighter.hasRegisteredCurrentLang(lang)) return plain();
  const ast = highlighter.getAST(lines.join('\n'), fileName, lang, 'light');
  if (!ast) return plain();
  const { syntaxFileObject } = highlighter.processAST(ast);
  return lines.map((text, index) => {
    const nodes = syntaxFileObject[index + 1]?.nodeList;
    if (!nodes) return [{ text, className: '' }];
    // A line's last node carries its newline; the row is the line.
    return nodes
      .map(({ node, wrapper }) => ({ text: node.value.replace(/\r?\n$/, ''), className: wrapper?.properties?.className?.join(' ') ?? '' }))
      .filter((token) => token.text !== '');
  });
}

/** The rows of one window of a patch (see patchChunks), each line at its own numbers, highlighted. */
export function diffRows(patch: string, oldName: string, newName: string): DiffRow[] {
  const rows: DiffRow[] = [];
  const oldSide: string[] = [];
  const newSide: string[] = [];
  // Which side's highlighted line each row takes its tokens from.
  const source: ({ side: 'old' | 'new'; at: number } | null)[] = [];
  let oldAt = 0;
  let newAt = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const start = HUNK_START.exec(line);
    if (start) {
      oldAt = Number(start[1]) + (start[2] === '0' ? 1 : 0);
      newAt = Number(start[3]) + (start[4] === '0' ? 1 : 0);
      inHunk = true;
      rows.push({ kind: 'hunk', oldLine: null, newLine: null, tokens: [{ text: line, className: '' }] });
      source.push(null);
      continue;
    }
    if (!inHunk || line === '') continue;
    const text = line.slice(1);
    if (line.startsWith('\\')) {
      rows.push({ kind: 'note', oldLine: null, newLine: null, tokens: [{ text: text.trim(), className: '' }] });
      source.push(null);
    } else if (line.startsWith('+')) {
      rows.push({ kind: 'added', oldLine: null, newLine: newAt++, tokens: [] });
      source.push({ side: 'new', at: newSide.push(text) - 1 });
    } else if (line.startsWith('-')) {
      rows.push({ kind: 'removed', oldLine: oldAt++, newLine: null, tokens: [] });
      source.push({ side: 'old', at: oldSide.push(text) - 1 });
    } else {
      rows.push({ kind: 'context', oldLine: oldAt++, newLine: newAt++, tokens: [] });
      oldSide.push(text);
      source.push({ side: 'new', at: newSide.push(text) - 1 });
    }
  }
  const sides = { old: highlightSide(oldSide, oldName), new: highlightSide(newSide, newName) };
  rows.forEach((row, index) => {
    const from = source[index];
    if (from) row.tokens = sides[from.side][from.at]!;
  });
  return rows;
}
