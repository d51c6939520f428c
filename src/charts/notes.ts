// A study's notes (Study.details, plain text hard-wrapped in the source) parsed into blocks, so the
// HTML report can show them as paragraphs and lists and `hvsim describe` can re-wrap them to the
// terminal. The format, deliberately small:
// - a blank line ends a block;
// - a line starting with "- ", "* " or "• " starts a bullet item, "1. " / "2) " a numbered item; the
//   following lines that are not items continue it;
// - a line starting with a short label and a colon ("Model: ...", "Columns of runs.csv: ...") starts
//   a new paragraph with that label (shown in bold in HTML);
// - any other line continues the current paragraph (hard wraps are joined with a space).
// `code` spans in backticks are kept as text here; renderers decide how to show them.

export type NoteBlock =
  | { readonly kind: 'paragraph'; readonly label?: string; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly string[] };

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
/** "Label: rest": a capitalised label of up to 40 characters without ':', '=' or a sentence's ". ". */
const LABEL = /^([A-Z](?:[^:=.]|\.(?=\S)){0,39}):\s+(.*)$/;

export function parseNotes(text: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  let para: { label?: string; parts: string[] } | undefined;
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = (): void => {
    if (para !== undefined && para.parts.length > 0) {
      const text = para.parts.join(' ');
      blocks.push(
        para.label === undefined ? { kind: 'paragraph', text } : { kind: 'paragraph', label: para.label, text },
      );
    }
    if (list !== undefined) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items });
    para = undefined;
    list = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet === null ? NUMBERED.exec(line) : null;
    const item = bullet ?? numbered;
    if (item !== null) {
      const ordered = numbered !== null;
      if (list === undefined || list.ordered !== ordered) {
        flush();
        list = { ordered, items: [] };
      }
      list.items.push(item[1] ?? '');
      continue;
    }
    if (list !== undefined) {
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last] ?? ''} ${line}`;
      continue;
    }
    const label = LABEL.exec(line);
    if (label !== null) {
      flush();
      para = { label: label[1] ?? '', parts: [label[2] ?? ''] };
      continue;
    }
    if (para === undefined) para = { parts: [] };
    para.parts.push(line);
  }
  flush();
  return blocks;
}

/** Greedy word wrap of one paragraph to `width` columns (a word longer than width gets its own line). */
export function wrapText(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let lineHasWord = false;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && [...candidate].length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  if (lineHasWord) lines.push(line);
  return lines;
}

/** The notes as plain text wrapped to `width` columns: blank lines between blocks, "- " bullets. */
export function notesAsText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const block of parseNotes(text)) {
    if (out.length > 0) out.push('');
    if (block.kind === 'paragraph') {
      out.push(...wrapText(block.label === undefined ? block.text : `${block.label}: ${block.text}`, width));
    } else {
      block.items.forEach((item, i) => {
        const marker = block.ordered ? `${i + 1}. ` : '- ';
        out.push(...wrapText(item, width, ' '.repeat(marker.length), marker));
      });
    }
  }
  return out;
}
