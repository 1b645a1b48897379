// The language client: starts `kql lsp` over stdio, keeps its stderr in the output channel, and
// says clearly (a notification with what to do) when no server is found or it exits at start.
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { findServer, type ServerLookup } from './serverPath.ts';
import { serverSettings, type ServerSettings } from './settings.ts';

/** Sections the server may ask for with workspace/configuration. */
const SERVER_SECTIONS = new Set(['kql', 'kqlkit']);

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function currentSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('kqlkit');
  return serverSettings((key) => config.get(key), firstFolder());
}

export function lookupServer(extensionDir: string): ServerLookup {
  return findServer({
    configured: vscode.workspace.getConfiguration('kqlkit').get<string>('server.path') ?? '',
    extensionDir,
    workspaceFolder: firstFolder(),
    env: process.env,
    platform: process.platform,
  });
}

/** The last lines a server wrote to stderr, for the "exited at start" notification. */
class StderrTail {
  private lines: string[] = [];
  push(chunk: string): void {
    this.lines.push(...chunk.split(/\r?\n/).filter((l) => l.trim() !== ''));
    this.lines = this.lines.slice(-5);
  }
  last(): string | undefined {
    return this.lines.at(-1);
  }
}

export class KqlClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private process: ChildProcess | undefined;
  private exitCode: number | null | undefined;
  private stderr = new StderrTail();
  readonly output: vscode.LogOutputChannel;
  private readonly extensionDir: string;

  constructor(extensionDir: string) {
    this.extensionDir = extensionDir;
    this.output = vscode.window.createOutputChannel('KQL', { log: true });
  }

  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** Starts a fresh client (and server); failures end in a notification, never a throw. */
  async start(): Promise<void> {
    const lookup = lookupServer(this.extensionDir);
    if (!lookup.found) {
      this.output.error(lookup.reason);
      const advice = lookup.fromSetting
        ? 'Correct the setting, or clear it to use the bundled binary or `kql` on PATH.'
        : 'Install kqlkit\'s `kql` (cargo install --path crates/kql-cli), use a platform-specific .vsix, ' +
          'or set kqlkit.server.path.';
      void this.notify(`KQL: the kqlkit language server was not found. ${lookup.reason} ${advice}`);
      return;
    }
    this.output.info(`Starting ${lookup.path} lsp (from ${lookup.source})`);
    const serverOptions: ServerOptions = () => this.spawnServer(lookup.path);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'kql' },
        { scheme: 'untitled', language: 'kql' },
      ],
      outputChannel: this.output,
      // Our own notifications say what went wrong and what to do; the library's go to the log.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => currentSettings(),
      middleware: {
        workspace: {
          configuration: (params, token, next) => {
            const settings = currentSettings();
            return params.items.some((i) => SERVER_SECTIONS.has(i.section ?? ''))
              ? params.items.map((i) => (SERVER_SECTIONS.has(i.section ?? '') ? settings : null))
              : next(params, token);
          },
        },
      },
    };
    // The id makes vscode-languageclient honour `kqlkit.trace.server`.
    const client = new LanguageClient('kqlkit', 'KQL', serverOptions, clientOptions);
    this.client = client;
    this.quietStartFailures(client);
    try {
      await client.start();
    } catch (err) {
      await this.reportStartFailure(lookup.path, err);
    }
  }

  /**
   * A server that dies before it ever ran is not restarted (five restarts of a binary without
   * `lsp` help nobody): start() then fails and reportStartFailure says why. Once it has run,
   * vscode-languageclient's usual restart policy applies.
   */
  private quietStartFailures(client: LanguageClient): void {
    const usual = client.createDefaultErrorHandler();
    let ran = false;
    client.onDidChangeState((e) => {
      ran ||= e.newState === State.Running;
    });
    client.clientOptions.errorHandler = {
      error: (error, message, count) =>
        (ran ? usual.error(error, message, count) : { action: ErrorAction.Shutdown, handled: true }),
      closed: () => (ran ? usual.closed() : { action: CloseAction.DoNotRestart, handled: true }),
    };
  }

  private async spawnServer(binary: string): Promise<ChildProcess> {
    this.exitCode = undefined;
    this.stderr = new StderrTail();
    // No transport flag: the client owns the pipes, and `kql lsp` speaks on stdio.
    const child = spawn(binary, ['lsp'], {
      cwd: firstFolder(),
      env: { ...process.env, RUST_BACKTRACE: '1' },
      stdio: 'pipe',
    });
    this.process = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.stderr.push(chunk));
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.output.warn(`kql lsp exited (${signal ?? `code ${code}`})`);
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return child;
  }

  private async reportStartFailure(binary: string, err: unknown): Promise<void> {
    // Let the exit event and the last stderr lines arrive before describing the failure.
    await new Promise((r) => setTimeout(r, 300));
    const why = err instanceof Error ? err.message : String(err);
    const exit = this.exitCode !== undefined && this.exitCode !== null ? ` (exit code ${this.exitCode})` : '';
    const said = this.stderr.last();
    this.output.error(`The server failed to start${exit}: ${why}`);
    void this.notify(`KQL: the language server ${binary} exited at start${exit}` +
      `${said !== undefined ? `: ${said}` : `: ${why}`}. ` +
      'It must be a kqlkit `kql` with the `lsp` command; see the KQL output for details, or set kqlkit.server.path.');
  }

  private async notify(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'kqlkit.server.path');
    } else if (choice === 'Show Output') {
      this.output.show();
    }
  }

  /** Sends the settings again after a change (no reload, no restart). */
  async settingsChanged(): Promise<void> {
    const client = this.languageClient;
    if (client !== undefined) {
      await client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { kql: currentSettings() },
      });
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.stop(2000);
      } catch {
        // Already stopped or never started.
      }
      await client.dispose().catch(() => undefined);
    }
    if (this.process !== undefined && this.process.exitCode === null) {
      this.process.kill();
    }
    this.process = undefined;
  }

  dispose(): void {
    void this.stop();
    this.output.dispose();
  }
}
