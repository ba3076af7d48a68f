import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ConfigReader } from '@backstage/config';
import { createAwsClientFactory, DescribeRateLimit } from './clients';

const xml = (s: string) => new TextEncoder().encode(s);
const EMPTY_PAGE = xml(
  '<DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId><vpcEndpointSet/></DescribeVpcEndpointsResponse>',
);
const BAD_REQUEST = xml(
  '<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad</Message></Error></Errors><RequestID>2</RequestID></Response>',
);

/** A client of the real factory whose HTTP handler answers at once, with `status` (200: an empty page). */
async function pacedClient(rateLimit: DescribeRateLimit | undefined, status = 200): Promise<EC2Client> {
  const factory = createAwsClientFactory({
    config: new ConfigReader({}),
    credentialsManager: {
      getCredentialProvider: async () => ({
        sdkCredentialProvider: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 'secret' }),
      }),
    },
    rateLimit,
  });
  const ec2 = await factory.ec2({ accountId: '111111111111', region: 'us-east-1' });
  ec2.config.requestHandler = {
    handle: async () => ({
      response: { statusCode: status, headers: {}, body: status === 200 ? EMPTY_PAGE : BAD_REQUEST },
    }),
  } as any;
  return ec2;
}

describe('createAwsClientFactory', () => {
  // The SDK loads parts of itself on a client's first call: done here, outside the fake timers.
  beforeAll(async () => {
    await (await pacedClient(undefined)).send(new DescribeVpcEndpointsCommand({}));
  });
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('paces Describe calls with a bucket that gets each token back when its call is answered', async () => {
    const ec2 = await pacedClient({ burst: 2, perSecond: 1 });
    const answered: number[] = [];
    const calls = [0, 1, 2].map(i => ec2.send(new DescribeVpcEndpointsCommand({})).then(() => answered.push(i)));

    await jest.advanceTimersByTimeAsync(0);
    expect(answered.sort()).toEqual([0, 1]);
    // The burst is spent; the third call waits one refill interval, which starts once the first two were
    // answered (a token never given back would hold its place and stop the refill).
    await jest.advanceTimersByTimeAsync(999);
    expect(answered).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(answered).toHaveLength(3);
    await Promise.all(calls);
  });

  it('gets the token of a call answered with an error back too', async () => {
    const ec2 = await pacedClient({ burst: 1, perSecond: 1 }, 400);
    const failed: string[] = [];
    const calls = [0, 1].map(() => ec2.send(new DescribeVpcEndpointsCommand({})).catch(e => failed.push(e.name)));

    await jest.advanceTimersByTimeAsync(0);
    expect(failed).toEqual(['InvalidParameterValue']);
    await jest.advanceTimersByTimeAsync(999);
    expect(failed).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(failed).toEqual(['InvalidParameterValue', 'InvalidParameterValue']);
    await Promise.all(calls);
  });
});
