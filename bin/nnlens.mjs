#!/usr/bin/env node
// Entry point of the `nnlens` command: runs the bundled CLI built by `npm run build`.
import fs from 'node:fs';
const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!fs.existsSync(bundle)) {
  console.error('nnlens: dist/cli.mjs is missing; run `npm run build` (`bash scripts/setup.sh` does it when needed).');
  process.exit(2);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
