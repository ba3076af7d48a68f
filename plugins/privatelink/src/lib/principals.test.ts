import { parsePrincipals, partitionOf } from './principals';

const options = { allowWildcard: false, region: 'eu-west-1' };

describe('parsePrincipals', () => {
  it('turns account ids into root ARNs, keeps ARNs and drops duplicates', () => {
    expect(
      parsePrincipals(
        ' 123456789012,arn:aws:iam::210987654321:role/ops\n123456789012  arn:aws:iam::210987654321:user/ci ',
        options,
      ),
    ).toEqual({
      principals: [
        'arn:aws:iam::123456789012:root',
        'arn:aws:iam::210987654321:role/ops',
        'arn:aws:iam::210987654321:user/ci',
      ],
    });
  });

  it('uses the partition of the service region for account ids', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-east-1')).toBe('aws');
    expect(
      parsePrincipals('123456789012', { ...options, region: 'cn-north-1' }),
    ).toEqual({ principals: ['arn:aws-cn:iam::123456789012:root'] });
  });

  it('names the first invalid principal', () => {
    expect(parsePrincipals('123456789012 1234', options)).toEqual({
      error: "'1234' must be a 12-digit AWS account id, e.g. 123456789012",
    });
    expect(
      parsePrincipals('arn:aws:iam::123456789012:role/a/b', options).error,
    ).toMatch(
      /^'arn:aws:iam::123456789012:role\/a\/b' is not an IAM principal ARN/,
    );
    expect(parsePrincipals(' , \n', options)).toEqual({
      error: 'Enter at least one principal',
    });
  });

  it('accepts * only where the settings allow it', () => {
    expect(parsePrincipals('*', options).error).toMatch(
      /^The principal '\*' lets every AWS account connect/,
    );
    expect(parsePrincipals('*', { ...options, allowWildcard: true })).toEqual({
      principals: ['*'],
    });
  });

  it('refuses more principals than the backend takes at once', () => {
    const many = Array.from(
      { length: 101 },
      (_, i) => `${100000000000 + i}`,
    ).join(',');
    expect(parsePrincipals(many, options)).toEqual({
      error: 'At most 100 principals at a time',
    });
  });
});
