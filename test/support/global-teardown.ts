// `globalThis.dynamoDbLocal` is declared and set in global-setup.ts.
export default async function globalTeardown(): Promise<void> {
  await globalThis.dynamoDbLocal?.stop();
  globalThis.dynamoDbLocal = undefined;
}
