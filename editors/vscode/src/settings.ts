// The settings object the server reads (initializationOptions, didChangeConfiguration and
// workspace/configuration all carry the same one). Keys left at "unset" are omitted so the
// server falls back to kql.toml, then to Advanced Hunting's limits. No `vscode` import.
import { expandPath } from './serverPath.ts';

export interface ServerSettings {
  retentionDays?: number;
  maxRows?: number;
  schemaFiles: string[];
  blocks: boolean;
  select?: string[];
  ignore: string[];
  inlayHints: boolean;
}

/** Reads one `kqlkit.*` key (as `WorkspaceConfiguration.get` does). */
export type SettingReader = (key: string) => unknown;

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : undefined;
}

export function serverSettings(read: SettingReader, workspaceFolder: string | undefined): ServerSettings {
  const out: ServerSettings = {
    schemaFiles: (strings(read('schemaFiles')) ?? []).map((p) => expandPath(p, workspaceFolder)),
    blocks: read('blocks') === true,
    ignore: strings(read('ignore')) ?? [],
    inlayHints: read('inlayHints') !== false,
  };
  const retentionDays = positiveInt(read('retentionDays'));
  if (retentionDays !== undefined) {
    out.retentionDays = retentionDays;
  }
  const maxRows = positiveInt(read('maxRows'));
  if (maxRows !== undefined) {
    out.maxRows = maxRows;
  }
  const select = strings(read('select'));
  if (select !== undefined) {
    out.select = select;
  }
  return out;
}

/** The `kqlkit.*` keys the server reads: a change to one of them is sent to it. */
export const SERVER_KEYS = [
  'retentionDays', 'maxRows', 'schemaFiles', 'blocks', 'select', 'ignore', 'inlayHints',
] as const;
