// The "KQL: ..." commands. Each asks the server (workspace/executeCommand or a code action) and
// does only the editor side here: clipboard, documents, edits.
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import type { KqlClient } from './client.ts';
import { bodyText } from './requestBody.ts';
import type { SyntaxTreeProvider } from './syntaxTree.ts';

export type Api = 'defender' | 'graph';

const API_NAMES: Record<Api, string> = { defender: 'Defender', graph: 'Graph' };

function kqlEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'kql') {
    void vscode.window.showWarningMessage('KQL: open a KQL file first.');
    return undefined;
  }
  return editor;
}

function runningClient(kql: KqlClient) {
  const client = kql.languageClient;
  if (client === undefined) {
    void vscode.window.showWarningMessage('KQL: the language server is not running (KQL: Restart Server).');
  }
  return client;
}

/** Calls one of the server's commands; errors become a warning and `undefined`. */
async function serverCommand(kql: KqlClient, command: string, args: object): Promise<unknown> {
  const client = runningClient(kql);
  if (client === undefined) {
    return undefined;
  }
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    void vscode.window.showWarningMessage(`KQL: ${why}`);
    return undefined;
  }
}

/**
 * Copies the request body for the selection, else the block at the cursor (blocks mode), else
 * the whole file, and shows it in a notification too.
 */
export async function copyRequestBody(kql: KqlClient, api: Api): Promise<void> {
  const editor = kqlEditor();
  const client = editor === undefined ? undefined : runningClient(kql);
  if (editor === undefined || client === undefined) {
    return;
  }
  const c2p = client.code2ProtocolConverter;
  const args: Record<string, unknown> = {
    uri: c2p.asUri(editor.document.uri),
    api,
    position: c2p.asPosition(editor.selection.active),
  };
  if (!editor.selection.isEmpty) {
    args.range = c2p.asRange(editor.selection);
  }
  const result = await serverCommand(kql, 'kql.requestBody', args);
  if (result === undefined || result === null) {
    return;
  }
  const body = bodyText(result);
  await vscode.env.clipboard.writeText(body);
  const preview = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  void vscode.window.showInformationMessage(`KQL: copied the ${API_NAMES[api]} request body: ${preview}`);
}

export async function showSyntaxTree(kql: KqlClient, trees: SyntaxTreeProvider): Promise<void> {
  const editor = kqlEditor();
  if (editor === undefined || runningClient(kql) === undefined) {
    return;
  }
  const doc = await vscode.workspace.openTextDocument(trees.uriFor(editor.document.uri));
  await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: true,
  });
}

/** Applies the server's `source.fixAll.kql` action (every safe fix) to the active file. */
export async function fixAll(kql: KqlClient): Promise<void> {
  const editor = kqlEditor();
  if (editor === undefined || runningClient(kql) === undefined) {
    return;
  }
  const doc = editor.document;
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const kind = vscode.CodeActionKind.SourceFixAll.append('kql');
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', doc.uri, whole, kind.value, 10)) ?? [];
  const action = actions.find((a) => a.kind !== undefined && kind.contains(a.kind));
  if (action === undefined || (action.edit === undefined && action.command === undefined)) {
    void vscode.window.showInformationMessage('KQL: no fixes to apply.');
    return;
  }
  if (action.edit !== undefined) {
    await vscode.workspace.applyEdit(action.edit);
  }
  if (action.command !== undefined) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}
