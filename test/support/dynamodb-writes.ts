// Which tables the service's DynamoDB client wrote, request by request: SDK middleware on
// the shared client (shared/aws-clients.ts), which every in-process handler and projector uses. A
// refusal that sent no write stored nothing, so a fuzz test can say so without waiting for the outbox
// relay to read the stream to its end after every input.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface WriteInput {
  TableName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: Array<Partial<Record<'Put' | 'Update' | 'Delete', { TableName?: string }>>>;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** The tables a write request would change (a transaction's condition checks change nothing). */
function tablesWritten(input: WriteInput): string[] {
  if (input.TransactItems)
    return input.TransactItems.flatMap((item) => [item.Put, item.Update, item.Delete].flatMap((w) => (w?.TableName ? [w.TableName] : [])));
  if (input.RequestItems) return Object.keys(input.RequestItems);
  return input.TableName ? [input.TableName] : [];
}

export interface WriteRecorder {
  /** The tables written since the last call (one entry per accepted write request and table). */
  take(): string[];
}

export function recordWrites(client: DynamoDBClient): WriteRecorder {
  let written: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      // Recorded once DynamoDB accepted it: a write refused by its condition (a command's own check,
      // such as a campaign that must exist) changed nothing.
      if (WRITES.has(context.commandName ?? '')) written.push(...tablesWritten(args.input as WriteInput));
      return result;
    },
    { step: 'initialize', name: 'testWriteRecorder', override: true },
  );
  return {
    take: () => {
      const taken = written;
      written = [];
      return taken;
    },
  };
}
