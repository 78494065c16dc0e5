// Invoking Lambda handlers in-process, as the Lambda runtime would: the local bus and the local HTTP
// server both load the handlers under functions/ and call them with a Lambda-shaped context.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';

export const LOCAL_ACCOUNT = '000000000000';

export type LambdaHandler = (event: unknown, context: Context) => unknown;
/** Gives the handler for an entry under functions/ (e.g. `projectors/household`). */
export type HandlerLoader = (entry: string) => LambdaHandler | Promise<LambdaHandler>;

const FUNCTIONS_DIR = resolve(__dirname, '../functions');

/** Loads `functions/<entry>` on first use; the runtime runs under tsx, so the .ts source loads. */
export function requireHandler(entry: string): LambdaHandler {
  const loaded = require(join(FUNCTIONS_DIR, entry)) as { handler?: unknown };
  if (typeof loaded.handler !== 'function') throw new Error(`functions/${entry} does not export a handler`);
  return loaded.handler as LambdaHandler;
}

/** What the Lambda runtime hands a handler; Powertools reads the name, request id and remaining time. */
export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  const region = process.env.AWS_REGION ?? 'eu-west-2';
  const notSupported = (): never => {
    throw new Error('callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}
