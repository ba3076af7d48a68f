import { makeDetails } from '../__fixtures__/details';
import {
  describeSettingsChange,
  initialSettingsForm,
  isEmptyChange,
  privateDnsNameError,
  settingsChange,
  settingsChangeError,
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
