// The whole service in one stack: tables, the bus and its projectors, the API, and the alarms.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DeadLetterAlarms } from './alarms';
import { FosteringApi } from './api';
import { FosteringEventBus } from './event-bus';
import { FosteringTables } from './tables';

export interface FosteringStackProps extends StackProps {
  /** Origins of the web clients allowed by CORS; default any (see FosteringApiProps). */
  allowedOrigins?: string[];
}

export class FosteringStack extends Stack {
  readonly tables: FosteringTables;
  readonly events: FosteringEventBus;
  readonly api: FosteringApi;
  readonly alarms: DeadLetterAlarms;

  constructor(scope: Construct, id: string, { allowedOrigins = ['*'], ...props }: FosteringStackProps = {}) {
    super(scope, id, props);
    this.tables = new FosteringTables(this, 'Tables');
    this.events = new FosteringEventBus(this, 'Events', { tables: this.tables });
    this.api = new FosteringApi(this, 'Api', {
      resources: { ...this.tables.byAccess, bus: this.events.bus },
      allowedOrigins,
    });
    this.alarms = new DeadLetterAlarms(this, 'Alarms', { deadLetterQueues: this.events.deadLetterQueues });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.api.staff.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'DeadLetterAlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
