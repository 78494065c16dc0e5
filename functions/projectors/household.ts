import { projectorHandler } from '../../shared/projections/projector';
import { projectHouseholdEvent } from '../../shared/projections/household';

export const handler = projectorHandler('HouseholdProjector', async (event) => (await projectHouseholdEvent(event)).outcome);
