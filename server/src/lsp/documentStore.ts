// Open documents, kept like vscode-languageserver's TextDocuments but as arrays of lines
// (engine/lineDocument.ts: a keystroke never copies the file), plus a hook that sees each raw
// content change: the validation worker gets the edits, not a 3 MB copy of the text per keystroke.
import { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineDocument } from '../engine/lineDocument';

export interface DocumentStoreHooks {
  opened(document: LineDocument): void;
  changed(document: LineDocument, changes: TextDocumentContentChangeEvent[]): void;
  closed(uri: string): void;
}

export class DocumentStore {
  private readonly documents = new Map<string, LineDocument>();

  constructor(private readonly hooks: DocumentStoreHooks) {}

  get(uri: string): LineDocument | undefined {
    return this.documents.get(uri);
  }

  all(): LineDocument[] {
    return [...this.documents.values()];
  }

  listen(connection: Connection): void {
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      const document = new LineDocument(t.uri, t.languageId, t.version, t.text);
      this.documents.set(t.uri, document);
      this.hooks.opened(document);
    });
    connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
      const document = this.documents.get(t.uri);
      if (!document || contentChanges.length === 0) return;
      document.update(contentChanges, t.version ?? document.version + 1);
      this.hooks.changed(document, contentChanges);
    });
    connection.onDidCloseTextDocument(({ textDocument: t }) => {
      if (this.documents.delete(t.uri)) this.hooks.closed(t.uri);
    });
  }
}
