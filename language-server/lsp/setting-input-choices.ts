// nnLens.inputShapes as the input choices of one document: the entries whose key names a class
// (or `FILE:Class` naming this file), each remembering its key so hover and CodeLens can say the
// input came from that setting. DocumentAnalyses analyses every document with these, under any
// choice made with nnLens/setInput for the same class.
import { inputShapesForFile, type InputShape } from '../protocol/input-shapes.ts';
import type { InputChoice } from '../handlers/facts/analysed-document.ts';
import { fileNameOf } from './analyze-document.ts';

export function settingInputChoices(entries: Record<string, InputShape>, uri: string): Map<string, InputChoice> {
  const choices = new Map<string, InputChoice>();
  if (Object.keys(entries).length === 0) return choices;
  for (const [className, { input, key }] of inputShapesForFile(entries, fileNameOf(uri))) {
    choices.set(className, input.dtype === 'int64'
      ? { kind: 'randint', shape: input.shape, low: input.low ?? 0, high: input.high ?? 2, setting: key }
      : { kind: 'randn', shape: input.shape, setting: key });
  }
  return choices;
}

/** Whether two documents' choices would analyse the same (what a settings change needs to re-analyse). */
export function sameChoices(a: ReadonlyMap<string, InputChoice>, b: ReadonlyMap<string, InputChoice>): boolean {
  if (a.size !== b.size) return false;
  for (const [cls, choice] of a) {
    if (JSON.stringify(choice) !== JSON.stringify(b.get(cls))) return false;
  }
  return true;
}
