/**
 * The largest policy text the engine takes. AWS's own limits are 6,144 characters for a managed
 * policy and 20,480 for a role's trust or resource policy; the largest managed policy in the corpus
 * is 189 KB pretty-printed. Past this, a clear refusal beats a slow UNKNOWN.
 */
export const MAX_POLICY_CHARS = 512 * 1024;
