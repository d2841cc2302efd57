#!/usr/bin/env node
// Runs the test files with node's test runner (TypeScript through tsx).
//
//   node scripts/test.mjs [FILE|DIR ...] [--test-name-pattern PATTERN] [other node --test flags]
//
// Without FILE/DIR it runs every test/**/*.test.ts (node 20 does not expand globs, so the files are
// passed explicitly). The spec reporter prints its failure list after the summary; the summary lines
// (ℹ tests N, ℹ pass N, ℹ fail N, ...) are held back and printed last, so the tail of a log says it all.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const valueFlags = new Set(['--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-timeout',
  '--test-shard', '--test-reporter', '--test-reporter-destination']);

function findTestFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.split(path.sep).includes('node_modules'))
    .sort();
}

const nodeArgs = [];
const selected = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg.startsWith('-')) {
    nodeArgs.push(arg);
    if (valueFlags.has(arg) && i + 1 < argv.length) nodeArgs.push(argv[++i]);
    continue;
  }
  const target = path.resolve(arg);
  if (!fs.existsSync(target)) {
    console.error(`test.mjs: no such test file or directory: ${arg}`);
    process.exit(2);
  }
  selected.push(...(fs.statSync(target).isDirectory() ? findTestFiles(target) : [target]));
}
const files = (argv.some((a) => !a.startsWith('-')) ? selected : findTestFiles(path.join(root, 'test')))
  .map((f) => path.relative(root, f));
if (files.length === 0) {
  console.error('test.mjs: no test files (*.test.ts) found');
  process.exit(1);
}

const env = { ...process.env };
if (process.stdout.isTTY && !('NO_COLOR' in env)) env.FORCE_COLOR ??= '1';
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeArgs, ...files],
  { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });

const summaryLine = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;
const ansi = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex
const summary = [];
let pending = '';
function emit(text, flush) {
  const lines = (pending + text).split('\n');
  pending = flush ? '' : lines.pop();
  const out = [];
  for (const line of lines) (summaryLine.test(line.replace(ansi, '')) ? summary : out).push(line);
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => emit(chunk, false));
child.on('close', (code, signal) => {
  if (pending) emit('', true);
  if (signal) console.log(`test runner killed by ${signal}`);
  if (summary.length) process.stdout.write(summary.join('\n') + '\n');
  process.exitCode = code ?? 1;
});
