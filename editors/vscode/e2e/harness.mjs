// The test bench around the checks: a fresh code-server profile with the .vsix installed, the
// server started in its own process group and stopped with it, and the logs a failure needs.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, cmd);
    if (fs.existsSync(p)) {
      return p;
    }
  }
  throw new Error(`${cmd} is not on PATH`);
}

export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** A fresh profile, extensions dir, config and copy of the workspace for one run. */
export function prepare(args, port) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kqlkit-e2e-'));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
    workspace: path.join(root, 'workspace'),
    chrome: path.join(root, 'chrome'),
  };
  fs.cpSync(path.join(here, 'workspace'), dirs.workspace, { recursive: true });
  fs.writeFileSync(dirs.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeJson(path.join(dirs.userData, 'User', 'settings.json'), {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'editor.wordBasedSuggestions': 'off',
    'editor.hover.delay': 200,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // KQLKIT_E2E_TRACE=messages|verbose logs the LSP traffic into the KQL output channel.
    'kqlkit.trace.server': process.env.KQLKIT_E2E_TRACE ?? 'off',
  });
  if (args.kql !== undefined) {
    // A machine-scoped setting: code-server (a remote window) reads it from Machine/settings.json.
    writeJson(path.join(dirs.userData, 'Machine', 'settings.json'), { 'kqlkit.server.path': args.kql });
  }
  return dirs;
}

function codeServerArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

function codeServerEnv() {
  const closed = 'http://127.0.0.1:9';
  return {
    ...process.env,
    // code-server runs on the Node that runs this script (Node 24).
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `${closed}/gallery`,
      itemUrl: `${closed}/items`,
      resourceUrlTemplate: `${closed}/resource/{publisher}/{name}/{version}/{path}`,
    }),
  };
}

const codeServer = path.join(here, 'node_modules', '.bin', 'code-server');

export function installExtension(dirs, vsix) {
  const r = spawnSync(codeServer, [...codeServerArgs(dirs), '--install-extension', vsix],
    { env: codeServerEnv(), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`installing ${vsix} failed:\n${`${r.stdout}\n${r.stderr}`.slice(-2000)}`);
  }
}

/** Starts code-server in its own session, so killing the group ends extension hosts and kql lsp. */
export async function startCodeServer(dirs, port) {
  const log = fs.openSync(path.join(dirs.root, 'code-server.log'), 'w');
  const child = spawn(codeServer, [...codeServerArgs(dirs),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--reconnection-grace-time', '5', dirs.workspace],
  { env: codeServerEnv(), detached: true, stdio: ['ignore', log, log] });
  const ok = await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000, 500);
  if (!ok) {
    throw new Error(`code-server did not answer /healthz:\n${fs.readFileSync(path.join(dirs.root, 'code-server.log'), 'utf8')}`);
  }
  return child;
}

export function stopCodeServer(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/** The language client's output channel and the extension host log (for failures). */
export function extensionHostLogs(dirs) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (/exthost/.test(p) && (/kqlkit\.kqlkit/.test(p) || e.name === 'exthost.log')) {
        out.push(`--- ${path.relative(dirs.userData, p)}\n${fs.readFileSync(p, 'utf8').split('\n').slice(-60).join('\n')}`);
      }
    }
  };
  walk(path.join(dirs.userData, 'logs'));
  return out.join('\n');
}

/** The KQL output channel's log file as text ('' before the extension wrote it). */
export function outputChannelLog(dirs) {
  const logs = path.join(dirs.userData, 'logs');
  const found = fs.existsSync(logs) ? fs.readdirSync(logs, { recursive: true })
    .filter((p) => /kqlkit\.kqlkit[\\/]KQL\.log$/.test(p)) : [];
  return found.map((p) => fs.readFileSync(path.join(logs, p), 'utf8')).join('\n');
}
