// Preloaded (`node -r`) into @backstage/create-app by the install check: the check talks to loopback and the
// npm registry only, and create-app's one request elsewhere (a yarn.lock seed from raw.githubusercontent.com,
// which it treats as optional) is refused here instead of leaving the machine.
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!loopback.has(url.hostname)) {
    throw new TypeError(`install check: no request to ${url.host} (loopback only)`);
  }
  return realFetch(input, init);
};
