import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

/**
 * Stands in for the CLI bundler's package discovery (`app.packages: all`): every frontend plugin in
 * package.json's dependencies is loaded, and for those with an `./alpha` entry point its default export
 * as well, into `window['__@backstage/discovered__']`. The app keeps the default exports that are
 * new-frontend-system features, which is how the PrivateLink plugin (its `/alpha` export) gets in.
 */
function discoverPackagesLikeTheCli() {
  const pkg = require('../package.json');
  return Object.keys(pkg.dependencies ?? {}).flatMap(name => {
    let depPkg: any;
    try {
      depPkg = require(`${name}/package.json`);
    } catch {
      return [];
    }
    if (
      !['frontend-plugin', 'frontend-plugin-module'].includes(
        depPkg.backstage?.role,
      )
    ) {
      return [];
    }
    const entries: { name: string; export?: string; import: string }[] = [
      { name, import: name },
    ];
    if (depPkg.exports && './alpha' in depPkg.exports) {
      entries.push({ name, export: './alpha', import: `${name}/alpha` });
    }
    return entries.flatMap(entry => {
      try {
        return [
          {
            name: entry.name,
            export: entry.export,
            default: require(entry.import).default,
          },
        ];
      } catch {
        // A few published packages only resolve through the bundler's `module` field, not in jest.
        return [];
      }
    });
  });
}

describe('App with discovered packages', () => {
  afterEach(() => {
    delete (window as any)['__@backstage/discovered__'];
  });

  it('discovers the PrivateLink plugin and lists its page in the sidebar', async () => {
    const modules = discoverPackagesLikeTheCli();
    expect(modules).toContainEqual({
      name: '@privatelink-backstage/plugin-privatelink',
      export: './alpha',
      default: expect.objectContaining({
        $$type: '@backstage/FrontendPlugin',
        pluginId: 'privatelink',
      }),
    });
    // Its entity cards come with it: the consumer card shows on the overview of consumers such as payments-api.
    const privatelink = modules.find(
      m =>
        m.name === '@privatelink-backstage/plugin-privatelink' &&
        m.export === './alpha',
    );
    expect(
      privatelink?.default.getExtension('entity-card:privatelink/consumer'),
    ).toBeDefined();
    (window as any)['__@backstage/discovered__'] = { modules };
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'Test',
              packages: 'all',
              // There is no backend to sign in against in this test.
              extensions: [{ 'sign-in-page:app': false }],
            },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    const nav = await screen.findByRole(
      'navigation',
      { name: 'sidebar nav' },
      { timeout: 20_000 },
    );
    const link = await within(nav).findByRole('link', { name: /PrivateLink/ });
    expect(link).toHaveAttribute('href', '/privatelink');

    await userEvent.click(link);
    expect(window.location.pathname).toBe('/privatelink');
    // The page's own content: its table, or the error of loading it when there is no backend.
    await waitFor(
      () =>
        expect(
          screen.getByText(
            /What can I consume privately\?|Could not load the endpoint services/,
          ),
        ).toBeInTheDocument(),
      { timeout: 10_000 },
    );
  }, 60_000);
});
