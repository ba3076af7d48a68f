/**
 * Reads until `done` holds of what was read, or fails after `timeoutMs` naming what it waited for: for what happens
 * on another loop than the test's (the catalog's processing, another replica's event bus), which has no event the
 * test could await.
 */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
