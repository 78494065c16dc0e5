// Which items the service's DynamoDB client wrote, request by request: SDK middleware on the shared
// client (shared/aws-clients.ts), which every in-process handler and projector uses. A refusal that
// wrote nothing stored nothing, so a fuzz test can say so without waiting for the outbox relay to
// read the stream to its end after every input.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Key = Record<string, unknown> | undefined;
interface WriteInput {
  TableName?: string;
  Item?: Key;
  Key?: Key;
  RequestItems?: Record<string, Array<{ PutRequest?: { Item?: Key }; DeleteRequest?: { Key?: Key } }>>;
  /** A Put names its item, an Update or a Delete its key. */
  TransactItems?: Array<Partial<Record<'Put' | 'Update' | 'Delete', { TableName?: string; Item?: Key; Key?: Key }>>>;
}

/** An item written: its table and partition key. */
export interface ItemWritten {
  table: string;
  pk?: string;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** The partition key, whether the document client has marshalled it yet or not. */
function pkOf(key: Key): string | undefined {
  const pk = key?.pk as string | { S?: string } | undefined;
  return typeof pk === 'string' ? pk : pk?.S;
}

/** The items a write request would change (a transaction's condition checks change nothing). */
function itemsWritten(input: WriteInput): ItemWritten[] {
  if (input.TransactItems)
    return input.TransactItems.flatMap(({ Put, Update, Delete }) =>
      [Put, Update, Delete].flatMap((w) => (w?.TableName ? [{ table: w.TableName, pk: pkOf(w.Item ?? w.Key) }] : [])),
    );
  if (input.RequestItems)
    return Object.entries(input.RequestItems).flatMap(([table, requests]) =>
      requests.map((r) => ({ table, pk: pkOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key) })),
    );
  return input.TableName ? [{ table: input.TableName, pk: pkOf(input.Item ?? input.Key) }] : [];
}

export interface WriteRecorder {
  /** The items written since the last call (one entry per accepted write of an item). */
  take(): ItemWritten[];
}

export function recordWrites(client: DynamoDBClient): WriteRecorder {
  let written: ItemWritten[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      // Recorded once DynamoDB accepted it: a write refused by its condition (a command's own check,
      // such as a campaign that must exist) changed nothing.
      if (WRITES.has(context.commandName ?? '')) written.push(...itemsWritten(args.input as WriteInput));
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
