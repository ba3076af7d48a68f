/** Helpers to classify the errors that the AWS SDK throws. */

/** The error's name (the AWS error code for service errors). */
export function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

/** The HTTP status of a service error; undefined for network errors and errors raised before sending. */
export function httpStatusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)
    ?.$metadata?.httpStatusCode;
}

/** The error's message, for logs and error messages. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
  'EC2ThrottledException',
]);

/**
 * Whether sending the same request again may succeed: throttling, server errors and network failures (a
 * reset connection or a lost response, where the request may or may not have been carried out).
 */
export function isTransient(err: unknown): boolean {
  if (THROTTLING.has(errorName(err))) return true;
  const status = httpStatusOf(err);
  if (status === undefined) {
    // Errors of our own making (validation, InputError) are not AWS failures.
    const code = (err as { code?: string } | undefined)?.code;
    return (
      code !== undefined ||
      /socket|ECONNRESET|EPIPE|ETIMEDOUT|timed? ?out|hang up/i.test(
        messageOf(err),
      )
    );
  }
  return status >= 500 || status === 429;
}

/** Whether the error says that the resource does not exist. */
export function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  return /NotFound|^NoSuch/.test(name) || name === 'InvalidServiceName';
}
