// What every handler gets: the connection, the analyses, the settings, the negotiated position
// encoding and a converter for an analysed text.
import type { Connection } from 'vscode-languageserver/node.js';
import type { NnLensSettings } from '../protocol/settings.ts';
import type { DocumentAnalyses, DocumentAnalysis } from './document-analyses.ts';
import type { Logger } from './catch-boundary.ts';
import { LspConverter } from './convert.ts';
import type { PositionEncoding } from './position-encoding.ts';

export interface ClientSupport {
  codeLensRefresh: boolean;
  markdownHover: boolean;
}

export class ServerContext {
  settings: NnLensSettings;
  encoding: PositionEncoding = 'utf-16';
  client: ClientSupport = { codeLensRefresh: false, markdownHover: true };

  constructor(
    readonly connection: Connection,
    readonly analyses: DocumentAnalyses,
    readonly log: Logger,
    settings: NnLensSettings,
    /** The texts of the open `file:` documents, by file path (unsaved edits included). */
    readonly openFileTexts: () => Record<string, string>,
  ) {
    this.settings = settings;
  }

  converter(analysis: DocumentAnalysis): LspConverter {
    return new LspConverter(analysis.uri, analysis.text, this.encoding);
  }
}
