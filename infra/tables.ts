// The DynamoDB tables, built from shared/store/tables.ts: the same definitions DynamoDB Local gets.
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
  type ITable,
} from 'aws-cdk-lib/aws-dynamodb';
import { z } from 'zod';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ResourceAccess } from '../shared/wiring/event-routes';
import {
  contactsTable,
  idempotencyTable,
  projectionsTable,
  tableDefinitions,
  type KeyAttribute,
  type TableDefinition,
} from '../shared/store/tables';

/** The keys of a `ResourceAccess` declaration that name a table. */
export type TableAccessKey = Exclude<keyof ResourceAccess, 'publishes' | 'scans'>;

/** Which table each `ResourceAccess` key names. */
export const tableOfAccess = {
  projections: projectionsTable,
  contacts: contactsTable,
  idempotency: idempotencyTable,
} as const satisfies Record<TableAccessKey, TableDefinition>;

export const tableAccessKeys = Object.keys(tableOfAccess) as TableAccessKey[];

const attribute = ({ name, type }: KeyAttribute): Attribute => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** `cdk deploy -c restoredTables='<json>'`: the tables restored to a point in time that the stack
 *  uses in place of its own (docs/runbook.md, restore a table). */
export const RESTORED_TABLES_CONTEXT_KEY = 'restoredTables';
const restoredTable = z.object({
  tableName: z.string().min(3),
  /** The restored table's stream, enabled (NEW_AND_OLD_IMAGES) after the restore: a restore makes none. */
  streamArn: z.string().startsWith('arn:').optional(),
});
export const restoredTablesSchema = z.strictObject({
  projections: restoredTable.optional(),
  contacts: restoredTable.optional(),
  idempotency: restoredTable.optional(),
});
export type RestoredTables = z.infer<typeof restoredTablesSchema>;

/** Reads `-c restoredTables`; anything wrong stops the synth, naming the field. */
export function restoredTablesFrom(context: unknown): RestoredTables {
  if (context === undefined) return {};
  const parsed = restoredTablesSchema.safeParse(typeof context === 'string' ? JSON.parse(context) : context);
  if (!parsed.success)
    throw new Error(`-c ${RESTORED_TABLES_CONTEXT_KEY}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  for (const key of tableAccessKeys)
    if (tableOfAccess[key].stream && parsed.data[key] && !parsed.data[key].streamArn)
      throw new Error(
        `-c ${RESTORED_TABLES_CONTEXT_KEY}: ${key}.streamArn: enable the restored table's stream (NEW_AND_OLD_IMAGES) and name it`,
      );
  return parsed.data;
}

export class FosteringTables extends Construct {
  /** The tables a `ResourceAccess` declaration can name, by its keys. */
  readonly byAccess: Readonly<Record<TableAccessKey, ITable>>;
  private readonly byDefinition = new Map<TableDefinition, ITable>();

  constructor(scope: Construct, id: string, restored: RestoredTables = {}) {
    super(scope, id);
    for (const definition of tableDefinitions) {
      const key = tableAccessKeys.find((k) => tableOfAccess[k] === definition);
      const restoredAs = key && restored[key];
      this.byDefinition.set(definition, restoredAs ? this.restored(definition, restoredAs) : this.deploy(definition));
    }
    this.byAccess = {
      projections: this.of(tableOfAccess.projections),
      contacts: this.of(tableOfAccess.contacts),
      idempotency: this.of(tableOfAccess.idempotency),
    };
  }

  of(definition: TableDefinition): ITable {
    const table = this.byDefinition.get(definition);
    if (!table) throw new Error(`table ${definition.id} is not in tableDefinitions`);
    return table;
  }

  /** The restored copy, named: the stack's own table leaves the template and, being retained, stays in
   *  the account untouched. The restored table keeps the key it was restored with (the stack's). */
  private restored(definition: TableDefinition, { tableName, streamArn }: { tableName: string; streamArn?: string }): ITable {
    return Table.fromTableAttributes(this, definition.id, {
      tableName,
      tableStreamArn: streamArn,
      encryptionKey: definition.personalData ? this.keyFor(definition) : undefined,
      globalIndexes: definition.indexes.map((index) => index.indexName),
    });
  }

  private keyFor(definition: TableDefinition): Key {
    return new Key(this, `${definition.id}Key`, {
      description: `Encrypts the ${definition.id} table (personal data)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  // Table rather than TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack.
  private deploy(definition: TableDefinition): Table {
    const table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey && attribute(definition.sortKey),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      stream: definition.stream === 'NEW_AND_OLD_IMAGES' ? StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Recruitment records and contact details outlive any one deployment of the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      // Personal data gets a key of our own, so access to it can be audited and revoked apart.
      ...(definition.personalData
        ? {
            encryption: TableEncryption.CUSTOMER_MANAGED,
            encryptionKey: this.keyFor(definition),
          }
        : { encryption: TableEncryption.AWS_MANAGED }),
    });
    for (const index of definition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: { KEYS_ONLY: ProjectionType.KEYS_ONLY }[index.projection],
      });
    }
    return table;
  }
}
