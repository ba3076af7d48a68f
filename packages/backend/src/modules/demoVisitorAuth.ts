import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * A second demo sign-in, `visitor`, like the guest provider but for other catalog users: by default
 * `auth.providers.visitor.userEntityRef` (user:default/visitor, a member of no team), or one of
 * `auth.providers.visitor.users` chosen with `?user=<name>` on the refresh call. The end-to-end journeys use it to act
 * as someone who owns nothing, or as a consumer who is not the service's owner. Like the guest provider it works
 * only in development, unless `dangerouslyAllowOutsideDevelopment` is set; it is registered only when
 * `auth.providers.visitor` is configured.
 */
const visitorAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return { disabled: process.env.NODE_ENV !== 'development' && config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !== true };
  },
  async authenticate({ req }, { disabled }) {
    if (disabled) throw new NotAllowedError('The visitor sign-in is for development only');
    const user = typeof req.query.user === 'string' ? req.query.user : undefined;
    return { result: { user } };
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
        const others = new Map(
          (settings.getOptionalStringArray('users') ?? []).map(ref => [ref.replace(/^user:(default\/)?/, ''), ref]),
        );
        providers.registerProvider({
          providerId: 'visitor',
          factory: createProxyAuthProviderFactory({
            authenticator: visitorAuthenticator,
            signInResolver: async ({ result }, ctx) => {
              if (result.user && !others.has(result.user)) throw new NotAllowedError(`${result.user} is not a demo visitor`);
              return ctx.signInWithCatalogUser({ entityRef: result.user ? others.get(result.user)! : userEntityRef });
            },
          }),
        });
      },
    });
  },
});
