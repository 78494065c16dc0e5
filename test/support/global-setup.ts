// Placeholder: replaced by the DynamoDB Local launcher for integration tests.
export default async function globalSetup(): Promise<void> {}
