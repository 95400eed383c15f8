// The test users the loopback IdP offers on its login page, from a workspace JSON file
// (samlLens.testIdentityProvider.usersFile) or, without one, B.Simon of the reference scenario.
//
//   { "users": [ { "nameId": "B.Simon@contoso.com",
//                  "attributes": { "FirstName": "B", "Groups": ["Sales", "Admins"] } } ] }
import type { ResponseAttribute } from '../../../core/build/response';

export interface TestUser {
  readonly nameId: string;
  readonly attributes: readonly ResponseAttribute[];
}

export const DEFAULT_TEST_USERS: readonly TestUser[] = [
  {
    nameId: 'B.Simon@contoso.com',
    attributes: [
      { name: 'FirstName', values: ['B'] },
      { name: 'LastName', values: ['Simon'] },
      { name: 'Country', values: ['US'] },
      { name: 'Email', values: ['B.Simon@contoso.com'] },
    ],
  },
];

/** More would not fit a login page; a directory export is not a test users file. */
export const MAX_TEST_USERS = 200;

export type TestUsersResult = { ok: true; users: TestUser[] } | { ok: false; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a test users file; every problem is named with where it is (users[2].attributes.Email). */
export function parseTestUsers(text: string): TestUsersResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The test users file is not JSON: ${(error as Error).message}.` };
  }
  const list = isObject(json) ? json.users : undefined;
  if (!Array.isArray(list))
    return { ok: false, message: 'The test users file must be an object with a "users" array: { "users": [ … ] }.' };
  if (list.length === 0) return { ok: false, message: 'The test users file lists no users.' };
  if (list.length > MAX_TEST_USERS)
    return { ok: false, message: `The test users file lists ${list.length} users; at most ${MAX_TEST_USERS} fit.` };
  const users: TestUser[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of list.entries()) {
    const where = `users[${index}]`;
    if (!isObject(entry)) return { ok: false, message: `${where} must be an object with "nameId" and "attributes".` };
    const { nameId, attributes = {} } = entry;
    if (typeof nameId !== 'string' || nameId.trim() === '')
      return { ok: false, message: `${where}.nameId must be a non-empty string (the user's NameID).` };
    if (seen.has(nameId)) return { ok: false, message: `${where}.nameId ${nameId} is listed twice.` };
    seen.add(nameId);
    if (!isObject(attributes))
      return { ok: false, message: `${where}.attributes must be an object of attribute names to values.` };
    const read: ResponseAttribute[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      const values = Array.isArray(value) ? value : [value];
      if (name.trim() === '') return { ok: false, message: `${where}.attributes has an empty attribute name.` };
      if (!values.every((v): v is string => typeof v === 'string'))
        return { ok: false, message: `${where}.attributes.${name} must be a string or an array of strings.` };
      read.push({ name, values });
    }
    users.push({ nameId, attributes: read });
  }
  return { ok: true, users };
}
