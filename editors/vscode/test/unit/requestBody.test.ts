// The copied body: the server's answer as compact JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyText } from '../../src/requestBody.ts';

test('the server body is copied as compact JSON, string or object', () => {
  assert.equal(bodyText({ Query: 'T | take 1' }), '{"Query":"T | take 1"}');
  assert.equal(bodyText('{"Query": "T", "Timespan": "P7D"}'), '{"Query":"T","Timespan":"P7D"}');
});

test('an answer that is not JSON text is copied as it is', () => {
  assert.equal(bodyText('not json'), 'not json');
});
