import { commandBodySchema } from '../../shared/events/catalogue';
import { commandRoute } from '../../shared/api/commands';
import { badRequest } from '../../shared/api/http';
import { recordChildrenInCare } from '../../shared/store/agency-ledger';

export const handler = commandRoute('RecordChildrenInCare', {
  detailType: 'ChildrenInCareRecorded',
  body: commandBodySchema('ChildrenInCareRecorded'),
  validate: (detail) => {
    // Fostered children are children in care: the two fostered counts cannot exceed the whole.
    if (detail.fosteredInHouse + detail.fosteredAgency > detail.childrenInCare) {
      throw badRequest(
        ['fosteredInHouse', 'fosteredAgency'].map((field) => ({
          field,
          message: 'fosteredInHouse + fosteredAgency must not exceed childrenInCare',
        })),
      );
    }
  },
  record: (event) => recordChildrenInCare(event.detail, event),
});
