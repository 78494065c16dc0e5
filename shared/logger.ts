// One structured logger for every function. Log fields are chosen by hand at each call: request
// bodies, contact details and tokens are never logged.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { POWERTOOLS_SERVICE_NAME_ENV, SERVICE_NAME } from './wiring/environment';

export const logger = new Logger({ serviceName: process.env[POWERTOOLS_SERVICE_NAME_ENV] ?? SERVICE_NAME });

/** The middy middleware of every handler: the Lambda context on each line, keys reset per invocation,
 *  and never the incoming event, even with POWERTOOLS_LOGGER_LOG_EVENT=true set by someone debugging:
 *  an API event holds the request body (contact details) and the Authorization header (the token). */
export const loggerContext = () => injectLambdaContext(logger, { resetKeys: true, logEvent: false });
