import { TokenBucket } from './tokenBucket';

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands out the burst at once, then paces at the refill rate in order', async () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 3, perSecond: 2, now: () => now });
    const granted: number[] = [];
    const takes = Array.from({ length: 6 }, (_, i) => bucket.take().then(() => granted.push(i)));

    await Promise.resolve();
    await Promise.resolve();
    expect(granted).toEqual([0, 1, 2]);

    now = 500;
    await jest.advanceTimersByTimeAsync(500);
    expect(granted).toEqual([0, 1, 2, 3]);

    now = 1500;
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(takes);
    expect(granted).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refills up to its capacity only', async () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 2, perSecond: 10, now: () => now });
    now = 60_000;
    const granted: number[] = [];
    for (let i = 0; i < 3; i++) void bucket.take().then(() => granted.push(i));
    await Promise.resolve();
    await Promise.resolve();
    expect(granted).toEqual([0, 1]);
  });
});
