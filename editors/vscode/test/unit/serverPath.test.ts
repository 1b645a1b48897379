// Where the server binary comes from: setting, bundled, PATH, or a clear reason.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { expandPath, findServer } from '../../src/serverPath.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kqlkit-test-'));
}

function fakeBinary(dir: string, mode = 0o755): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, 'kql');
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
}

const base = { env: { PATH: '' }, platform: 'linux' as const };

test('the setting wins over the bundled binary and PATH', () => {
  const root = tempDir();
  const configured = fakeBinary(path.join(root, 'custom'));
  fakeBinary(path.join(root, 'ext', 'bin'));
  const onPath = path.join(root, 'path');
  fakeBinary(onPath);
  const found = findServer({ ...base, configured, extensionDir: path.join(root, 'ext'), env: { PATH: onPath } });
  assert.deepEqual(found, { found: true, path: configured, source: 'setting' });
});

test('a relative setting is taken from the workspace folder', () => {
  const root = tempDir();
  const bin = fakeBinary(path.join(root, 'target', 'debug'));
  const found = findServer({ ...base, configured: 'target/debug/kql', extensionDir: root, workspaceFolder: root });
  assert.deepEqual(found, { found: true, path: bin, source: 'setting' });
  assert.equal(expandPath('${workspaceFolder}/x', '/w'), '/w/x');
  assert.equal(expandPath('~/bin/kql', undefined), path.join(os.homedir(), 'bin/kql'));
});

test('a setting that names a missing file says so and does not fall back', () => {
  const root = tempDir();
  fakeBinary(path.join(root, 'ext', 'bin'));
  const found = findServer({ ...base, configured: path.join(root, 'nope'), extensionDir: path.join(root, 'ext') });
  assert.equal(found.found, false);
  assert.match(found.found ? '' : found.reason, /kqlkit\.server\.path .*nope, which does not exist/);
  assert.equal(found.found ? undefined : found.fromSetting, true);
});

test('a bundled binary comes before PATH and gets its executable bit back', () => {
  const root = tempDir();
  const bundled = fakeBinary(path.join(root, 'ext', 'bin'), 0o644);
  const onPath = path.join(root, 'path');
  fakeBinary(onPath);
  const found = findServer({ ...base, configured: '', extensionDir: path.join(root, 'ext'), env: { PATH: onPath } });
  assert.deepEqual(found, { found: true, path: bundled, source: 'bundled' });
  assert.equal(fs.statSync(bundled).mode & 0o111, 0o111);
});

test('PATH is searched in order, skipping non-executable files', () => {
  const root = tempDir();
  fakeBinary(path.join(root, 'a'), 0o644);
  const second = fakeBinary(path.join(root, 'b'));
  const env = { PATH: [path.join(root, 'a'), path.join(root, 'b')].join(':') };
  const found = findServer({ ...base, configured: '', extensionDir: path.join(root, 'ext'), env });
  assert.deepEqual(found, { found: true, path: second, source: 'PATH' });
});

test('nothing found gives a reason', () => {
  const found = findServer({ ...base, configured: '  ', extensionDir: tempDir() });
  assert.equal(found.found, false);
  assert.match(found.found ? '' : found.reason, /not on PATH/);
  assert.equal(found.found ? undefined : found.fromSetting, false);
});
