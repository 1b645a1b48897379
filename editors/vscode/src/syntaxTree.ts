// "KQL: Show Syntax Tree": a read-only virtual document (kql-syntax-tree:) whose text comes from
// the server's `kql.syntaxTree` command, refreshed as the source changes.
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import type { KqlClient } from './client.ts';

export const TREE_SCHEME = 'kql-syntax-tree';

export class SyntaxTreeProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly kql: KqlClient;

  constructor(kql: KqlClient) {
    this.kql = kql;
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceChanged(e.document.uri)),
    );
  }

  /** The tree document's URI for a source file (the source URI rides in the query). */
  uriFor(source: vscode.Uri): vscode.Uri {
    const name = source.path.split('/').pop() ?? 'query.kql';
    return vscode.Uri.from({ scheme: TREE_SCHEME, path: `/${name}.tree`, query: source.toString() });
  }

  private sourceChanged(source: vscode.Uri): void {
    const tree = this.uriFor(source).toString();
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === tree)) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(vscode.Uri.parse(tree)), 300);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const client = this.kql.languageClient;
    if (client === undefined) {
      return '// The KQL language server is not running.';
    }
    try {
      const tree = await client.sendRequest(ExecuteCommandRequest.type, {
        command: 'kql.syntaxTree',
        arguments: [{ uri: uri.query }],
      });
      return typeof tree === 'string' ? tree : JSON.stringify(tree, null, 2);
    } catch (err) {
      return `// ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
