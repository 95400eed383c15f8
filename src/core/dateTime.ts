// The one xs:dateTime reader of the project: the validator, the metadata code and the CLI all use it,
// so a timestamp means the same instant everywhere and never depends on the machine's time zone.
//
// Rules (XML Schema 1.0 Part 2 §3.2.7, narrowed by SAML core §1.3.3, which wants UTC):
// - leading and trailing white space is ignored (xs:dateTime collapses white space);
// - the year has exactly four digits (0001-9999): no sign, no expanded years;
// - the date must exist in the proleptic Gregorian calendar (no 30 February, 29 February only in leap years);
// - hours 00-23, minutes and seconds 00-59 (no leap second). 24:00:00 is accepted, as XML Schema 1.0
//   allows, and means 00:00:00 of the next day;
// - a time zone is required: `Z`, or `+hh:mm` / `-hh:mm` up to 14:00, applied exactly;
// - fractional seconds of any length; digits beyond the millisecond are truncated, never rounded.
// Everything is computed with integer arithmetic on the fields: no Date parsing, no local time.

export type DateTimeResult = { ok: true; date: Date } | { ok: false; reason: string };

const SHAPE = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(\.\d*)?(Z|[+-]\d\d:\d\d)?$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const fail = (reason: string): DateTimeResult => ({ ok: false, reason });

/** Reads an xs:dateTime strictly; on failure the reason says what is wrong, e.g. "30 February 2026 does not exist". */
export function parseDateTime(text: string): DateTimeResult {
  const value = text.trim();
  if (value === '') return fail('the value is empty');
  const match = SHAPE.exec(value);
  if (!match) {
    if (/^-/.test(value)) return fail('negative years are not allowed; the year must have four digits');
    if (/^\d+-\d+-\d+$/.test(value)) return fail('it is a date without a time (expected YYYY-MM-DDThh:mm:ssZ)');
    if (/^\d+-\d+-\d+[ t]/.test(value)) return fail('the date and the time must be separated by an upper-case "T"');
    return fail('it is not in the form YYYY-MM-DDThh:mm:ss[.fraction] followed by Z or ±hh:mm');
  }
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone] = match;
  if (yearText.length !== 4) return fail(`the year "${yearText}" must have exactly four digits`);
  for (const [label, field] of [
    ['month', monthText],
    ['day', dayText],
    ['hour', hourText],
    ['minute', minuteText],
    ['second', secondText],
  ] as const) {
    if (field.length !== 2) return fail(`the ${label} "${field}" must have exactly two digits`);
  }
  if (fraction === '.') return fail('the decimal point of the seconds must be followed by digits');
  if (zone === undefined) return fail('it has no time zone (SAML requires UTC: end it with Z)');

  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (year === 0) return fail('year 0000 does not exist in XML Schema 1.0');
  if (month < 1 || month > 12) return fail(`month ${monthText} does not exist`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(
      day >= 1 && day <= 31
        ? `${day} ${MONTHS[month - 1]} ${yearText} does not exist${month === 2 && day === 29 ? ` (${yearText} is not a leap year)` : ''}`
        : `day ${dayText} does not exist`,
    );
  }
  const fractionDigits = fraction ? fraction.slice(1) : '';
  if (hour === 24) {
    if (minute !== 0 || second !== 0 || /[1-9]/.test(fractionDigits))
      return fail('hour 24 is only allowed as 24:00:00 (the end of the day)');
  } else if (hour > 23) return fail(`hour ${hourText} does not exist (00-23)`);
  if (minute > 59) return fail(`minute ${minuteText} does not exist (00-59)`);
  if (second === 60) return fail('second 60 (a leap second) is not allowed');
  if (second > 59) return fail(`second ${secondText} does not exist (00-59)`);

  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneMinutes > 59) return fail(`the time zone ${zone} has ${zone.slice(4, 6)} minutes`);
    if (zoneHours * 60 + zoneMinutes > 14 * 60) return fail(`the time zone ${zone} is beyond ±14:00`);
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const milliseconds = Number(fractionDigits.slice(0, 3).padEnd(3, '0'));
  const epoch =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    milliseconds;
  return { ok: true, date: new Date(epoch) };
}

/** The instant, or undefined when the text is not a strict xs:dateTime (use parseDateTime for the reason). */
export function parseDateTimeOrUndefined(text: string): Date | undefined {
  const result = parseDateTime(text);
  return result.ok ? result.date : undefined;
}
