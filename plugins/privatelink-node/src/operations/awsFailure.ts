import { randomUUID } from 'node:crypto';

/** Codes of failures to reach AWS at all (the network, a timeout), as Node and the SDK name them. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Text that is not an AWS error message but the SDK's account of an answer it could not read. */
const NOT_AN_AWS_ANSWER = /Deserialization error|XML parse error|<html|<!DOCTYPE|\$response|Unexpected token|is not valid JSON|char \d+/i;

/** The longest AWS message passed on to people as it is. */
const MAX_MESSAGE = 400;

/**
 * What a person is told of an AWS failure, and whether the SDK's own text was held back. AWS's own errors (a code
 * and a message, e.g. `InvalidVpcEndpointServiceId.NotFound: …`) pass as they are: they say what to fix. What is
 * not an AWS answer (an HTML error page from a proxy, a response the SDK could not parse) or not an answer at all (a
 * refused connection, a timeout) becomes one short sentence with a reference (`ref`) that the full error is logged
 * under: the SDK's text ("Deserialization error: to see the raw response, inspect the hidden field …") tells a
 * person nothing they can act on.
 *
 * @public
 */
export function describeAwsFailure(error: Error): { message: string; ref?: string } {
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.code ?? e.name;
  if (UNREACHABLE.has(code) || /socket hang up|connect ECONNREFUSED|getaddrinfo/i.test(e.message)) {
    const ref = randomUUID().slice(0, 8);
    return { message: `AWS could not be reached (${code && code !== 'Error' ? code : 'no connection'}); try again later (ref ${ref})`, ref };
  }
  if (NOT_AN_AWS_ANSWER.test(e.message) || e.message.length > MAX_MESSAGE) {
    const ref = randomUUID().slice(0, 8);
    const status = e.$metadata?.httpStatusCode;
    return {
      message: `AWS sent an answer that is not an AWS response${status ? ` (HTTP ${status})` : ''}; a proxy or the configured endpoint may be in the way (ref ${ref})`,
      ref,
    };
  }
  return { message: e.message };
}
