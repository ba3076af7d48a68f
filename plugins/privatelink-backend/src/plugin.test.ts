import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { privatelinkPlugin } from './plugin';

const privatelink = {
  regions: ['us-east-1'],
  accounts: [{ accountId: '123456789012', name: 'shared-services' }],
};

describe('privatelinkPlugin', () => {
  it('serves health without credentials and settings to users', async () => {
    const { server } = await startTestBackend({
      features: [privatelinkPlugin, mockServices.rootConfig.factory({ data: { privatelink } })],
    });

    await request(server).get('/api/privatelink/health').expect(200, { status: 'ok' });
    const res = await request(server).get('/api/privatelink/v1/settings');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      regions: ['us-east-1'],
      accounts: [{ accountId: '123456789012', name: 'shared-services', regions: ['us-east-1'] }],
      allowWildcardPrincipal: false,
      syncEnabled: true,
    });
  });

  it('refuses settings without credentials', async () => {
    const { server } = await startTestBackend({
      features: [privatelinkPlugin, mockServices.rootConfig.factory({ data: { privatelink } })],
    });
    const res = await request(server)
      .get('/api/privatelink/v1/settings')
      .set('Authorization', 'Bearer mock-none-token');
    expect(res.status).toBe(401);
  });

  it('stops the backend at start when the config is malformed', async () => {
    await expect(
      startTestBackend({
        features: [
          privatelinkPlugin,
          mockServices.rootConfig.factory({ data: { privatelink: { accounts: [{ accountId: 'abc' }] } } }),
        ],
      }),
    ).rejects.toThrow('privatelink.accounts.0.accountId: must be a 12-digit AWS account id');
  });
});
