// The progress bar of the command-line tools that send many events (`npm run demo`, `npm run import`).

const int = (n: number) => n.toLocaleString('en-GB');
export const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
};

/** One line on stderr: redrawn in a terminal, every tenth printed on its own line otherwise. */
export class ProgressBar {
  private sentCount = 0;
  private readonly startedAt = performance.now();
  private timer?: NodeJS.Timeout;
  private lastTenth = -1;
  private drawn = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  /** `done()` counts what is finished (delivered, sent), `doneWord` names it on the line. */
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly done: () => number,
    private readonly doneWord: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), this.tty ? 200 : 500);
  }

  sent(count: number): void {
    this.sentCount += count;
  }

  /** A line from the stack, printed above the bar. */
  log(line: string): void {
    this.clear();
    process.stderr.write(`${line}\n`);
    this.draw();
  }

  finish(): void {
    clearInterval(this.timer);
    this.draw(true);
    if (this.tty) process.stderr.write('\n');
    this.drawn = false;
  }

  private clear(): void {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[K');
  }

  private draw(final = false): void {
    if (this.timer === undefined && !final) return;
    const delivered = this.done();
    const done = Math.min(1, delivered / this.total);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = delivered / Math.max(seconds, 0.001);
    const left = rate > 0 ? ((this.total - Math.min(delivered, this.total)) / rate) * 1000 : NaN;
    const width = 24;
    const bar = '█'.repeat(Math.round(done * width)).padEnd(width, '░');
    const line =
      `${this.label} [${bar}] ${String(Math.floor(done * 100)).padStart(3)}%  ${int(this.sentCount)}/${int(this.total)} sent · ${int(delivered)} ${this.doneWord} · ${int(Math.round(rate))} events/s` +
      (final ? ` · ${duration(seconds * 1000)}` : Number.isFinite(left) ? ` · about ${duration(left)} left` : '');
    if (this.tty) {
      this.clear();
      process.stderr.write(line);
      this.drawn = true;
    } else {
      const tenth = Math.floor(done * 10);
      if (tenth > this.lastTenth || final) process.stderr.write(`${line}\n`);
      this.lastTenth = tenth;
    }
  }
}
