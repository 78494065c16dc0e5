// Every environment variable a Lambda reads, named once: the CDK stack sets them on the functions
// (infra/fostering-function.ts, infra/fostering-stack.ts), the local runtime sets the same ones in its
// process (local/main.ts), and the handlers read them by these names. The tables' own variables are
// declared with each table (shared/store/tables.ts).

/** The bus a function publishes to. */
export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';
/** The Secrets Manager secret holding the key search terms are hashed with (in AWS). */
export const SEARCH_KEY_SECRET_ENV = 'SEARCH_KEY_SECRET';
/** Locally only: the key search terms are hashed with (default a fixed development key; unset in AWS). */
export const LOCAL_SEARCH_KEY_ENV = 'LOCAL_SEARCH_KEY';
/** An ordered route's router: the URL of the FIFO queue it puts the route's events on. */
export const ORDERED_QUEUE_URL_ENV = 'ORDERED_QUEUE_URL';
/** Who the acknowledgements of web enquiries come from (`-c acknowledgementSender` in AWS; locally
 *  the .eml files' sender). Unset: no acknowledgement is sent, and the form's answer promises none. */
export const ACKNOWLEDGEMENT_SENDER_ENV = 'ACKNOWLEDGEMENT_SENDER';
/** Locally only: regions added to shared/wiring/regions.json's, as JSON (the benchmark's hub; unset in AWS). */
export const LOCAL_EXTRA_REGIONS_ENV = 'LOCAL_EXTRA_REGIONS';
/** Locally only: where the SDK clients find DynamoDB Local and the local bus (unset in AWS). */
export const LOCAL_DYNAMODB_ENDPOINT_ENV = 'DYNAMODB_ENDPOINT';
export const LOCAL_EVENTBRIDGE_ENDPOINT_ENV = 'EVENTBRIDGE_ENDPOINT';

/** The value of a variable the function cannot work without. */
export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The service's name in every log line (Powertools reads it from this variable). */
export const POWERTOOLS_SERVICE_NAME_ENV = 'POWERTOOLS_SERVICE_NAME';
export const SERVICE_NAME = 'fostering-recruitment';
