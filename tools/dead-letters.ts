// `npm run dead-letters [-- --json]`: the events the local bus gave up on, with the route and reason.
import { DeadLetterStore } from '../local/dead-letters/store';
import { localDataDir } from '../local/settings';

async function main(): Promise<void> {
  const store = new DeadLetterStore(localDataDir());
  const letters = await store.list();
  if (process.argv.includes('--json')) {
    for (const letter of letters) console.log(JSON.stringify(letter));
    return;
  }
  if (letters.length === 0) {
    console.log(`No dead letters in ${store.file}.`);
    return;
  }
  for (const letter of letters) {
    const { event } = letter;
    console.log(`${letter.failedAt}  ${letter.route}  ${event.source} ${event['detail-type']}  event ${event.id}`);
    console.log(`  after ${letter.attempts} attempt(s): ${letter.reason}`);
    console.log(`  dead letter ${letter.id}`);
  }
  console.log(`\n${letters.length} dead letter(s) in ${store.file}; --json prints them whole, events included.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
