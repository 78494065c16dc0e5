import { householdCommandRoute } from '../../shared/api/commands';
import { toUtcInstant } from '../../shared/domain/household';
import { riskFlagNoteUpdate } from '../../shared/store/contacts';

// The note, if any, is stored with the contact details in the flag's own transaction; the event carries the reason only.
export const handler = householdCommandRoute('FlagResignationRisk', undefined, {
  alongside: (event, body) =>
    typeof body.note === 'string'
      ? [
          riskFlagNoteUpdate(event.detail.agencyId, event.detail.householdId, {
            eventId: event.detail.eventId,
            at: toUtcInstant(event.detail.occurredAt),
            note: body.note,
          }),
        ]
      : [],
});
