// How every SDK client a Lambda makes retries. Throttling (ProvisionedThroughputExceeded,
// ThrottlingException, …), 5xx answers and transient network errors (a reset or refused connection,
// a timeout) are retried by the SDK itself in its `standard` mode: up to `maxAttempts` tries in all,
// with exponential backoff and full jitter. What still fails makes the handler throw, and the
// delivery is retried in turn (the rule's retry policy and Lambda's two async retries in AWS, the
// local bus's locally) before it is dead-lettered.
export const SDK_RETRIES = { retryMode: 'standard', maxAttempts: 6 } as const;
