// The copied body: the server's answer as compact JSON, the selection as its Query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyText } from '../../src/requestBody.ts';

test('the server body is copied as compact JSON, string or object', () => {
  assert.equal(bodyText({ Query: 'T | take 1' }, undefined), '{"Query":"T | take 1"}');
  assert.equal(bodyText('{"Query": "T"}', undefined), '{"Query":"T"}');
});

test('a selection becomes the Query; other fields stay', () => {
  const server = { Query: 'A | take 1\n\nB | take 2', Timespan: 'P7D' };
  assert.equal(bodyText(server, '  B | take 2\n'), '{"Query":"B | take 2","Timespan":"P7D"}');
});

test('a blank selection or a non-body answer is left alone', () => {
  assert.equal(bodyText({ Query: 'T' }, '   '), '{"Query":"T"}');
  assert.equal(bodyText('not json', 'x'), 'not json');
});
