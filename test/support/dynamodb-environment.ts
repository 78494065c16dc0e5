// The test environment of the integration tests (jest.config.js): the quiet environment, and a
// DynamoDB Local of the file's own, in memory, whose endpoint the file finds in its environment.
//
// Why not one for the whole run: DynamoDB Local keeps every stream record of every table it has
// held (deleted tables too), and each write to a table with a stream gets slower as they pile up
// (measured in bench/results.md, the test suite's time). A JVM's start per file keeps every file as
// fast as it is alone.
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { freePort } from './free-port';
import QuietEnvironment from './quiet-environment';

export default class DynamoDbEnvironment extends QuietEnvironment {
  private local: DynamoDbLocal | undefined;

  override async setup(): Promise<void> {
    await super.setup();
    this.local = await startOne();
    this.global.process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] = this.local.endpoint;
  }

  override async teardown(): Promise<void> {
    await this.local?.stop();
    await super.teardown();
  }
}

/** On a port the OS gave us a moment ago; another jest worker may take it meanwhile, so a few tries. */
async function startOne(): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoDbLocal({ port: await freePort() });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
