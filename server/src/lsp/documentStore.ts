// Open documents, kept like vscode-languageserver's TextDocuments, plus a hook that sees each
// raw content change: the validation worker gets the edits, not a 3 MB copy of the text per keystroke.
import { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

export interface DocumentStoreHooks {
  opened(document: TextDocument): void;
  changed(document: TextDocument, changes: TextDocumentContentChangeEvent[]): void;
  closed(uri: string): void;
}

export class DocumentStore {
  private readonly documents = new Map<string, TextDocument>();

  constructor(private readonly hooks: DocumentStoreHooks) {}

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return [...this.documents.values()];
  }

  listen(connection: Connection): void {
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      const document = TextDocument.create(t.uri, t.languageId, t.version, t.text);
      this.documents.set(t.uri, document);
      this.hooks.opened(document);
    });
    connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
      const document = this.documents.get(t.uri);
      if (!document || contentChanges.length === 0) return;
      TextDocument.update(document, contentChanges, t.version ?? document.version + 1);
      this.hooks.changed(document, contentChanges);
    });
    connection.onDidCloseTextDocument(({ textDocument: t }) => {
      if (this.documents.delete(t.uri)) this.hooks.closed(t.uri);
    });
  }
}
