// The debounce of DocumentAnalyses follows the document's analysis time (debounceAfter), and a
// burst of edits inside the window still costs one analysis of the last text. The analyzer here
// is a stand-in that takes a chosen time; the real one is covered by the LSP tests.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileReport } from '../../language-server/analysis/report.ts';
import { DEBOUNCE_MS, DocumentAnalyses, debounceAfter, type Analyze, type DocumentAnalysis } from '../../language-server/lsp/document-analyses.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An analyzer that records the texts it saw and takes `ms` of wall time for each. */
function slowAnalyzer(ms: number): { analyze: Analyze; texts: string[] } {
  const texts: string[] = [];
  const analyze: Analyze = async (_uri, text) => {
    texts.push(text);
    await sleep(ms);
    return { report: { classes: [] } as unknown as FileReport, index: { classes: [] } };
  };
  return { analyze, texts };
}

describe('document analyses: debounce', () => {
  it('waits twice the last analysis time, within the bounds', () => {
    assert.equal(debounceAfter(null), DEBOUNCE_MS.max);
    assert.equal(debounceAfter(1), DEBOUNCE_MS.min);
    assert.equal(debounceAfter(40), 80);
    assert.equal(debounceAfter(60.4), 121);
    assert.equal(debounceAfter(500), DEBOUNCE_MS.max);
  });

  it('passes the previous analysis time to the debounce rule', async () => {
    const { analyze } = slowAnalyzer(30);
    const asked: (number | null)[] = [];
    const published: DocumentAnalysis[] = [];
    const analyses = new DocumentAnalyses(analyze, { analysed: (a) => published.push(a), failed: () => {} }, (last) => {
      asked.push(last);
      return 10;
    });
    analyses.open('file:///a.py', 1, 'a = 1\n');
    await analyses.latest('file:///a.py');
    analyses.change('file:///a.py', 2, 'a = 2\n');
    await analyses.latest('file:///a.py');
    assert.equal(asked.length, 1);
    assert.ok(asked[0] !== null && asked[0]! >= 25 && asked[0]! === published[0]!.ms, `asked with ${asked[0]}, first analysis took ${published[0]?.ms}`);
    assert.deepEqual(published.map((a) => a.version), [1, 2]);
  });

  it('coalesces a burst of edits inside the window into one analysis of the last text', async () => {
    const { analyze, texts } = slowAnalyzer(1);
    const analyses = new DocumentAnalyses(analyze, { analysed: () => {}, failed: () => {} }, () => 300);
    analyses.open('file:///b.py', 1, 'b = 0\n');
    await analyses.latest('file:///b.py');
    for (let v = 2; v <= 6; v++) {
      analyses.change('file:///b.py', v, `b = ${v}\n`);
      await sleep(5);
    }
    const last = await analyses.latest('file:///b.py');
    assert.equal(last?.version, 6);
    assert.deepEqual(texts, ['b = 0\n', 'b = 6\n']);
    analyses.close('file:///b.py');
  });
});
