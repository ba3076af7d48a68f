import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { accountIdSchema } from '@privatelink-backstage/plugin-privatelink-common';

/** The fields of the Request access form, as typed. */
export interface RequestForm {
  consumer: string;
  accountId: string;
  reason: string;
}

/** Validation messages per field; empty when the form is good. */
export type RequestFormErrors = Partial<Record<keyof RequestForm, string>>;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Normalises a component or group ref (kind defaults to component), or undefined when it is neither. */
export function parseConsumerRef(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    return kind === 'component' || kind === 'group'
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the form the way the backend will: a component or group, a 12-digit account, a reason. */
export function validateRequest(form: RequestForm): RequestFormErrors {
  const errors: RequestFormErrors = {};
  if (!parseConsumerRef(form.consumer)) {
    errors.consumer =
      'Enter a component or group, e.g. component:default/checkout';
  }
  const account = accountIdSchema.safeParse(form.accountId.trim());
  if (!account.success) {
    errors.accountId = capitalize(account.error.issues[0].message);
  }
  if (form.reason.trim().length < 3) {
    errors.reason = 'Say in a few words why you need access';
  }
  return errors;
}
