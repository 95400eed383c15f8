// The strict xs:dateTime reader shared by the validator, the metadata lint and the CLI.
// Every expected instant below was worked out by hand from the fields (offsets applied by hand),
// and the test is run under several TZ values to show the machine's time zone plays no part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstant } from '../../src/cli/commands/validate';
import { parseDateTime } from '../../src/core/dateTime';

const accepted: [input: string, iso: string][] = [
  ['2026-11-29T10:00:00Z', '2026-11-29T10:00:00.000Z'],
  ['  2028-07-19T17:28:34.000Z ', '2028-07-19T17:28:34.000Z'], // xs:dateTime collapses white space
  ['2026-11-29T10:00:00.5+01:30', '2026-11-29T08:30:00.500Z'],
  ['2026-11-29T23:30:00-02:00', '2026-11-30T01:30:00.000Z'],
  ['2026-11-29T10:00:00+05:30', '2026-11-29T04:30:00.000Z'], // Asia/Kolkata
  ['2026-03-01T01:00:00-08:00', '2026-03-01T09:00:00.000Z'], // America/Los_Angeles in winter
  ['2026-11-29T10:00:00+14:00', '2026-11-28T20:00:00.000Z'],
  ['2026-11-29T10:00:00-14:00', '2026-11-30T00:00:00.000Z'],
  ['2026-11-29T10:00:00-00:00', '2026-11-29T10:00:00.000Z'],
  ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'], // divisible by 4
  ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'], // divisible by 400
  ['2024-03-01T00:30:00+01:00', '2024-02-29T23:30:00.000Z'], // an offset crossing into a leap day
  ['2026-11-29T24:00:00Z', '2026-11-30T00:00:00.000Z'], // end of day = next day's midnight
  ['2026-12-31T24:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ['2026-11-29T10:00:00.1Z', '2026-11-29T10:00:00.100Z'],
  ['2026-11-29T10:00:00.123456789Z', '2026-11-29T10:00:00.123Z'],
  ['2026-11-29T10:00:59.9999Z', '2026-11-29T10:00:59.999Z'], // truncated, not rounded into the next second
  ['3001-01-01T00:00:00Z', '3001-01-01T00:00:00.000Z'],
  ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'], // not mapped to 1999
  ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
];

for (const [input, iso] of accepted) {
  test(`parseDateTime(${JSON.stringify(input)}) = ${iso}`, () => {
    const result = parseDateTime(input);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.date.toISOString(), iso);
  });
}

test('parseDateTime: epoch milliseconds of well-known instants', () => {
  const ms = (text: string) => {
    const result = parseDateTime(text);
    assert.ok(result.ok);
    return result.date.getTime();
  };
  assert.equal(ms('1970-01-01T00:00:00Z'), 0);
  assert.equal(ms('2000-01-01T00:00:00Z'), 946_684_800_000);
  assert.equal(ms('1969-12-31T23:59:59.999Z'), -1);
  assert.equal(ms('0001-01-01T00:00:00Z'), -62_135_596_800_000);
  // 2026-03-01 is 20513 days after 1970-01-01: 56 years of 365 days plus 14 leap days (1972…2024), plus 31+28.
  assert.equal(ms('2026-03-01T10:00:00Z'), (20_513 * 86_400 + 10 * 3600) * 1000);
});

const refused: [input: string, reason: RegExp][] = [
  ['2026-11-29T10:00:00', /no time zone/],
  ['2026-11-29T10:00:00.123', /no time zone/],
  ['2026-02-30T00:00:00Z', /^30 February 2026 does not exist$/],
  ['2023-02-29T00:00:00Z', /29 February 2023 does not exist \(2023 is not a leap year\)/],
  ['1900-02-29T00:00:00Z', /1900 is not a leap year/], // divisible by 100, not by 400
  ['2100-02-29T00:00:00Z', /2100 is not a leap year/],
  ['2026-04-31T00:00:00Z', /31 April 2026 does not exist/],
  ['2026-01-32T00:00:00Z', /day 32 does not exist/],
  ['2026-01-00T00:00:00Z', /day 00 does not exist/],
  ['2026-13-01T00:00:00Z', /month 13 does not exist/],
  ['2026-00-01T00:00:00Z', /month 00 does not exist/],
  ['2026-11-29T25:00:00Z', /hour 25 does not exist/],
  ['2026-11-29T24:00:01Z', /hour 24 is only allowed as 24:00:00/],
  ['2026-11-29T24:00:00.5Z', /hour 24 is only allowed as 24:00:00/],
  ['2026-11-29T10:60:00Z', /minute 60 does not exist/],
  ['2026-12-31T23:59:60Z', /leap second/],
  ['2026-11-29T10:00:00+14:30', /beyond ±14:00/],
  ['2026-11-29T10:00:00+05:60', /60 minutes/],
  ['2026-11-29T10:00:00.Z', /decimal point/],
  ['26-11-29T10:00:00Z', /year "26" must have exactly four digits/],
  ['12026-11-29T10:00:00Z', /year "12026" must have exactly four digits/],
  ['-2026-11-29T10:00:00Z', /negative years/],
  ['0000-01-01T00:00:00Z', /year 0000/],
  ['2026-1-29T10:00:00Z', /month "1" must have exactly two digits/],
  ['2026-11-29T1:00:00Z', /hour "1" must have exactly two digits/],
  ['2026-11-29 10:00:00Z', /upper-case "T"/],
  ['2026-11-29t10:00:00Z', /upper-case "T"/],
  ['2026-11-29', /date without a time/],
  ['2026-11-29T10:00Z', /not in the form/],
  ['2026-11-29T10:00:00z', /not in the form/],
  ['2026-11-29T10:00:00+0100', /not in the form/],
  ['Sun, 29 Nov 2026 10:00:00 GMT', /not in the form/], // Date.parse would accept it
  ['1764410400', /not in the form/],
  ['', /empty/],
  ['   ', /empty/],
];

for (const [input, reason] of refused) {
  test(`parseDateTime(${JSON.stringify(input)}) is refused: ${reason.source}`, () => {
    const result = parseDateTime(input);
    assert.equal(result.ok, false, `accepted as ${result.ok ? result.date.toISOString() : ''}`);
    if (!result.ok) assert.match(result.reason, reason);
  });
}

test('the command line reads --now with the same parser', () => {
  assert.equal(parseInstant('2026-11-29T12:00:00+01:00', '--now').toISOString(), '2026-11-29T11:00:00.000Z');
  assert.throws(() => parseInstant('2026-11-29T12:00:00', '--now'), /--now takes an ISO-8601 instant .*no time zone/);
  assert.throws(() => parseInstant('Sun, 29 Nov 2026 12:00:00 GMT', '--now'), /--now takes an ISO-8601 instant/);
});
