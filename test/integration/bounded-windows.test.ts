// `GET /metrics/caseload` without `from` reads the ten years up to `to`, not every enquiry since 1970:
// an enquiry older than that is neither counted nor read.
import { projectHouseholdEvent } from '../../shared/projections/household';
import { caseloadCountsFor } from '../../shared/queries/caseload';
import { ReadTally } from '../../shared/store/query-pages';
import { enquiry } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const agencyId = 'agency-bounded';

beforeAll(async () => {
  await useFreshTables();
  for (const event of [
    enquiry('eleven-years-before', '2008-09-01'),
    enquiry('nine-years-before', '2010-09-01'),
    enquiry('this-year', '2019-09-01'),
  ])
    await projectHouseholdEvent({ ...event, detail: { ...event.detail, agencyId } });
});

test('without `from`, the counts cover the ten years up to `on` and read nothing older', async () => {
  const tally = new ReadTally();
  const counts = await caseloadCountsFor(agencyId, { on: '2019-09-30' }, tally);
  expect(counts.enquiries).toBe(2);
  const everything = new ReadTally();
  expect((await caseloadCountsFor(agencyId, { on: '2019-09-30', from: '2008-01-01' }, everything)).enquiries).toBe(3);
  // The older household's index entry and its state are two items the bounded read never touched.
  expect(everything.itemsRead - tally.itemsRead).toBe(2);
});
