// `npm run dead-letters [-- --json]`: the events the local bus gave up on, with the route and reason:
// those of `npm start` (DATA_DIR) and those of the demo (its own folder inside DATA_DIR).
import { DeadLetterStore } from '../local/dead-letters/store';
import { localDataDirs } from './local-data';

async function main(): Promise<void> {
  const stores = localDataDirs().map(({ dir, what }) => ({ what, store: new DeadLetterStore(dir) }));
  const found = await Promise.all(stores.map(async ({ what, store }) => ({ what, store, letters: await store.list() })));
  if (process.argv.includes('--json')) {
    for (const { letters } of found) for (const letter of letters) console.log(JSON.stringify(letter));
    return;
  }
  for (const { what, store, letters } of found) {
    if (letters.length === 0) {
      console.log(`No dead letters in ${store.file} (${what}).`);
      continue;
    }
    console.log(`${letters.length} dead letter(s) in ${store.file} (${what}):`);
    for (const letter of letters) {
      const { event } = letter;
      console.log(`  ${letter.failedAt}  ${letter.route}  ${event.source} ${event['detail-type']}  event ${event.id}`);
      console.log(`    after ${letter.attempts} attempt(s): ${letter.reason}`);
      console.log(`    dead letter ${letter.id}`);
    }
  }
  if (found.some(({ letters }) => letters.length > 0)) {
    console.log(
      '\n--json prints them whole, events included; npm run redrive delivers them again through the running stack that wrote them.',
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
