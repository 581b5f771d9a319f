import { formatDuration2004, formatTimespan12, parseDuration2004, parseTimespan12 } from '../../../src/modules/scorm/engine/duration';

describe('parseDuration2004', () => {
  it.each([
    ['PT0S', 0],
    ['PT0H0M0S', 0],
    ['PT1M30S', 90],
    ['PT1H30M5.25S', 5405.25],
    ['PT0.5S', 0.5],
    ['PT90M', 5400],
    ['P1D', 86400],
    ['P1DT2H', 93600],
    ['P1M', 30 * 86400],
    ['P1Y', 365 * 86400],
    ['P5Y6M4DT12H30M58.55S', 5 * 365 * 86400 + 6 * 30 * 86400 + 4 * 86400 + 12 * 3600 + 30 * 60 + 58.55],
    ['PT12345H', 12345 * 3600],
  ])('%s is %d seconds', (value, seconds) => {
    expect(parseDuration2004(value)).toBeCloseTo(seconds, 2);
  });

  it.each([
    [''],
    ['P'],
    ['PT'],
    ['P1DT'],
    ['1H'],
    ['PT1H30'],
    ['PT1.5M'],
    ['PT1.123S'],
    ['P1W'],
    ['-PT1S'],
    ['PT1S '],
    ['pt1s'],
    ['P1H'],
    ['PT1,5S'],
    ['01:30:00'],
  ])('refuses %j', (value) => {
    expect(parseDuration2004(value)).toBeNull();
  });
});

describe('formatDuration2004', () => {
  it.each([
    [0, 'PT0S'],
    [0.004, 'PT0S'],
    [5.5, 'PT5.5S'],
    [90, 'PT1M30S'],
    [3600, 'PT1H'],
    [93784.05, 'PT26H3M4.05S'],
  ])('%d seconds is %s', (seconds, expected) => {
    expect(formatDuration2004(seconds)).toBe(expected);
    expect(parseDuration2004(expected)).toBeCloseTo(Math.round(seconds * 100) / 100, 2);
  });
});

describe('SCORM 1.2 timespans', () => {
  it.each([
    ['00:00:00', 0],
    ['00:01:30.5', 90.5],
    ['0001:02:03.04', 3723.04],
    ['1:00:00', 3600],
    ['12345:00:00', 12345 * 3600],
  ])('parses %s as %d seconds', (value, seconds) => {
    expect(parseTimespan12(value)).toBeCloseTo(seconds, 2);
  });

  it.each([[''], ['00:60:00'], ['00:00:60'], ['00:1:00'], ['00:00:00.123'], ['PT1S'], ['-01:00:00']])('refuses %j', (value) => {
    expect(parseTimespan12(value)).toBeNull();
  });

  it.each([
    [0, '0000:00:00'],
    [90.5, '0000:01:30.5'],
    [3723.04, '0001:02:03.04'],
    [36000000, '10000:00:00'],
  ])('formats %d seconds as %s', (seconds, expected) => {
    expect(formatTimespan12(seconds)).toBe(expected);
    expect(parseTimespan12(expected)).toBeCloseTo(seconds, 2);
  });
});
