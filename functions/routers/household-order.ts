import { orderedRouter } from '../../shared/projections/ordered-router';

export const handler = orderedRouter('HouseholdProjector');
