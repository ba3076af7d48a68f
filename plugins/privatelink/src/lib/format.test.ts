import { formatRelative } from './format';

describe('formatRelative', () => {
  const now = Date.parse('2024-06-10T12:00:00Z');

  it('says how long ago a time was, in the largest whole unit', () => {
    expect(formatRelative('2024-06-10T11:59:30Z', now)).toBe('just now');
    expect(formatRelative('2024-06-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2024-06-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2024-06-09T10:00:00Z', now)).toBe('yesterday');
    expect(formatRelative('2024-06-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2024-05-27T12:00:00Z', now)).toBe('2 weeks ago');
    expect(formatRelative('2024-04-01T12:00:00Z', now)).toBe('2 months ago');
    expect(formatRelative('2022-01-01T12:00:00Z', now)).toBe('2 years ago');
  });

  it('gives the raw value of what is not a time, and nothing for nothing', () => {
    expect(formatRelative('soon', now)).toBe('soon');
    expect(formatRelative(undefined, now)).toBe('');
    expect(formatRelative('', now)).toBe('');
  });
});
