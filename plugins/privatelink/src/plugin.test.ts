import {
  EntityPrivateLinkCard,
  EntityPrivateLinkContent,
  PrivateLinkPage,
  isPrivateLinkAvailable,
  privatelinkPlugin,
} from './index';

describe('privatelink legacy plugin', () => {
  it('exports the plugin with its root route', () => {
    expect(privatelinkPlugin.getId()).toBe('privatelink');
    expect(privatelinkPlugin.routes.root).toBeDefined();
  });

  it('exports the extensions and the entity filter', () => {
    expect(EntityPrivateLinkCard).toEqual(expect.any(Function));
    expect(EntityPrivateLinkContent).toEqual(expect.any(Function));
    expect(PrivateLinkPage).toEqual(expect.any(Function));
    expect(isPrivateLinkAvailable).toEqual(expect.any(Function));
  });
});
