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
} from 'aws-cdk-lib/aws-dynamodb';
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

export class FosteringTables extends Construct {
  /** The tables a `ResourceAccess` declaration can name, by its keys. */
  readonly byAccess: Readonly<Record<TableAccessKey, Table>>;
  private readonly byDefinition = new Map<TableDefinition, Table>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const definition of tableDefinitions) this.byDefinition.set(definition, this.deploy(definition));
    this.byAccess = {
      projections: this.of(tableOfAccess.projections),
      contacts: this.of(tableOfAccess.contacts),
      idempotency: this.of(tableOfAccess.idempotency),
    };
  }

  of(definition: TableDefinition): Table {
    const table = this.byDefinition.get(definition);
    if (!table) throw new Error(`table ${definition.id} is not in tableDefinitions`);
    return table;
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
            encryptionKey: new Key(this, `${definition.id}Key`, {
              description: `Encrypts the ${definition.id} table (personal data)`,
              enableKeyRotation: true,
              removalPolicy: RemovalPolicy.RETAIN,
            }),
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
