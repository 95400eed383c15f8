// What the generator commands accept in their input boxes, and the message for what they do not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TEST_ATTRIBUTES } from '../../src/core/build/testResponse';
import {
  DEFAULT_REQUESTED_ATTRIBUTES_TEXT,
  defaultAttributeValuesText,
  entityIdProblem,
  parseAttributeValues,
  parseRequestedAttributes,
  parseUrlList,
  urlProblem,
} from '../../src/features/generators/headless/inputs';

test('the default requested attributes are the reference scenario four, with their Entra ID sources', () => {
  const parsed = parseRequestedAttributes(DEFAULT_REQUESTED_ATTRIBUTES_TEXT);
  assert.deepEqual(parsed, {
    ok: true,
    value: [
      { name: 'FirstName', friendlyName: 'user.givenname', isRequired: true },
      { name: 'LastName', friendlyName: 'user.surname', isRequired: true },
      { name: 'Country', friendlyName: 'user.country', isRequired: true },
      { name: 'Email', friendlyName: 'user.userprincipalname', isRequired: true },
    ],
  });
});

const REQUESTED: [string, { name: string; friendlyName?: string }[] | RegExp][] = [
  ['', []],
  ['Email', [{ name: 'Email' }]],
  ['  Email = user.mail ;', [{ name: 'Email', friendlyName: 'user.mail' }]],
  [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress=mail',
    [{ name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', friendlyName: 'mail' }],
  ],
  ['Email; Email=x', /"Email" is listed twice/],
  ['=user.mail', /"=user.mail" has no attribute name/],
  ['First Name=x', /"First Name" contains a space/],
];
for (const [text, expected] of REQUESTED) {
  test(`parseRequestedAttributes(${JSON.stringify(text)})`, () => {
    const parsed = parseRequestedAttributes(text);
    if (expected instanceof RegExp) assert.match((parsed as { message: string }).message, expected);
    else
      assert.deepEqual(parsed, {
        ok: true,
        value: expected.map((entry) => ({ name: entry.name, friendlyName: entry.friendlyName, isRequired: true })),
      });
  });
}

const VALUES: [string, { name: string; values: string[] }[] | RegExp][] = [
  [
    'FirstName=B; LastName=Simon',
    [
      { name: 'FirstName', values: ['B'] },
      { name: 'LastName', values: ['Simon'] },
    ],
  ],
  ['Country=United States', [{ name: 'Country', values: ['United States'] }]],
  ['Group=a; Group=b', [{ name: 'Group', values: ['a', 'b'] }]],
  ['Note=a=b', [{ name: 'Note', values: ['a=b'] }]],
  ['Empty=', [{ name: 'Empty', values: [''] }]],
  ['', []],
  ['Email', /"Email" has no value: write Email=value/],
  ['=x', /has no attribute name/],
];
for (const [text, expected] of VALUES) {
  test(`parseAttributeValues(${JSON.stringify(text)})`, () => {
    const parsed = parseAttributeValues(text);
    if (expected instanceof RegExp) assert.match((parsed as { message: string }).message, expected);
    else assert.deepEqual(parsed, { ok: true, value: expected });
  });
}

test('defaultAttributeValuesText: B.Simon’s values for what the SP requests, empty for unknown names', () => {
  const requested = [{ name: 'FirstName' }, { name: 'LastName' }, { name: 'Country' }, { name: 'Email' }];
  assert.equal(
    defaultAttributeValuesText(requested, DEFAULT_TEST_ATTRIBUTES),
    'FirstName=B; LastName=Simon; Country=United States; Email=B.Simon@contoso.com',
  );
  assert.equal(
    defaultAttributeValuesText([{ name: 'Email' }, { name: 'Department' }], DEFAULT_TEST_ATTRIBUTES),
    'Email=B.Simon@contoso.com; Department=',
  );
  assert.equal(
    defaultAttributeValuesText([], DEFAULT_TEST_ATTRIBUTES),
    'FirstName=B; LastName=Simon; Country=United States; Email=B.Simon@contoso.com',
  );
});

const URL_LISTS: [string, string[] | RegExp][] = [
  ['https://sp.example.com/acs', ['https://sp.example.com/acs']],
  ['https://a.example/acs, http://localhost:3000/acs', ['https://a.example/acs', 'http://localhost:3000/acs']],
  ['', /Enter at least one ACS URL/],
  ['/saml/acs', /\/saml\/acs: The ACS URL must be an absolute URL/],
  ['ftp://sp.example.com/acs', /must start with https:\/\//],
  ['https://a.example/acs https://a.example/acs', /listed twice/],
];
for (const [text, expected] of URL_LISTS) {
  test(`parseUrlList(${JSON.stringify(text)})`, () => {
    const parsed = parseUrlList(text, 'ACS URL');
    if (expected instanceof RegExp) assert.match((parsed as { message: string }).message, expected);
    else assert.deepEqual(parsed, { ok: true, value: expected });
  });
}

test('urlProblem and entityIdProblem', () => {
  assert.equal(urlProblem('https://sp.example.com/logout', 'logout URL'), undefined);
  assert.match(urlProblem('  ', 'logout URL') ?? '', /Enter the logout URL/);
  assert.equal(entityIdProblem('https://www.upwork.com/upwork-enterprise'), undefined);
  assert.equal(entityIdProblem('urn:example:sp'), undefined);
  assert.match(entityIdProblem('') ?? '', /Enter the entityID/);
  assert.match(entityIdProblem('my sp') ?? '', /cannot contain spaces/);
  assert.match(entityIdProblem('upwork-enterprise') ?? '', /must be an absolute URI/);
  assert.match(
    entityIdProblem(`https://x.example/${'a'.repeat(1100)}`) ?? '',
    /at most 1024 characters; this one has 1118/,
  );
});
