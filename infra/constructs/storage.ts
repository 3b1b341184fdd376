import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableKey, ttlAttribute } from '../../lambdas/core/settings.js';

export interface StorageProps {
  /** RETAIN unless the stage is a throw-away one (context `destroy=true`). */
  readonly removalPolicy: RemovalPolicy;
}

/** The three tables: orgs and their hashed keys, counters, and the raw-visit ledger. */
export interface StorageTables {
  readonly orgs: ITableV2;
  readonly counters: ITableV2;
  readonly visits: ITableV2;
}

/**
 * Storage promises: on-demand billing, point-in-time recovery, TTL on `expiresAt` (the settings
 * module's `ttlAttribute`), and tables kept when the stack is deleted unless told otherwise.
 * All three share the generic string key (`tableKey`, pk/sk) the key design in lambdas/core uses,
 * the same definition local/ creates its tables from.
 */
export class Storage extends Construct {
  readonly tables: StorageTables;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const table = (tableId: string) =>
      new TableV2(this, tableId, {
        partitionKey: { name: tableKey.partition, type: AttributeType.STRING },
        sortKey: { name: tableKey.sort, type: AttributeType.STRING },
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: ttlAttribute,
        deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
        removalPolicy: props.removalPolicy,
      });
    this.tables = {
      orgs: table('Orgs'),
      counters: table('Counters'),
      visits: table('Visits'),
    };
  }
}
