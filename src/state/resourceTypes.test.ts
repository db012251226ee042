import { describe, expect, it } from 'vitest';
import { PUBLIC_RESOURCE_TYPES } from '../checks/public-types.ts';
import { resourceTypeOptions } from './resourceTypes.ts';
import { buildRequest, DEFAULT_SNAPSHOT, readSnapshot } from './snapshot.ts';

describe('a stored or shared resource type (state/resourceTypes.ts)', () => {
  it('every one of Access Analyzer’s 26 names is read as it is', () => {
    for (const t of PUBLIC_RESOURCE_TYPES) {
      expect(readSnapshot({ resourceType: t }).resourceType).toBe(t);
      expect(readSnapshot({ scenario: { resourceType: t } }).scenario.resourceType).toBe(t);
    }
  });

  it('the retired Glacier vault name becomes AWS::S3::Glacier, in the check and in the scenario', () => {
    const s = readSnapshot({
      resourceType: 'AWS::Glacier::Vault',
      scenario: { resourceType: 'AWS::Glacier::Vault' },
    });
    expect(s.resourceType).toBe('AWS::S3::Glacier');
    expect(s.scenario.resourceType).toBe('AWS::S3::Glacier');
  });

  it('a name AWS has no type for is kept, offered as not accepted, and the check answers with its input error', () => {
    const s = readSnapshot({ check: 'CheckNoPublicAccess', resourceType: 'AWS::ECR::Repository' });
    expect(s.resourceType).toBe('AWS::ECR::Repository');
    expect(resourceTypeOptions(s.resourceType)[0]).toEqual({
      value: 'AWS::ECR::Repository',
      label: 'AWS::ECR::Repository (not accepted by Access Analyzer)',
    });
    expect(resourceTypeOptions('AWS::S3::Bucket')).toHaveLength(26);
    expect(buildRequest(s)).toMatchObject({
      check: 'CheckNoPublicAccess',
      resourceType: 'AWS::ECR::Repository',
    });
  });

  it('a name in other letter case is the accepted one; anything else keeps the default', () => {
    expect(readSnapshot({ resourceType: 'aws::sqs::queue' }).resourceType).toBe('AWS::SQS::Queue');
    for (const bad of ['AWS::Nope::Thing', 42, null, 'x'.repeat(500)])
      expect(readSnapshot({ resourceType: bad }).resourceType).toBe(DEFAULT_SNAPSHOT.resourceType);
  });
});
