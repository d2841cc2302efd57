// String literals: plain, raw, bytes, f-strings (nested format specs, conversions, the `=`
// debug specifier) and implicit concatenation, lowered to Constant or JoinedStr as CPython does.

import type { Node } from 'web-tree-sitter';
import type { Constant, Expr, FormattedValue, JoinedStr, Range } from './ast.ts';
import { decodeEscapes } from './decode-escapes.ts';
import { allChildren, fail, field, type LowerContext, optionalField } from './lower-context.ts';

type LowerExpr = (cx: LowerContext, node: Node) => Expr;

interface Flags {
  raw: boolean;
  bytes: boolean;
  fString: boolean;
}

/** A piece of a string literal before concatenation. */
type Part = { kind: 'text'; value: string; range: Range } | { kind: 'value'; node: FormattedValue };

/** `string` or `concatenated_string`. */
export function lowerStrings(cx: LowerContext, node: Node, lowerExpr: LowerExpr): Constant | JoinedStr {
  const pieces = node.type === 'concatenated_string' ? allChildren(node) : [node];
  const parts: Part[] = [];
  let fString = false;
  let bytes = false;
  for (const piece of pieces) {
    if (piece.type !== 'string') fail(piece);
    const flags = stringFlags(cx, piece);
    fString ||= flags.fString;
    bytes ||= flags.bytes;
    parts.push(...stringParts(cx, piece, flags, lowerExpr));
  }
  const range = cx.range(node);
  if (!fString) {
    const value = parts.map((p) => (p.kind === 'text' ? p.value : '')).join('');
    return { kind: 'Constant', value: bytes ? { type: 'bytes', value } : { type: 'str', value }, range };
  }
  return { kind: 'JoinedStr', values: mergeText(parts), range };
}

function stringFlags(cx: LowerContext, node: Node): Flags {
  const start = allChildren(node)[0];
  if (!start || start.type !== 'string_start') fail(node);
  const prefix = /^[A-Za-z]*/.exec(cx.text(start))![0].toLowerCase();
  return { raw: prefix.includes('r'), bytes: prefix.includes('b'), fString: prefix.includes('f') };
}

/**
 * The literal text is taken from the gaps between `string_start`, the replacement fields and
 * the closing quotes, not from `string_content` nodes: tree-sitter-python sometimes folds
 * content into `string_end` (e.g. `r'\\'`).
 */
function stringParts(cx: LowerContext, node: Node, flags: Flags, lowerExpr: LowerExpr): Part[] {
  const children = allChildren(node);
  const open = children[0]!;
  const quote = /['"]+$/.exec(cx.text(open))![0].length;
  const bodyEnd = node.endIndex - quote;
  const parts: Part[] = [];
  let cursor = open.endIndex;
  const text = (end: number) => {
    if (end > cursor) parts.push(textPart(cx, cursor, end, flags));
  };
  for (const child of children) {
    if (child.type !== 'interpolation') continue;
    text(child.startIndex);
    parts.push(...interpolation(cx, child, flags, lowerExpr));
    cursor = child.endIndex;
  }
  text(bodyEnd);
  return parts;
}

function textPart(cx: LowerContext, start: number, end: number, flags: Flags): Part {
  return { kind: 'text', value: literalText(cx.src.text.slice(start, end), flags), range: cx.src.range(start, end) };
}

function literalText(raw: string, flags: Flags): string {
  const text = flags.raw ? raw.replace(/\r\n?/g, '\n') : decodeEscapes(raw, flags.bytes);
  // In f-strings `{{` and `}}` stand for single braces.
  return flags.fString ? text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : text;
}

/** `{expr[=][!c][:spec]}`; the `=` debug form adds the expression's text before the value. */
function interpolation(cx: LowerContext, node: Node, flags: Flags, lowerExpr: LowerExpr): Part[] {
  const exprNode = field(node, 'expression');
  const conversionNode = optionalField(node, 'type_conversion');
  const specNode = optionalField(node, 'format_specifier');
  const children = allChildren(node);
  const equals = children.find((c) => !c.isNamed && c.type === '=' && c.startIndex >= exprNode.endIndex);
  let conversion: FormattedValue['conversion'] = -1;
  if (conversionNode) {
    const c = cx.text(conversionNode).slice(1);
    if (c !== 's' && c !== 'r' && c !== 'a') fail(conversionNode);
    conversion = c;
  }
  const parts: Part[] = [];
  if (equals) {
    // CPython keeps the text from after `{` through `=` and any spaces after it.
    const textEnd = (conversionNode ?? specNode ?? children[children.length - 1]!).startIndex;
    const open = children[0]!;
    parts.push({ kind: 'text', value: cx.src.text.slice(open.endIndex, textEnd), range: cx.src.range(open.endIndex, textEnd) });
    if (conversion === -1 && !specNode) conversion = 'r';
  }
  const formatSpec = specNode ? formatSpecifier(cx, specNode, flags, lowerExpr) : null;
  parts.push({ kind: 'value', node: { kind: 'FormattedValue', value: lowerExpr(cx, exprNode), conversion, formatSpec, range: cx.range(node) } });
  return parts;
}

/** `:spec` after a replacement field: literal text between nested `{...}` fields. */
function formatSpecifier(cx: LowerContext, node: Node, flags: Flags, lowerExpr: LowerExpr): JoinedStr {
  const parts: Part[] = [];
  const children = allChildren(node);
  let cursor = children[0]?.type === ':' ? children[0].endIndex : node.startIndex;
  const pushText = (end: number) => {
    if (end > cursor) {
      parts.push({ kind: 'text', value: literalText(cx.src.text.slice(cursor, end), flags), range: cx.src.range(cursor, end) });
    }
  };
  for (const child of children) {
    if (child.type !== 'format_expression') continue;
    pushText(child.startIndex);
    const conversionNode = optionalField(child, 'type_conversion');
    const conversion = conversionNode ? cx.text(conversionNode).slice(1) : null;
    const specNode = optionalField(child, 'format_specifier');
    parts.push({
      kind: 'value',
      node: {
        kind: 'FormattedValue',
        value: lowerExpr(cx, field(child, 'expression')),
        conversion: conversion === 's' || conversion === 'r' || conversion === 'a' ? conversion : -1,
        formatSpec: specNode ? formatSpecifier(cx, specNode, flags, lowerExpr) : null,
        range: cx.range(child),
      },
    });
    cursor = child.endIndex;
  }
  pushText(node.endIndex);
  return { kind: 'JoinedStr', values: mergeText(parts), range: cx.range(node) };
}

/** Adjacent literal pieces become one Constant, and empty ones disappear, as in CPython. */
function mergeText(parts: Part[]): (Constant | FormattedValue)[] {
  const out: (Constant | FormattedValue)[] = [];
  let pending: { value: string; range: Range } | null = null;
  const flush = () => {
    if (pending && pending.value !== '') out.push({ kind: 'Constant', value: { type: 'str', value: pending.value }, range: pending.range });
    pending = null;
  };
  for (const part of parts) {
    if (part.kind === 'value') {
      flush();
      out.push(part.node);
    } else if (pending) {
      pending = { value: pending.value + part.value, range: { start: pending.range.start, end: part.range.end } };
    } else {
      pending = { value: part.value, range: part.range };
    }
  }
  flush();
  return out;
}
