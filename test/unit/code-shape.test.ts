import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Keeps the code readable in one sitting: no function longer than MAX_FUNCTION_LINES and no source file
 * longer than MAX_FILE_LINES (generated code aside). A long function is split along its own steps; a long
 * file by concern (docs/ARCHITECTURE.md).
 */
const MAX_FUNCTION_LINES = 120;
const MAX_FILE_LINES = 500;
const ROOTS = ['src', 'web/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function functionsOf(file: string): { name: string; line: number; lines: number }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = (node as { name?: ts.Node }).name ?? (node.parent as { name?: ts.Node }).name;
      out.push({ name: named?.getText(sf) ?? '(anonymous)', line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const files = ROOTS.flatMap(sourceFiles);

describe('code shape', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it(`has no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) =>
      functionsOf(f)
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => `${f}:${fn.line} ${fn.name} (${fn.lines} lines)`),
    );
    expect(long).toEqual([]);
  });

  it(`has no source file longer than ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > MAX_FILE_LINES)
      .map(([f, n]) => `${f} (${n} lines)`);
    expect(long).toEqual([]);
  });
});
