import { householdCommandRoute } from '../../shared/api/commands';

export const handler = householdCommandRoute('ClearPossibleDuplicate');
