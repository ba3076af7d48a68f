import { TokenBucket, TokenRelease } from './tokenBucket';

/** Lets the promise callbacks that are due run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('TokenBucket', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands out the burst at once, then paces at the refill rate in order', async () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 3, perSecond: 2, now: () => now });
    const granted: number[] = [];
    const takes = Array.from({ length: 6 }, (_, i) =>
      bucket.take().then(release => {
        granted.push(i);
        release();
      }),
    );

    await settle();
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
    await settle();
    expect(granted).toEqual([0, 1]);
  });

  it('refills no further than its capacity less the tokens granted and not released yet', async () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 3, perSecond: 10, now: () => now });
    const releases: TokenRelease[] = [];
    for (let i = 0; i < 3; i++) releases.push(await bucket.take());
    releases[0]();

    // A second later a bucket without holds would be full again (3 tokens); this one holds two places.
    now = 1000;
    await jest.advanceTimersByTimeAsync(1000);
    const granted: number[] = [];
    for (let i = 0; i < 2; i++) void bucket.take().then(() => granted.push(i));
    await settle();
    expect(granted).toEqual([0]);

    // Nothing refills while every place is held, however long it takes.
    now = 10_000;
    await jest.advanceTimersByTimeAsync(9000);
    expect(granted).toEqual([0]);

    // A release makes room again: the next token comes one refill interval later.
    releases[1]();
    now = 10_099;
    await jest.advanceTimersByTimeAsync(99);
    expect(granted).toEqual([0]);
    now = 10_100;
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([0, 1]);
  });

  it('counts a release once however often it is called', async () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 1, perSecond: 10, now: () => now });
    const release = await bucket.take();
    release();
    release();

    now = 60_000;
    await jest.advanceTimersByTimeAsync(60_000);
    const granted: number[] = [];
    for (let i = 0; i < 2; i++) void bucket.take().then(() => granted.push(i));
    await settle();
    expect(granted).toEqual([0]);
  });
});
