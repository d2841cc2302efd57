// ESLint flat config: light recommended rules (no type-aware rules, so lint stays fast) plus the
// import-direction invariants of docs/ARCHITECTURE.md. Each boundary is a list of forbidden import
// sources (regular expressions over the import string); every file gets exactly one boundary entry,
// because a later config object's rule options replace an earlier one's instead of merging.
// test/architecture/import-rules.test.ts proves that each rule reports what it should.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const see = 'See docs/ARCHITECTURE.md.';
const relative = String.raw`^\.{1,2}/(.*/)?`;
const forbid = {
  vscode: { regex: String.raw`^vscode(/|$)`, message: `Only extension/ and the server glue may use the VS Code API. ${see}` },
  lsp: { regex: String.raw`^vscode-(languageserver|languageclient|jsonrpc)`, message: `LSP types belong to the server glue (server.ts, handlers/). ${see}` },
  treeSitter: { regex: String.raw`^(web-)?tree-sitter`, message: `tree-sitter nodes never leave language-server/syntax/. ${see}` },
  ourLayers: { regex: `${relative}(language-server|extension|webviews|test|scripts)(/|$)`, message: `runtime/ is a standalone library: it imports nothing else of the project. ${see}` },
  serverGlue: { regex: `${relative}(handlers(/|$)|(server|cli)(\\.[cm]?[jt]s)?$)`, message: `analysis/, syntax/ and eval/ never depend on the LSP glue (server.ts, cli.ts, handlers/). ${see}` },
  packages: { regex: String.raw`^(?!\.{1,2}/)`, message: `webviews/ import only from webviews/ and language-server/protocol/ (no packages). ${see}` },
  outsideWebviews: { regex: `${relative}((runtime|extension|test|scripts|bin|node_modules)(/|$)|language-server(/(?!protocol(/|$))|$))`, message: `webviews/ import only from webviews/ and language-server/protocol/. ${see}` },
  processes: { regex: String.raw`^(node:)?(child_process|cluster|net|tls|http|https|http2|dgram|dns|vm|inspector)(/|$)`, message: `The evaluator never runs user code as code: no processes, network or vm. ${see}` },
  fs: { regex: String.raw`^(node:)?fs(/|$)`, message: `eval/ and syntax/ get source text from their caller (sibling modules through a reader it passes in); no file system. ${see}` },
  runtime: { regex: `${relative}runtime(/|$)`, message: `extension/ is a thin client: it talks to the language server, never to runtime/. ${see}` },
  serverCore: { regex: `${relative}language-server/(analysis|eval|syntax)(/|$)`, message: `extension/ is a thin client: it uses language-server/protocol/, not the analysis. ${see}` },
};

const boundaries = [
  { files: ['runtime/**'], forbidden: [forbid.ourLayers, forbid.vscode, forbid.lsp, forbid.treeSitter, forbid.processes] },
  { files: ['language-server/analysis/**'], forbidden: [forbid.vscode, forbid.lsp, forbid.serverGlue, forbid.treeSitter, forbid.processes] },
  { files: ['language-server/eval/**'], forbidden: [forbid.vscode, forbid.lsp, forbid.serverGlue, forbid.treeSitter, forbid.processes, forbid.fs] },
  { files: ['language-server/syntax/**'], forbidden: [forbid.vscode, forbid.lsp, forbid.serverGlue, forbid.processes, forbid.fs] },
  { files: ['language-server/**'], ignores: ['language-server/{analysis,eval,syntax}/**'], forbidden: [forbid.treeSitter] },
  { files: ['webviews/**'], forbidden: [forbid.packages, forbid.outsideWebviews] },
  { files: ['extension/**'], forbidden: [forbid.runtime, forbid.serverCore, forbid.treeSitter] },
];

// `import()` and `require()` are not covered by no-restricted-imports; this applies the same list to them.
const dynamicImports = {
  meta: { type: 'problem', schema: [{ type: 'array' }], messages: { restricted: "'{{source}}' import is restricted. {{message}}" } },
  create(context) {
    const rules = context.options[0].map((r) => ({ re: new RegExp(r.regex, 'u'), message: r.message }));
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      const hit = rules.find((r) => r.re.test(node.value));
      if (hit) context.report({ node, messageId: 'restricted', data: { source: node.value, message: hit.message } });
    };
    return {
      ImportExpression: (node) => check(node.source),
      'CallExpression[callee.name="require"]': (node) => check(node.arguments[0]),
    };
  },
};

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.bench/**', '.scratch/**', '.test-build/**', '.test-artifacts/**', 'test/corpus/**', 'test/examples/expected/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { nnlens: { rules: { 'no-restricted-dynamic-imports': dynamicImports } } },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['webviews/**'], languageOptions: { globals: { ...globals.browser } } },
  ...boundaries.map(({ files, ignores = [], forbidden }) => {
    const patterns = forbidden.map((f) => ({ regex: f.regex, caseSensitive: true, message: f.message }));
    return {
      files,
      ignores,
      rules: {
        '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
        'nnlens/no-restricted-dynamic-imports': ['error', forbidden],
      },
    };
  }),
);
