// Entry point: wires the client, the settings watcher and the commands together.
import * as vscode from 'vscode';
import { KqlClient } from './client.ts';
import { copyRequestBody, fixAll, showSyntaxTree } from './commands.ts';
import { SERVER_KEYS } from './settings.ts';
import { SyntaxTreeProvider, TREE_SCHEME } from './syntaxTree.ts';

let kql: KqlClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const client = new KqlClient(context.extensionPath);
  kql = client;
  const trees = new SyntaxTreeProvider(client);
  context.subscriptions.push(
    client,
    trees,
    vscode.workspace.registerTextDocumentContentProvider(TREE_SCHEME, trees),
    vscode.commands.registerCommand('kqlkit.copyRequestBodyDefender', () => copyRequestBody(client, 'defender')),
    vscode.commands.registerCommand('kqlkit.copyRequestBodyGraph', () => copyRequestBody(client, 'graph')),
    vscode.commands.registerCommand('kqlkit.showSyntaxTree', () => showSyntaxTree(client, trees)),
    vscode.commands.registerCommand('kqlkit.fixAll', () => fixAll(client)),
    vscode.commands.registerCommand('kqlkit.restartServer', () => client.restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kqlkit.server.path')) {
        void client.restart();
      } else if (SERVER_KEYS.some((k) => e.affectsConfiguration(`kqlkit.${k}`))) {
        void client.settingsChanged();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await kql?.stop();
}
