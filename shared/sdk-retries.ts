// How every SDK client a Lambda makes retries: throttling, 5xx answers and transient network errors,
// by the SDK's `standard` mode with backoff and full jitter; what still fails retries the delivery.
export const SDK_RETRIES = { retryMode: 'standard', maxAttempts: 6 } as const;
