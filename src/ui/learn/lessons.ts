/**
 * The guided lessons: the seed examples (src/state/examples.ts) in teaching order, each with a few
 * sentences for a student, the request to step through, and the tab to open. The last one opens the
 * least-privilege mode with the recommendation worked example.
 */
import recommendationSeed from '../../fixtures/examples/recommendation-seed.json';
import { EXAMPLES, withExample } from '../../state/examples.ts';
import type { Snapshot } from '../../state/snapshot.ts';
import { formToJson, type RequestForm } from '../../teach/request-form.ts';

export type LearnTab = 'formula' | 'question' | 'steps' | 'smt' | 'exercise';

export interface Lesson {
  id: string;
  title: string;
  /** a few sentences for a student; `code` spans are written with backticks */
  text: string[];
  /** the state with the lesson loaded: its documents and check; other modes' inputs stay */
  apply: (current: Snapshot) => Snapshot;
  tab: LearnTab;
  /** which document the step-by-step evaluation starts on */
  stepDoc?: 'policy' | 'existing' | 'new';
}

function fromExample(name: string, lesson: Omit<Lesson, 'apply'>, request: RequestForm): Lesson {
  const ex = EXAMPLES.find((e) => e.name === name);
  if (!ex) throw new Error(`seed example ${name} is missing`);
  return {
    ...lesson,
    apply: (current) => ({
      ...withExample(current, ex),
      mode: 'learn',
      lesson: lesson.id,
      learnRequest: formToJson(request),
    }),
  };
}

const BUCKET = 'arn:aws:s3:::DOC-EXAMPLE-BUCKET';

export const LESSONS: Lesson[] = [
  fromExample(
    'public-bucket-put',
    {
      id: 'public-bucket',
      title: 'A public bucket',
      tab: 'formula',
      text: [
        'A bucket policy is a formula over requests. Statement 0 becomes `S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")`.',
        'Where is the Principal? `Principal: "*"` means everyone, so it adds no constraint and the formula leaves it out. Anyone on the internet who sends s3:PutObject to this bucket is allowed.',
        'The public-access check asks Z3 for a request from outside every account the policy names that the policy allows. Z3 finds one (sat), so the check FAILs. Open "Step by step" to watch statement 0 match an anonymous caller.',
      ],
    },
    { principal: 'anonymous', action: 's3:PutObject', resource: BUCKET, context: '' },
  ),
  fromExample(
    'deny-notprincipal-closes-public-access',
    {
      id: 'deny-notprincipal',
      title: 'A Deny with NotPrincipal closes it',
      tab: 'formula',
      text: [
        'Statement 1 denies every action on every resource to everyone except account 123456789012: `D1 := ¬(Account(Principal) = "123456789012")`. NotPrincipal is a negation.',
        'The policy allows when `Allowed := S0 ∧ ¬D1`. For a caller outside the account, D1 is true, so ¬D1 is false and nothing is allowed.',
        'Z3 searches for an outside caller that is allowed and finds none (unsat): the check PASSes for every possible request. Step through the anonymous upload to see the explicit deny win.',
      ],
    },
    { principal: 'anonymous', action: 's3:PutObject', resource: BUCKET, context: '' },
  ),
  fromExample(
    'cross-account-open',
    {
      id: 'cross-account',
      title: 'Who outside my account gets in?',
      tab: 'question',
      text: [
        'Trusting one account is a question about principals: is there a caller outside the trusted accounts whom the policy allows? The question is `P ∧ Outside`.',
        '`Outside` is the anonymous caller or any AWS principal whose account is not trusted. With `Principal: "*"`, a role in account 111122223333 satisfies P ∧ Outside: sat, so the check FAILs.',
        'The counterexample is a real request; click "Step through" on it to check it against the policy yourself.',
      ],
    },
    {
      principal: 'arn:aws:iam::111122223333:role/Other',
      action: 's3:PutObject',
      resource: BUCKET,
      context: '',
    },
  ),
  fromExample(
    'no-new-access-added-delete-bucket',
    {
      id: 'new-access',
      title: 'What does the change grant?',
      tab: 'question',
      stepDoc: 'new',
      text: [
        'CheckNoNewAccess compares two policies: is there a request the new policy allows and the existing one does not? The question is `Pnew ∧ ¬Pold`.',
        'The new policy narrows Principal "*" to one account, which takes access away, but it also adds s3:DeleteBucket. Z3 finds a request with s3:DeleteBucket: sat, FAIL, and the newly granted actions are listed exactly.',
        'Step through the request on the new policy (allowed) and on the existing one (implicitly denied): that difference is the new access.',
      ],
    },
    {
      principal: 'arn:aws:iam::123456789012:role/Admin',
      action: 's3:DeleteBucket',
      resource: BUCKET,
      context: '',
    },
  ),
  fromExample(
    'access-not-granted-identity-statement-1',
    {
      id: 'statement-1',
      title: 'Which statement grants it?',
      tab: 'question',
      text: [
        'CheckAccessNotGranted asks whether a critical action is reachable: `P ∧ (Action = "s3:DeleteBucket")`.',
        'P is `S0 ∨ S1`. S0 only lists EC2 actions, so only S1 can make the question true. Z3 finds a request, and the evaluator names the statement that allows it: "One or more of the listed actions in the statement with index: 1."',
        'Hover the formula to see which JSON each part comes from, and step through the request to see S0 fail on Action and S1 match.',
      ],
    },
    {
      principal: '',
      action: 's3:DeleteBucket',
      resource: `${BUCKET}/report.csv`,
      context: '',
    },
  ),
];

/** The trie lesson: the recommendation worked example, opened in the least-privilege mode. */
export const TRIE_LESSON = {
  id: 'trie',
  title: 'Least privilege: the trie',
  text: [
    'Unused-permission findings say which actions were never used. The recommendation keeps every used action and removes the unused ones, even inside a wildcard like `s3:Get*`.',
    'It builds a trie of the action names split into words (Get|Bucket|Policy) and keeps the shortest prefixes under which no unused action hides. The solver then proves the new policy allows exactly the used actions.',
    'This opens the Least privilege mode with the worked example loaded.',
  ],
  apply: (current: Snapshot): Snapshot => ({
    ...current,
    mode: 'recommend',
    lesson: 'trie',
    docs: { ...current.docs, policy: JSON.stringify(recommendationSeed.policyDocument, null, 2) },
    unusedText: JSON.stringify(recommendationSeed.unusedPermissions, null, 2),
    recommendChoices: {},
  }),
};
