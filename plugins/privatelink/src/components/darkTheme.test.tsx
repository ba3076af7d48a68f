import { ReactElement } from 'react';
import { Theme, useTheme } from '@material-ui/core/styles';
import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  SERVICE_NAME,
  consumerComponent,
  makeService,
} from '../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../__testUtils__/renderWithApis';
import { EntityPrivateLinkCard } from './EntityPrivateLinkCard';
import { EntityPrivateLinkConsumerCard } from './EntityPrivateLinkConsumerCard';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';
import { PrivateLinkPage } from './PrivateLinkPage';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

/** The theme the card, tab and page render in. */
let theme: Theme | undefined;
function ThemeProbe() {
  theme = useTheme();
  return null;
}

function render(element: ReactElement, entity?: Entity) {
  return renderWithApis(
    <>
      <ThemeProbe />
      {element}
    </>,
    { api: mockPrivateLinkApi(), role: 'owner', entity },
  );
}

/**
 * The background the plugin's own styles give the chip (jsdom does not weigh the plugin's sheets against MUI's
 * when it computes styles, so this reads the injected rules of the chip's non-MUI classes).
 */
function background(text: string): string | undefined {
  const chip = screen.getByText(text).closest('.MuiChip-root')!;
  const own = Array.from(chip.classList).filter(c => !c.startsWith('Mui'));
  let found: string | undefined;
  for (const sheet of Array.from(document.styleSheets)) {
    for (const rule of Array.from(sheet.cssRules)) {
      if (
        rule instanceof CSSStyleRule &&
        own.some(c => rule.selectorText === `.${c}`) &&
        rule.style.backgroundColor
      ) {
        found = rule.style.backgroundColor;
      }
    }
  }
  return found;
}

/** A colour as the browser writes it computed (`rgb(…)`). */
function computed(colour: string): string {
  const probe = document.createElement('span');
  probe.style.backgroundColor = colour;
  return probe.style.backgroundColor;
}

// The app's theme selector reads the chosen theme from local storage: these render in the dark theme.
describe('in the dark theme', () => {
  beforeEach(() => {
    window.localStorage.setItem('theme', 'dark');
    theme = undefined;
  });
  afterEach(() => window.localStorage.removeItem('theme'));

  it('renders the card with the theme’s colours', async () => {
    render(<EntityPrivateLinkCard />, makeService());
    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
    expect(theme?.palette.type).toBe('dark');
    expect(screen.getByTitle(SERVICE_NAME)).toBeInTheDocument();
    expect(background('Available: 2')).toBe(
      computed(theme!.palette.success.main),
    );
  });

  it('renders the tab with the theme’s colours and no filters toggle', async () => {
    render(<EntityPrivateLinkContent />, makeService());
    const connections = await tableTitled('Connections (3)');
    expect(theme?.palette.type).toBe('dark');
    expect(
      within(connections).getAllByText('Available').length,
    ).toBeGreaterThan(0);
    expect(background('Pending acceptance: 1')).toBe(
      computed(theme!.palette.warning.main),
    );
    expect(screen.queryByText(/Filters/)).not.toBeInTheDocument();
  });

  it('renders the consumer card', async () => {
    render(<EntityPrivateLinkConsumerCard />, consumerComponent);
    expect(
      await screen.findByRole('table', { name: 'Private connections' }),
    ).toBeInTheDocument();
    expect(theme?.palette.type).toBe('dark');
  });

  it('renders the page', async () => {
    render(<PrivateLinkPage />);
    expect(
      await screen.findByRole('heading', { name: 'Your access requests' }),
    ).toBeInTheDocument();
    expect(theme?.palette.type).toBe('dark');
    expect(screen.queryByText(/Filters/)).not.toBeInTheDocument();
  });
});
