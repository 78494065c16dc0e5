// Sends the acknowledgement an enquiry is owed, from what is stored: the household's reference, the
// enquirer's name and email from the contacts table, the service's name and first-response target from
// its settings. Never from the bus, which carries no contact details. At least once: a record handed
// over again after a send whose mark was lost sends again; one marked sent sends nothing.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SendMailOptions } from 'nodemailer';
import { dynamoDbDocumentClient } from '../aws-clients';
import { acknowledgementMessage } from '../domain/acknowledgement';
import { agencySettingsFor } from '../queries/agency-settings';
import { ACKNOWLEDGEMENT_SK, markAcknowledged, type AcknowledgementOwed } from '../store/acknowledgements';
import { getContact } from '../store/contacts';
import { householdKey, readHouseholdState } from '../store/households';
import { projectionsTable, tableName } from '../store/tables';

/** What carries the message: SES in AWS, a .eml file locally (nodemailer transports both). */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

export type AcknowledgementOutcome = 'sent' | 'sent_already' | 'no_email';

export async function acknowledgeEnquiry(
  owed: AcknowledgementOwed,
  transport: MailTransport,
  from: string,
): Promise<AcknowledgementOutcome> {
  const { agencyId, householdId } = owed;
  const item = (
    await dynamoDbDocumentClient().send(
      new GetCommand({
        TableName: tableName(projectionsTable),
        Key: { pk: householdKey(agencyId, householdId), sk: ACKNOWLEDGEMENT_SK },
        ConsistentRead: true,
      }),
    )
  ).Item;
  if (item?.sentAt) return 'sent_already';
  const [{ state }, contact, settings] = await Promise.all([
    readHouseholdState(agencyId, householdId),
    getContact(agencyId, householdId),
    agencySettingsFor(agencyId),
  ]);
  // Erased before it could be sent: there is no one to write to.
  if (!contact?.email) return 'no_email';
  const reference = state?.enquiry?.reference;
  if (!reference) throw new Error(`household ${householdId} of ${agencyId} has no reference yet`);
  const { subject, text } = acknowledgementMessage({
    serviceName: settings.serviceName ?? 'The fostering service',
    reference,
    name: contact.name,
    firstResponseWorkingDays: settings.firstResponseWorkingDays,
  });
  await transport.sendMail({ from, to: contact.email, subject, text, headers: { 'X-Fostering-Reference': reference } });
  await markAcknowledged(owed, new Date().toISOString());
  return 'sent';
}
