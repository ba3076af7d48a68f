import { expect, Locator, Page, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { seededService, signIn } from './helpers';

/**
 * The README's screenshots: the service card, the consumer card, the PrivateLink tab and the PrivateLink page,
 * each cropped to the element it shows, in Backstage's light and dark themes, into
 * e2e-test-results/screenshots/readme/<name>-<theme>.png (scripts/update-screenshots.sh copies them to
 * docs/screenshots). Only the demo's seeded state is relied on: whatever other journeys added shows, nothing they
 * did is expected. At the configured 1440 px the tab's and the page's tables must fit: no column is cut off
 * inside their horizontal scroll.
 */

const README_SHOTS = path.resolve(
  __dirname,
  '../../e2e-test-results/screenshots/readme',
);

/** Backstage's default themes, as the AppThemeApi's selector stores their ids in localStorage under `theme`. */
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

/** The APIs whose answers the four views are drawn from. */
const DATA_APIS = /\/api\/(privatelink|permission|catalog)\//;

/** Counts the requests to {@link DATA_APIS} that have not ended, so that a view is shot once its data is in. */
function trackRequests(page: Page) {
  const open = new Set<object>();
  page.on('request', r => {
    if (DATA_APIS.test(r.url())) open.add(r);
  });
  page.on('requestfinished', r => open.delete(r));
  page.on('requestfailed', r => open.delete(r));
  return () => open.size;
}

/** Relative luminance (0 black – 255 white) of the first opaque background at or above the element. */
async function backgroundLuminance(locator: Locator): Promise<number> {
  return locator.evaluate(element => {
    for (let el: Element | null = element; el; el = el.parentElement) {
      const [r, g, b, a = 1] = (
        getComputedStyle(el).backgroundColor.match(/[\d.]+/g) ?? []
      ).map(Number);
      if (a > 0.5) return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }
    return 255; // the browser's own white canvas
  });
}

/** The theme shows: a light page and surface in light, dark ones in dark. */
async function expectTheme(page: Page, surface: Locator, theme: Theme) {
  const body = await backgroundLuminance(page.locator('body'));
  const own = await backgroundLuminance(surface);
  if (theme === 'light') {
    expect(body, 'the light page background').toBeGreaterThan(200);
    expect(own, 'the light background of the element shot').toBeGreaterThan(
      200,
    );
  } else {
    expect(body, 'the dark page background').toBeLessThan(80);
    expect(own, 'the dark background of the element shot').toBeLessThan(100);
  }
}

/**
 * Every table of the area whose content is wider than a box that clips it (the core Table's horizontal scroll,
 * a card): a last column cut off by a few pixels is one of them.
 */
async function clippedTables(area: Locator): Promise<string[]> {
  return area.evaluate(root => {
    const clipped: string[] = [];
    root.querySelectorAll('table').forEach((table, index) => {
      const paper = table.closest('.MuiPaper-root');
      const title =
        paper?.querySelector('h1, h2, h3, h4, h5, h6')?.textContent ??
        table.getAttribute('aria-label') ??
        `table ${index + 1}`;
      const columns = [...table.querySelectorAll('thead th')]
        .map(th => th.textContent?.trim())
        .join(', ');
      for (
        let el = table.parentElement;
        el && el !== root.parentElement;
        el = el.parentElement
      ) {
        if (getComputedStyle(el).overflowX === 'visible') continue;
        if (el.scrollWidth > el.clientWidth + 1) {
          clipped.push(
            `${title} (${columns}): ${el.scrollWidth} px of content in a ${el.clientWidth} px box`,
          );
        }
      }
    });
    return clipped;
  });
}

/**
 * Shoots the element once what it shows has settled: no data request open, and two shots in a row alike (a
 * table that is still laying out, a chip that is still loading, differ). Written as <name>-<theme>.png.
 */
async function readmeShot(
  locator: Locator,
  openRequests: () => number,
  name: string,
  theme: Theme,
) {
  await expect(locator.getByRole('progressbar')).toHaveCount(0);
  await expect
    .poll(openRequests, { message: `data requests still open for ${name}` })
    .toBe(0);
  let previous: Buffer | undefined;
  await expect
    .poll(
      async () => {
        const shot = await locator.screenshot({
          animations: 'disabled',
          caret: 'hide',
        });
        const settled = previous !== undefined && shot.equals(previous);
        previous = shot;
        return settled;
      },
      { message: `${name} keeps changing`, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  fs.mkdirSync(README_SHOTS, { recursive: true });
  fs.writeFileSync(path.join(README_SHOTS, `${name}-${theme}.png`), previous!);
}

for (const theme of THEMES) {
  test(`screenshots (${theme}): the card, the consumer card, the tab and the page, cropped; no table cut off at 1440 px`, async ({
    page,
  }) => {
    expect(page.viewportSize()?.width).toBe(1440);
    const orders = await seededService('orders-api');
    // Before any script of the app: the AppThemeApi reads the stored choice when it starts.
    await page.addInitScript(
      id => window.localStorage.setItem('theme', id),
      theme,
    );
    const openRequests = trackRequests(page);
    await signIn(page);
    expect(
      await page.evaluate(() => window.localStorage.getItem('theme')),
    ).toBe(theme);

    // The service card, on orders-api's Overview.
    await page.goto('/catalog/default/resource/orders-api');
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: orders.serviceName })
      .filter({ hasText: 'Allowed principals' });
    await expect(card).toBeVisible();
    await expect(card.getByText(/^Consumers \(\d+\)$/)).toBeVisible();
    for (const endpointId of orders.consumers)
      await expect(card.getByText(endpointId, { exact: true })).toBeVisible();
    await expect(
      card.getByText(/^(Your access|Access requests)$/),
    ).toBeVisible();
    await expectTheme(page, card, theme);
    await readmeShot(card, openRequests, 'card', theme);

    // The consumer card, on payments-api's Overview: the three services the seed connects it to.
    await page.goto('/catalog/default/component/payments-api');
    const consumerCard = page
      .locator('.MuiCard-root')
      .filter({ hasText: 'Private connections' });
    await expect(consumerCard).toBeVisible();
    for (const name of ['auth-service', 'central-logging', 'orders-api']) {
      await expect(
        consumerCard.getByRole('link', { name, exact: true }),
      ).toBeVisible();
    }
    await expectTheme(page, consumerCard, theme);
    await readmeShot(consumerCard, openRequests, 'consumer-card', theme);

    // The PrivateLink tab of orders-api: its content, without the entity header and the sidebar.
    await page.goto('/catalog/default/resource/orders-api/privatelink');
    const tab = page.locator('main .MuiGrid-container').first();
    await expect(tab.getByText(/^Connections \(\d+\)$/)).toBeVisible();
    for (const endpointId of orders.consumers)
      await expect(tab.getByText(endpointId, { exact: true })).toBeVisible();
    await expect(tab.getByText(/^Allowed principals \(\d+\)$/)).toBeVisible();
    await expect(
      tab.getByText(/^(Your access requests|Access requests)$/),
    ).toBeVisible();
    await expectTheme(page, tab.locator('.MuiPaper-root').first(), theme);
    await readmeShot(tab, openRequests, 'tab', theme);
    expect
      .soft(
        await clippedTables(tab),
        'tables of the PrivateLink tab cut off at 1440 px',
      )
      .toEqual([]);

    // The PrivateLink page: its content, under the page's own header.
    await page.goto('/privatelink');
    const content = page.locator('article').filter({
      has: page.getByRole('heading', {
        name: 'What can I consume privately?',
      }),
    });
    for (const name of [
      'orders-api',
      'auth-service',
      'central-logging',
      'metrics-gateway',
    ]) {
      await expect(
        content.getByRole('link', { name, exact: true }),
      ).toBeVisible();
    }
    await expect(
      content.getByText('Your access requests', { exact: true }),
    ).toBeVisible();
    await expectTheme(page, content.locator('.MuiPaper-root').first(), theme);
    await readmeShot(content, openRequests, 'page', theme);
    expect
      .soft(
        await clippedTables(content),
        'tables of the PrivateLink page cut off at 1440 px',
      )
      .toEqual([]);
  });
}
