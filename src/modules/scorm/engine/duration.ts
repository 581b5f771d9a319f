const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// SCORM gives no calendar for durations; these are the factors scorm-again uses too, so a
// total computed here matches what the client shows.
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

// SCORM 2004 RTE 4.1.5 timeinterval (second,10,2): P[yY][mM][dD][T[hH][nM][s[.s]S]],
// whole numbers except seconds, which allow at most two decimals. No weeks, no signs.
const DURATION_2004 = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/;

/**
 * Parses a SCORM 2004 duration (`PT1H30M5.25S`, `P1DT2H`) into seconds; null when it is not
 * one. Strict: `P`, `PT`, `PT1.5M`, `P1W` and `-PT1S` are all refused.
 */
export function parseDuration2004(value: string): number | null {
  const match = DURATION_2004.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return null;
  const [, years, months, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return roundCentis(years * YEAR + months * MONTH + days * DAY + hours * HOUR + minutes * MINUTE + seconds);
}

/** Formats seconds as a SCORM 2004 duration in hours, minutes and centiseconds (`PT26H3M0.5S`). */
export function formatDuration2004(totalSeconds: number): string {
  const { hours, minutes, seconds } = split(totalSeconds);
  if (hours === 0 && minutes === 0 && seconds === 0) return 'PT0S';
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
}

// SCORM 1.2 RTE CMITimespan HHHH:MM:SS.SS. The hour field takes any number of digits because
// scorm-again writes longer totals that way; minutes and seconds must be 00-59.
const TIMESPAN_12 = /^(\d+):([0-5]\d):([0-5]\d(?:\.\d{1,2})?)$/;

/** Parses a SCORM 1.2 timespan (`0001:30:05.5`) into seconds; null when it is not one. */
export function parseTimespan12(value: string): number | null {
  const match = TIMESPAN_12.exec(value);
  if (!match) return null;
  return roundCentis(Number(match[1]) * HOUR + Number(match[2]) * MINUTE + Number(match[3]));
}

/** Formats seconds as a SCORM 1.2 timespan with at least four hour digits (`0026:03:00.5`). */
export function formatTimespan12(totalSeconds: number): string {
  const { hours, minutes, seconds } = split(totalSeconds);
  const whole = Math.floor(seconds);
  const fraction = roundCentis(seconds - whole);
  const centis = fraction > 0 ? fraction.toFixed(2).slice(1).replace(/0$/, '') : '';
  return `${String(hours).padStart(4, '0')}:${pad2(minutes)}:${pad2(whole)}${centis}`;
}

function split(totalSeconds: number): { hours: number; minutes: number; seconds: number } {
  const centis = Math.max(0, Math.round(totalSeconds * 100));
  const hours = Math.floor(centis / (HOUR * 100));
  const minutes = Math.floor((centis % (HOUR * 100)) / (MINUTE * 100));
  const seconds = (centis % (MINUTE * 100)) / 100;
  return { hours, minutes, seconds };
}

/** Rounds to centiseconds, the precision both SCORM versions record, so sums do not drift. */
export function roundCentis(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
