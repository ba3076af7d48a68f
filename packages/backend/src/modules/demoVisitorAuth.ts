import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * A second demo sign-in, `visitor`, like the guest provider but for another catalog user
 * (`auth.providers.visitor.userEntityRef`, default user:default/visitor, a member of no team). The end-to-end
 * journeys use it to act as someone who owns nothing. Like the guest provider it works only in development,
 * unless `dangerouslyAllowOutsideDevelopment` is set; it is registered only when `auth.providers.visitor` is
 * configured.
 */
const visitorAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return { disabled: process.env.NODE_ENV !== 'development' && config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !== true };
  },
  async authenticate(_, { disabled }) {
    if (disabled) throw new NotAllowedError('The visitor sign-in is for development only');
    return { result: {} };
  },
});

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-visitor-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint, config: coreServices.rootConfig },
      async init({ providers, config }) {
        const settings = config.getOptionalConfig('auth.providers.visitor');
        if (!settings) return;
        const userEntityRef = settings.getOptionalString('userEntityRef') ?? 'user:default/visitor';
        providers.registerProvider({
          providerId: 'visitor',
          factory: createProxyAuthProviderFactory({
            authenticator: visitorAuthenticator,
            signInResolver: async (_, ctx) => ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
          }),
        });
      },
    });
  },
});
