/** An in-memory JSON schema of IAM policy documents, for Monaco's JSON diagnostics. */
const stringOrList = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
};

const principal = {
  oneOf: [
    { const: '*' },
    { type: 'string', description: 'An account id (shorthand, accepted with a warning)' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        AWS: stringOrList,
        Service: stringOrList,
        Federated: stringOrList,
        CanonicalUser: stringOrList,
      },
    },
  ],
};

const statement = {
  type: 'object',
  additionalProperties: false,
  required: ['Effect'],
  properties: {
    Sid: { type: 'string', description: 'Statement id (unique within the policy)' },
    Effect: { enum: ['Allow', 'Deny'], description: 'Allow or Deny' },
    Principal: principal,
    NotPrincipal: principal,
    Action: { ...stringOrList, description: 'Actions, e.g. "s3:GetObject" or "s3:Get*"' },
    NotAction: { ...stringOrList, description: 'Every action except these' },
    Resource: { ...stringOrList, description: 'Resource ARNs, wildcards allowed' },
    NotResource: { ...stringOrList, description: 'Every resource except these' },
    Condition: {
      type: 'object',
      description: 'Operator -> condition key -> value(s)',
      additionalProperties: {
        type: 'object',
        additionalProperties: {
          oneOf: [
            { type: ['string', 'boolean', 'number'] },
            { type: 'array', items: { type: ['string', 'boolean', 'number'] } },
          ],
        },
      },
    },
  },
  oneOf: [{ required: ['Action'] }, { required: ['NotAction'] }],
};

export const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['Statement'],
  properties: {
    Version: {
      enum: ['2012-10-17', '2008-10-17'],
      description: 'Use 2012-10-17: it enables policy variables',
    },
    Id: { type: 'string' },
    Statement: { oneOf: [statement, { type: 'array', items: statement }] },
  },
} as const;
