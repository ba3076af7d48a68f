import { privatelinkPlugin } from './plugin';

describe('privatelink', () => {
  it('should export plugin', () => {
    expect(privatelinkPlugin).toBeDefined();
  });
});
