import { householdDetailTypes } from '../../shared/events/catalogue';
import { projectorHandler } from '../../shared/projections/projector';
import { projectHouseholdEvent } from '../../shared/projections/household';

export const handler = projectorHandler(householdDetailTypes, async (event) => (await projectHouseholdEvent(event)).outcome);
