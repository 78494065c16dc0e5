// Imported first by a test file that needs a region naming no hub (the checked-in region names one):
// adds it through the local runtime's LOCAL_EXTRA_REGIONS, before shared/wiring/regions.ts reads it.
import { LOCAL_EXTRA_REGIONS_ENV } from '../../shared/wiring/environment';

export const regionWithoutHub = 'no-hub';
process.env[LOCAL_EXTRA_REGIONS_ENV] = JSON.stringify({
  [regionWithoutHub]: { name: 'A region of councils alone', agencyIds: ['council-a', 'council-b'] },
});
