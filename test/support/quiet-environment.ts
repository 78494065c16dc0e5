// The test environment of every test file (jest.config.js): Node's, except that what the code under
// test prints (the handlers' Powertools JSON lines, the local runtime's "[bus] …" lines, a test's own
// console.log) is kept instead of printed, and printed to stderr only when a test or a hook of the
// file fails, with the name of what failed. A passing `npm test` prints only jest's own report.
// TEST_LOGS=1 prints everything as it comes, as plain jest does.
//
// Powertools' logger writes to `process.stdout` (a Console of its own outside POWERTOOLS_DEV), so
// the test's `process.stdout` and `process.stderr` are replaced as well as its `console`. Child
// processes (`npm start`, the demo) are not affected: their output is piped to the tests that run them.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

/** Characters kept since the last passing test; the oldest go first. */
const MAX_KEPT = 4 * 1024 * 1024;

export default class QuietEnvironment extends NodeEnvironment {
  private readonly testPath: string;
  private readonly sink: Writable | undefined;
  private kept: string[] = [];
  private keptSize = 0;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
    if (process.env.TEST_LOGS) return;
    this.sink = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.keep(String(chunk));
        done();
      },
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      Object.defineProperty(this.global.process, stream, { value: this.sink, configurable: true, writable: true });
    }
  }

  override async setup(): Promise<void> {
    await super.setup();
    // Jest sets the test's console before setup(); this one writes where the rest goes.
    if (this.sink) this.global.console = new Console({ stdout: this.sink, stderr: this.sink });
  }

  handleTestEvent(event: Circus.Event): void {
    if (!this.sink) return;
    if (event.name === 'test_done') {
      if (event.test.errors.length > 0) this.print(`the test "${fullName(event.test)}" failed`);
      else this.forget();
    } else if (event.name === 'hook_failure') {
      this.print(`a ${event.hook.type} hook${event.hook.parent.parent ? ` of "${fullName(event.hook.parent)}"` : ''} failed`);
    }
  }

  private keep(text: string): void {
    this.kept.push(text);
    this.keptSize += text.length;
    while (this.keptSize > MAX_KEPT && this.kept.length > 1) this.keptSize -= this.kept.shift()!.length;
  }

  private forget(): void {
    this.kept = [];
    this.keptSize = 0;
  }

  private print(what: string): void {
    const output = this.kept.join('');
    this.forget();
    if (output.trim() === '') return;
    const file = this.testPath.replace(`${process.cwd()}/`, '');
    process.stderr.write(
      `\n──── ${file}: ${what}; what it printed since the test before it ────\n${output}${output.endsWith('\n') ? '' : '\n'}──── end of ${file}'s output ────\n`,
    );
  }
}

/** "describe › nested describe › test", as jest names it. */
function fullName(block: Circus.TestEntry | Circus.DescribeBlock): string {
  const names: string[] = [];
  for (let at: Circus.TestEntry | Circus.DescribeBlock | undefined = block; at?.parent; at = at.parent) names.unshift(at.name);
  return names.join(' › ');
}
