// State and helpers shared by the CST → AST lowering functions. Tree-sitter nodes are only ever
// handled inside `syntax/`; everything returned from here is the project's own AST.

import type { Node } from 'web-tree-sitter';
import type { Range } from './ast.ts';
import type { SourceText } from './source-text.ts';

/**
 * Thrown when a CST node does not have the shape the lowering expects (an ERROR or MISSING node
 * inside a statement). The enclosing statement is dropped; the rest of the file still lowers.
 */
export class LowerError extends Error {}

export class LowerContext {
  /** `renamed`: identifiers that were disguised for tree-sitter, by start index (see tree-lower.ts). */
  constructor(readonly src: SourceText, readonly renamed: ReadonlyMap<number, string> = new Map()) {}

  /**
   * Ranges come from tree-sitter's indices. web-tree-sitter parses the JS string as UTF-16, so
   * `startIndex` is already a JS string index; SourceText maps it to a line and UTF-16 column.
   */
  range(node: Node): Range {
    return this.src.range(node.startIndex, node.endIndex);
  }

  rangeOf(first: Node, last: Node): Range {
    return this.src.range(first.startIndex, last.endIndex);
  }

  /** The node's range up to its last token that is not a comment (tree-sitter includes them). */
  rangeWithoutComments(node: Node): Range {
    let last: Node = node;
    for (;;) {
      const children = last.children.filter((c): c is Node => c !== null && c.type !== 'comment' && c.endIndex > c.startIndex);
      const tail = children[children.length - 1];
      if (!tail) break;
      last = tail;
    }
    return this.src.range(node.startIndex, last === node ? node.endIndex : last.endIndex);
  }

  text(node: Node): string {
    return this.src.text.slice(node.startIndex, node.endIndex);
  }

  /** Identifiers are NFKC-normalised, as CPython does when it builds names. */
  identifier(node: Node): string {
    if (node.type !== 'identifier') fail(node);
    const text = this.renamed.get(node.startIndex) ?? this.text(node);
    return /^\p{ASCII}*$/u.test(text) ? text : text.normalize('NFKC');
  }
}

export function fail(node: Node | null): never {
  throw new LowerError(node ? `cannot lower ${node.type} at index ${node.startIndex}` : 'missing node');
}

/** The field's child, which must be present and well-formed. */
export function field(node: Node, name: string): Node {
  const child = node.childForFieldName(name);
  return usable(child) ? child : fail(child ?? node);
}

export function optionalField(node: Node, name: string): Node | null {
  const child = node.childForFieldName(name);
  if (!child) return null;
  return usable(child) ? child : fail(child);
}

function usable(node: Node | null): node is Node {
  return node !== null && !node.isError && !node.isMissing;
}

/** Named children other than comments (tree-sitter's "extras"). */
export function namedChildren(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment' || child.type === 'line_continuation') continue;
    if (child.isError || child.isMissing) fail(child);
    out.push(child);
  }
  return out;
}

/** All children, anonymous tokens included, without comments. */
export function allChildren(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.children) {
    if (!child || child.type === 'comment' || child.type === 'line_continuation') continue;
    if (child.isError || child.isMissing) fail(child);
    out.push(child);
  }
  return out;
}

export function hasToken(node: Node, text: string): boolean {
  return node.children.some((c) => c !== null && !c.isNamed && c.type === text);
}
