// Every property test draws from one fixed seed, so that `npm test` runs the same cases every time
// (a test is deterministic or it is not a test). FC_SEED=<n> npm test explores other cases; a failure
// prints its seed and path, and FC_SEED=<that seed> replays it.
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 2019);
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, not ${process.env.FC_SEED}`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
