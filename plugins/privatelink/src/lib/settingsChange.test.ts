import { makeDetails } from '../__fixtures__/details';
import {
  describeSettingsChange,
  initialSettingsForm,
  isEmptyChange,
  privateDnsNameError,
  settingsChange,
  settingsChangeError,
  settingsFieldError,
  settingsResultMessage,
} from './settingsChange';

describe('settingsChange', () => {
  const service = makeDetails();

  it('is empty for the form as the service is', () => {
    const change = settingsChange(service, initialSettingsForm(service));
    expect(change).toStrictEqual({});
    expect(isEmptyChange(change)).toBe(true);
  });

  it('names only what changed, a cleared name as null', () => {
    const change = settingsChange(service, {
      ...initialSettingsForm(service),
      acceptanceRequired: true,
      regions: ['eu-west-1', 'ap-south-1'],
      privateDnsName: '  ',
    });
    expect(change).toStrictEqual({
      addSupportedRegions: ['ap-south-1'],
      removeSupportedRegions: ['us-east-1'],
      privateDnsName: null,
    });
    expect(settingsChangeError(change)).toBeUndefined();
    expect(describeSettingsChange(service, change)).toEqual([
      'Consumers may also connect from ap-south-1.',
      'Consumers can no longer connect from us-east-1.',
      'The private DNS name payments.internal.example.com is removed.',
    ]);
  });

  it('never adds or removes the service’s own region, listed or not', () => {
    const unlisted = makeDetails({ supportedRegions: [] });
    const form = initialSettingsForm(unlisted);
    expect(form.regions).toEqual(['eu-west-1']);
    expect(settingsChange(unlisted, form)).toStrictEqual({});
    expect(
      settingsChange(service, { ...initialSettingsForm(service), regions: [] }),
    ).toStrictEqual({ removeSupportedRegions: ['us-east-1'] });
  });

  it('sets a name where there was none, and leaves an empty field alone', () => {
    const none = makeDetails({ privateDnsName: undefined });
    expect(settingsChange(none, initialSettingsForm(none))).toStrictEqual({});
    expect(
      settingsChange(none, {
        ...initialSettingsForm(none),
        privateDnsName: 'api.internal.example.com',
      }),
    ).toStrictEqual({ privateDnsName: 'api.internal.example.com' });
  });

  it('sends the IP address types as the whole set, and none known as IPv4', () => {
    const unknown = makeDetails({ supportedIpAddressTypes: [] });
    expect(initialSettingsForm(unknown).ipAddressTypes).toEqual(['ipv4']);
    expect(settingsChange(unknown, initialSettingsForm(unknown))).toStrictEqual(
      {},
    );
    const both = settingsChange(service, {
      ...initialSettingsForm(service),
      ipAddressTypes: ['ipv6', 'ipv4'],
    });
    expect(both).toStrictEqual({ supportedIpAddressTypes: ['ipv4', 'ipv6'] });
    expect(describeSettingsChange(service, both)).toEqual([
      'Consumers connect over IPv4 and IPv6.',
    ]);
    const v6 = settingsChange(service, {
      ...initialSettingsForm(service),
      ipAddressTypes: ['ipv6'],
    });
    expect(describeSettingsChange(service, v6)).toEqual([
      'Consumers connect over IPv6; those using IPv4 are cut off.',
    ]);
    const none = settingsChange(service, {
      ...initialSettingsForm(service),
      ipAddressTypes: [],
    });
    expect(settingsChangeError(none)).toMatch(/at least one IP address type/);
  });

  it('places the service: a new owner, a cleared system as null, a component against the known one', () => {
    const context = { component: 'component:default/payments-api' };
    const form = initialSettingsForm(service, context);
    expect(form).toMatchObject({
      owner: 'group:default/payments',
      system: 'payments',
      component: 'component:default/payments-api',
    });
    expect(settingsChange(service, form, context)).toStrictEqual({});
    const change = settingsChange(
      service,
      { ...form, owner: 'group:default/checkout', system: ' ', component: '' },
      context,
    );
    expect(change).toStrictEqual({
      owner: 'group:default/checkout',
      system: null,
      component: null,
    });
    expect(isEmptyChange(change)).toBe(false);
    expect(describeSettingsChange(service, change, context)).toEqual([
      'The service is handed to checkout, which then owns it.',
      'The service leaves the system payments.',
      'The service no longer names the component payments-api.',
    ]);
    // A component not known here is only sent when one is typed.
    expect(settingsChange(service, initialSettingsForm(service))).toStrictEqual(
      {},
    );
    const typed = settingsChange(service, {
      ...initialSettingsForm(service),
      component: 'orders-api',
    });
    expect(typed).toStrictEqual({ component: 'orders-api' });
    expect(settingsFieldError(typed, 'component')).toBeUndefined();
    expect(
      settingsFieldError({ system: 'component:default/x' }, 'system'),
    ).toBe('must be a system ref');
  });

  it('checks the private DNS name with the shared validator', () => {
    expect(privateDnsNameError('')).toBeUndefined();
    expect(privateDnsNameError('api.internal.example.com')).toBeUndefined();
    expect(privateDnsNameError('API.example')).toMatch(
      /must be a lower-case DNS name/,
    );
  });

  it('tells what a result changed and cut', () => {
    expect(
      settingsResultMessage('Svc', {
        serviceRef: 'resource:default/svc',
        changed: [],
        cuts: [],
      }),
    ).toEqual({
      message: 'Nothing changed on Svc: the settings were already so.',
      severity: 'info',
    });
  });
});
