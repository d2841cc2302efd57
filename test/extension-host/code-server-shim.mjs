#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns
// (`vscodeExecutablePath`): takes VS Code's command line and runs the extension tests in code-server
// instead (./code-server-shim-main.ts). This entry only makes the TypeScript loadable: tsx is
// resolved from this file's location, so it works whatever the caller's working directory is.
import { register } from 'tsx/esm/api';

register();
await import('./code-server-shim-main.ts');
