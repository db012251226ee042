/**
 * aws:SourceIp as a fence of CheckNoPublicAccess, as S3 defines "public" (User Guide, Blocking public
 * access, "The meaning of 'public'"): a bucket policy conditioned on a very broad range — broader
 * than /8 for IPv4 or /32 for IPv6, outside RFC 1918's private ranges — is public.
 */
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from './node.ts';
import type { CheckResponse } from './types.ts';

async function publicAccess(ranges: string[]): Promise<string> {
  const engine = await createNodeEngine();
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
        Condition: { IpAddress: { 'aws:SourceIp': ranges } },
      },
    ],
  };
  const out = await engine.run({
    check: 'CheckNoPublicAccess',
    policyDocument: JSON.stringify(policy),
    resourceType: 'AWS::S3::Bucket',
  });
  if (!out.ok) throw new Error(out.error.message);
  return (out.response as CheckResponse).result;
}

describe('aws:SourceIp fences only narrow ranges', () => {
  it('the whole IPv4 space in two halves is public', async () => {
    expect(await publicAccess(['0.0.0.0/1', '128.0.0.0/1'])).toBe('FAIL');
  });
  it('a range broader than /8 is public; /8 and narrower fence', async () => {
    expect(await publicAccess(['12.0.0.0/7'])).toBe('FAIL');
    expect(await publicAccess(['12.0.0.0/8'])).toBe('PASS');
    expect(await publicAccess(['203.0.113.0/24'])).toBe('PASS');
  });
  it('RFC 1918 private ranges fence however broad', async () => {
    expect(await publicAccess(['172.16.0.0/12'])).toBe('PASS');
    expect(await publicAccess(['192.168.0.0/16', '10.0.0.0/8'])).toBe('PASS');
  });
  it('IPv6: broader than /32 is public', async () => {
    expect(await publicAccess(['2001:db8::/31'])).toBe('FAIL');
    expect(await publicAccess(['2001:db8::/32'])).toBe('PASS');
  });
});
