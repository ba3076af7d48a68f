import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** `YYYY-MM-DD` (UTC) of an ISO time; the raw value when it is not one, '' when there is none. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm UTC` of an ISO time; the raw value when it is not one. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * How long ago an ISO time was, in English (`3 days ago`, `yesterday`, `2 months ago`; `just now` under a
 * minute); the raw value when it is not a time, '' when there is none.
 */
export function formatRelative(
  iso: string | undefined,
  now: number = Date.now(),
): string {
  if (!iso) return '';
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return 'just now';
}

/** A short, readable form of an entity ref (`checkout`, `component:checkout`); the raw value if it is not one. */
export function humanizeRef(
  ref: string | undefined,
  defaultKind: string,
): string {
  if (!ref) return '';
  try {
    return humanizeEntityRef(parseEntityRef(ref, { defaultKind }), {
      defaultKind,
    });
  } catch {
    return ref;
  }
}

/** The message to show for a failed call: the backend's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * True when a call was refused with 409 (the backend's ConflictError): a change that needs confirming, such as
 * one that cuts consumers off; {@link errorMessage} gives the backend's message naming them.
 */
export function isConflict(error: unknown): boolean {
  return error instanceof ResponseError && error.statusCode === 409;
}
