import { describe, expect, it } from 'vitest';
import { DEFAULT_SNAPSHOT, readSnapshot } from './snapshot.ts';
import { selectValidation } from './validation.ts';

describe('what the editors validate as', () => {
  const base = { ...DEFAULT_SNAPSHOT };

  it('Auto follows the check: its policy type, a resource policy for CheckNoPublicAccess with its resource type when ValidatePolicy has it', () => {
    expect(selectValidation(base)).toEqual({ policyType: 'IDENTITY_POLICY' });
    expect(selectValidation({ ...base, policyType: 'RESOURCE_POLICY' })).toEqual({
      policyType: 'RESOURCE_POLICY',
    });
    expect(
      selectValidation({ ...base, check: 'CheckNoPublicAccess', resourceType: 'AWS::S3::Bucket' }),
    ).toEqual({
      policyType: 'RESOURCE_POLICY',
      resourceType: 'AWS::S3::Bucket',
    });
    // A public-access type ValidatePolicy does not take: the checks for all resource policies.
    expect(
      selectValidation({ ...base, check: 'CheckNoPublicAccess', resourceType: 'AWS::SQS::Queue' }),
    ).toEqual({
      policyType: 'RESOURCE_POLICY',
    });
  });

  it('a chosen type wins over the check; the resource type only with RESOURCE_POLICY', () => {
    expect(
      selectValidation({
        ...base,
        validateAs: 'RESOURCE_CONTROL_POLICY',
        validateResourceType: 'AWS::S3::Bucket',
      }),
    ).toEqual({
      policyType: 'RESOURCE_CONTROL_POLICY',
    });
    expect(
      selectValidation({
        ...base,
        check: 'CheckNoPublicAccess',
        resourceType: 'AWS::S3::Bucket',
        validateAs: 'RESOURCE_POLICY',
        validateResourceType: 'AWS::IAM::AssumeRolePolicyDocument',
      }),
    ).toEqual({ policyType: 'RESOURCE_POLICY', resourceType: 'AWS::IAM::AssumeRolePolicyDocument' });
  });

  it('stored and shared: read field by field, a bad value keeps the default, older state has Auto', () => {
    expect(readSnapshot({}).validateAs).toBe('AUTO');
    expect(
      readSnapshot({ validateAs: 'SERVICE_CONTROL_POLICY', validateResourceType: 'AWS::DynamoDB::Table' }),
    ).toMatchObject({
      validateAs: 'SERVICE_CONTROL_POLICY',
      validateResourceType: 'AWS::DynamoDB::Table',
    });
    expect(readSnapshot({ validateAs: 'POLICY', validateResourceType: 'AWS::SQS::Queue' })).toMatchObject({
      validateAs: 'AUTO',
      validateResourceType: '',
    });
  });
});
