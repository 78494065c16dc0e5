// One structured logger for every function. Log fields are chosen by hand at each call: request
// bodies, contact details and tokens are never logged.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fostering' });
