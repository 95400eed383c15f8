// The test users file of the loopback IdP: the format it reads, and a specific message, naming the
// place, for each thing it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TEST_USERS, parseTestUsers } from '../../src/features/testIdentityProvider/headless/testUsers';

test('reads users with single and multi-valued attributes', () => {
  const read = parseTestUsers(
    JSON.stringify({
      users: [
        { nameId: 'B.Simon@contoso.com', attributes: { FirstName: 'B', Groups: ['Sales', 'Admins'] } },
        { nameId: 'A.Smith@contoso.com' },
      ],
    }),
  );
  assert.deepEqual(read, {
    ok: true,
    users: [
      {
        nameId: 'B.Simon@contoso.com',
        attributes: [
          { name: 'FirstName', values: ['B'] },
          { name: 'Groups', values: ['Sales', 'Admins'] },
        ],
      },
      { nameId: 'A.Smith@contoso.com', attributes: [] },
    ],
  });
});

test('refuses, each with its own message', () => {
  const cases: Array<[string, RegExp]> = [
    ['{ users: [] }', /^The test users file is not JSON: /],
    ['[{"nameId":"a"}]', /must be an object with a "users" array/],
    ['{"users":[]}', /lists no users/],
    [
      JSON.stringify({ users: Array.from({ length: MAX_TEST_USERS + 1 }, (_, i) => ({ nameId: `u${i}` })) }),
      /lists 201 users; at most 200/,
    ],
    ['{"users":["B.Simon"]}', /^users\[0\] must be an object with "nameId" and "attributes"/],
    ['{"users":[{"nameId":" "}]}', /^users\[0\]\.nameId must be a non-empty string/],
    ['{"users":[{"nameId":"a"},{"nameId":"a"}]}', /^users\[1\]\.nameId a is listed twice/],
    ['{"users":[{"nameId":"a","attributes":["x"]}]}', /^users\[0\]\.attributes must be an object/],
    [
      '{"users":[{"nameId":"a","attributes":{"Age":42}}]}',
      /^users\[0\]\.attributes\.Age must be a string or an array of strings/,
    ],
    ['{"users":[{"nameId":"a","attributes":{" ":"x"}}]}', /^users\[0\]\.attributes has an empty attribute name/],
  ];
  for (const [text, message] of cases) {
    const read = parseTestUsers(text);
    assert.ok(!read.ok, text);
    assert.match(read.message, message, text);
  }
});
