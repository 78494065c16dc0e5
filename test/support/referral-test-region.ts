// Imported first by a test file whose referrals pass between agencies made up for it: puts them in one
// region, as the tenancy rule requires (docs/rules.md, tenancy), through the local runtime's LOCAL_EXTRA_REGIONS.
// It must run before shared/wiring/regions.ts is first loaded, which reads the variable once.
import { LOCAL_EXTRA_REGIONS_ENV } from '../../shared/wiring/environment';

/** Agencies `from-0`…`from-99` and `to-0`…`to-99`, one region. */
const agencyIds = Array.from({ length: 100 }, (_, run) => [`from-${run}`, `to-${run}`]).flat();
process.env[LOCAL_EXTRA_REGIONS_ENV] = JSON.stringify({ 'referral-tests': { name: 'Referral tests', agencyIds } });
