// The NN Lens language server: LSP glue only. It keeps the open documents (full sync, versions),
// analyses them through lsp/document-analyses.ts, and routes each LSP method to its handler in
// handlers/, every one inside a catch boundary. Run it with `node dist/server.mjs --stdio` (or
// --node-ipc, as the VS Code extension does), or `nnlens lsp --stdio`.
import { createConnection, ParameterStructures, ProposedFeatures, RequestType, TextDocuments, type CancellationToken, type Connection } from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from './protocol/settings.ts';
import { getTensor as getTensorMethod, getTensorSummary as getTensorSummaryMethod, listModels as listModelsMethod, runForward as runForwardMethod, setInput as setInputMethod } from './protocol/requests.ts';
import { DocumentAnalyses } from './lsp/document-analyses.ts';
import { documentAnalyzer, fileNameOf } from './lsp/analyze-document.ts';
import { notificationBoundary, requestBoundary, type Logger } from './lsp/catch-boundary.ts';
import { ServerContext } from './lsp/server-context.ts';
import { initialize } from './handlers/initialize.ts';
import { hover } from './handlers/hover.ts';
import { codeLens } from './handlers/code-lens.ts';
import { publishAnalysisFailure, publishDiagnostics } from './handlers/publish-diagnostics.ts';
import { listModels } from './handlers/list-models.ts';
import { runForward } from './handlers/run-forward.ts';
import { getTensor, getTensorSummary } from './handlers/get-tensor.ts';
import { setInput } from './handlers/set-input.ts';
import { didChangeConfiguration } from './handlers/did-change-configuration.ts';
import { settingInputChoices } from './lsp/setting-input-choices.ts';

const transportFlags = /^--(stdio|node-ipc|socket(=|$)|pipe(=|$)|clientProcessId)/;

/** Starts the server on the transport named in argv (stdio when none is); resolves when the client says exit. */
export function startServer(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const connection = argv.some((a) => transportFlags.test(a))
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  return serve(connection);
}

export function serve(connection: Connection): Promise<number> {
  const log: Logger = { error: (m) => connection.console.error(m), info: (m) => connection.console.info(m) };
  const documents = new TextDocuments(TextDocument);
  const analyses: DocumentAnalyses = new DocumentAnalyses(
    documentAnalyzer({ openDocumentText: (uri) => documents.get(uri)?.getText() ?? null, torch2Repr: (): boolean => ctx.settings.torch2Repr }),
    {
      analysed: (analysis) => {
        log.info(`analysed ${analysis.uri} v${analysis.version} in ${Math.round(analysis.ms)} ms: ${analysis.report.classes.length} model(s)`);
        publishDiagnostics(ctx, analysis);
      },
      failed: (uri, version, error) => {
        log.error(`analysis of ${uri} (version ${version}) failed: ${error instanceof Error ? error.stack : String(error)}`);
        publishAnalysisFailure(ctx, uri, version, error);
      },
    },
  );
  const openFileTexts = (): Record<string, string> => Object.fromEntries(documents.all()
    .filter((d) => d.uri.startsWith('file:'))
    .map((d) => [fileNameOf(d.uri), d.getText()]));
  const ctx: ServerContext = new ServerContext(connection, analyses, log, defaultSettings, openFileTexts);
  analyses.settingChoices = (uri) => settingInputChoices(ctx.settings.inputShapes, uri);

  connection.onInitialize(requestBoundary('initialize', log, (params) => initialize(ctx, params)));
  documents.onDidOpen(notificationBoundary('textDocument/didOpen', log, (e: { document: TextDocument }) => analyses.open(e.document.uri, e.document.version, e.document.getText())));
  documents.onDidChangeContent(notificationBoundary('textDocument/didChange', log, (e: { document: TextDocument }) => analyses.change(e.document.uri, e.document.version, e.document.getText())));
  documents.onDidClose(notificationBoundary('textDocument/didClose', log, (e: { document: TextDocument }) => {
    analyses.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  }));
  connection.onDidChangeConfiguration(notificationBoundary('workspace/didChangeConfiguration', log, (params) => didChangeConfiguration(ctx, params)));

  // Hover and CodeLens are registered like the custom requests, not through onHover/onCodeLens: those
  // read `params.workDoneToken` before the handler runs, outside its boundary.
  const requests: [string, (params: unknown, token: CancellationToken) => Promise<unknown>][] = [
    ['textDocument/hover', (params, token) => hover(ctx, params, token)],
    ['textDocument/codeLens', (params, token) => codeLens(ctx, params, token)],
    [listModelsMethod.method, (params, token) => listModels(ctx, params, token)],
    [runForwardMethod.method, (params, token) => runForward(ctx, params, token)],
    [getTensorMethod.method, (params, token) => getTensor(ctx, params, token)],
    [getTensorSummaryMethod.method, (params, token) => getTensorSummary(ctx, params, token)],
    [setInputMethod.method, (params, token) => setInput(ctx, params, token)],
  ];
  for (const [method, handler] of requests) {
    // byName: positional (array) or missing params are answered InvalidParams by the connection itself.
    connection.onRequest(new RequestType<unknown, unknown, void>(method, ParameterStructures.byName), requestBoundary(method, log, handler));
  }

  documents.listen(connection);
  const exited = new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  connection.listen();
  return exited;
}
