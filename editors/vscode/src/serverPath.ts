// Where the `kql` binary that runs `kql lsp` comes from: the `kqlkit.server.path` setting, else the
// binary bundled in a platform-specific .vsix, else `kql` on PATH. No `vscode` import, so the
// unit tests run it under plain Node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ServerSource = 'setting' | 'bundled' | 'PATH';

export type ServerLookup =
  | { found: true; path: string; source: ServerSource }
  | { found: false; reason: string; fromSetting: boolean };

export interface LookupInput {
  /** The `kqlkit.server.path` setting as the user wrote it ('' when unset). */
  configured: string;
  /** Folder of the installed extension (a bundled binary lives in its `bin/`). */
  extensionDir: string;
  /** First workspace folder, for `${workspaceFolder}` and relative settings. */
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/** The binary's file name on this platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'kql.exe' : 'kql';
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded; relative paths taken from the folder. */
export function expandPath(p: string, workspaceFolder: string | undefined): string {
  let out = p.trim();
  const home = os.homedir();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(home, out.slice(1));
  }
  out = out.replaceAll('${userHome}', home);
  if (workspaceFolder !== undefined) {
    out = out.replaceAll('${workspaceFolder}', workspaceFolder);
    if (!path.isAbsolute(out)) {
      out = path.resolve(workspaceFolder, out);
    }
  }
  return out;
}

function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The first `kql` on PATH (and PATHEXT on Windows), if any. */
export function findOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':');
  for (const dir of dirs.filter((d) => d.length > 0)) {
    const candidate = path.join(dir, binaryName(platform));
    if (isExecutableFile(candidate, platform)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * A bundled binary loses its executable bit in some unzip paths: restore it once, quietly (if
 * that fails, the spawn error says why).
 */
function makeExecutable(p: string): void {
  try {
    fs.chmodSync(p, 0o755);
  } catch {
    // Read-only install: spawning reports the problem.
  }
}

export function findServer(input: LookupInput): ServerLookup {
  if (input.configured.trim() !== '') {
    const p = expandPath(input.configured, input.workspaceFolder);
    if (isExecutableFile(p, input.platform)) {
      return { found: true, path: p, source: 'setting' };
    }
    const why = fs.existsSync(p) ? 'is not an executable file' : 'does not exist';
    return { found: false, reason: `kqlkit.server.path is set to ${p}, which ${why}.`, fromSetting: true };
  }
  const bundled = path.join(input.extensionDir, 'bin', binaryName(input.platform));
  if (fs.existsSync(bundled)) {
    if (!isExecutableFile(bundled, input.platform)) {
      makeExecutable(bundled);
    }
    return { found: true, path: bundled, source: 'bundled' };
  }
  const onPath = findOnPath(input.env, input.platform);
  if (onPath !== undefined) {
    return { found: true, path: onPath, source: 'PATH' };
  }
  return {
    found: false,
    reason: 'No `kql` binary was found: this .vsix bundles none and `kql` is not on PATH.',
    fromSetting: false,
  };
}
