import { mockApis } from '@backstage/frontend-test-utils';
import {
  EntityPrivateLinkCard,
  EntityPrivateLinkConsumerCard,
  EntityPrivateLinkContent,
  PrivateLinkClient,
  PrivateLinkPage,
  isPrivateLinkAvailable,
  isPrivateLinkConsumerAvailable,
  privatelinkApiRef,
  privatelinkPlugin,
} from './index';

describe('privatelink legacy plugin', () => {
  it('exports the plugin with its root route', () => {
    expect(privatelinkPlugin.getId()).toBe('privatelink');
    expect(privatelinkPlugin.routes.root).toBeDefined();
  });

  it('registers the PrivateLink client', () => {
    const [factory, ...others] = Array.from(privatelinkPlugin.getApis());
    expect(others).toEqual([]);
    expect(factory.api).toBe(privatelinkApiRef);
    expect(
      factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: mockApis.fetch(),
      }),
    ).toBeInstanceOf(PrivateLinkClient);
  });

  it('exports the extensions and the entity filter', () => {
    expect(EntityPrivateLinkCard).toEqual(expect.any(Function));
    expect(EntityPrivateLinkConsumerCard).toEqual(expect.any(Function));
    expect(EntityPrivateLinkContent).toEqual(expect.any(Function));
    expect(PrivateLinkPage).toEqual(expect.any(Function));
    expect(isPrivateLinkAvailable).toEqual(expect.any(Function));
    expect(isPrivateLinkConsumerAvailable).toEqual(expect.any(Function));
  });
});
