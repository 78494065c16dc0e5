// Sends the acknowledgements web enquiries are owed, from the projections table's stream
// (infra/acknowledgements.ts), through Amazon SES from the configured sender; locally the outbox relay
// runs the same code with a transport that writes .eml files (local/mail.ts).
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import nodemailer from 'nodemailer';
import { loggerContext, logger } from '../../shared/logger';
import { acknowledgeEnquiry } from '../../shared/projections/acknowledgement';
import type { AcknowledgementOwed } from '../../shared/store/acknowledgements';
import { ACKNOWLEDGEMENT_SENDER_ENV, requiredEnvironment } from '../../shared/wiring/environment';

const ses = nodemailer.createTransport({ SES: { sesClient: new SESv2Client({}), SendEmailCommand } });

// One record at a time: a failure hands that record and those after it back (ReportBatchItemFailures),
// retried, then sent to the dead-letter queue with the failure's reason.
export const handler = middy(async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const from = requiredEnvironment(ACKNOWLEDGEMENT_SENDER_ENV);
  for (const record of event.Records) {
    const item = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
    const owed = item.acknowledgement as AcknowledgementOwed;
    try {
      const outcome = await acknowledgeEnquiry(owed, ses, from);
      logger.info('acknowledgement', { householdId: owed.householdId, outcome });
    } catch (error) {
      // The household only: never the address or the message.
      logger.error('acknowledgement failed; it is retried', {
        householdId: owed.householdId,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
}).use(loggerContext());
