// The order of a run's test files. Jest orders them by how long each took in its last run on this
// machine; with no such record (a fresh clone, CI), by file size. Then a long end-to-end file can
// start last and run alone on one core while the other has finished. So, without a record: the
// end-to-end files first (a whole stack or the CDK CLI each), then the integration files, then the
// quick unit files, which fill both cores to the end; by size within each.
const Sequencer = require('@jest/test-sequencer').default;

const order = ['e2e', 'integration', 'unit'];

class WholeStacksFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const at = order.indexOf(test.context.config.displayName?.name ?? '');
      return at === -1 ? order.length : at;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b)); // stable: by size within a project
  }
}

module.exports = WholeStacksFirst;
