// The settings object sent to the server: unset limits omitted, paths absolute, junk dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVER_KEYS, serverSettings } from '../../src/settings.ts';

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

test('defaults: nothing set sends only the switches and empty lists', () => {
  assert.deepEqual(serverSettings(reader({ select: null, retentionDays: null }), '/w'), {
    schemaFiles: [],
    blocks: false,
    ignore: [],
    inlayHints: true,
  });
});

test('every setting reaches the server under its contract name', () => {
  const got = serverSettings(reader({
    retentionDays: 90,
    maxRows: 5000,
    schemaFiles: ['schema/custom.json', '/abs/s.json'],
    blocks: true,
    select: ['all'],
    ignore: ['short-has-term'],
    inlayHints: false,
  }), '/w');
  assert.deepEqual(got, {
    retentionDays: 90,
    maxRows: 5000,
    schemaFiles: ['/w/schema/custom.json', '/abs/s.json'],
    blocks: true,
    select: ['all'],
    ignore: ['short-has-term'],
    inlayHints: false,
  });
});

test('invalid numbers and blank names are dropped, not sent', () => {
  const got = serverSettings(reader({ retentionDays: 0, maxRows: 1.5, ignore: ['', 'x', 3] }), undefined);
  assert.equal(got.retentionDays, undefined);
  assert.equal(got.maxRows, undefined);
  assert.deepEqual(got.ignore, ['x']);
});

test('every key the server reads is watched for changes', () => {
  const all = serverSettings(reader({ retentionDays: 1, maxRows: 1, select: ['x'] }), undefined);
  assert.deepEqual([...SERVER_KEYS].sort(), Object.keys(all).sort());
});
