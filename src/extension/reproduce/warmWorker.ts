/**
 * One spare reproduction worker, forked ahead of time so that "Reproduce training" shows its
 * first point without waiting for Node and TensorFlow.js to load (seconds on a busy machine).
 * Forked only in a trusted workspace with `nanguard.reproduction.prewarm` on, when a file with a
 * compiled model has been analysed, and after each run (for "Try the suggested fix"); an unused
 * spare exits after a few idle minutes. TensorFlow.js loads in that process, never here.
 */
import * as vscode from 'vscode';
import { DEFAULT_CAPS } from '../../repro/plan';
import { forkWorker, type WarmWorker } from '../../repro/runner';

const IDLE_MS = 5 * 60_000;

export class WarmWorkerPool implements vscode.Disposable {
  private spare: WarmWorker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly enabled: () => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Makes sure a spare worker is starting or ready (when allowed). */
  warm(reason: string): void {
    if (!vscode.workspace.isTrusted || !this.enabled()) return;
    if (this.spare && this.isAlive(this.spare)) {
      this.armIdleTimer();
      return;
    }
    try {
      this.spare = forkWorker(DEFAULT_CAPS.maxWorkerMemoryMb);
      const pid = this.spare.child.pid;
      this.spare.child.once('exit', () => {
        if (this.spare?.child.pid === pid) this.spare = undefined;
      });
      this.log.info(`reproduction worker ${pid} forked ahead of time (${reason})`);
      this.armIdleTimer();
    } catch (error) {
      this.log.warn(`could not fork a reproduction worker ahead of time: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The spare worker, handed over to a run (which owns it from then on). */
  take(): WarmWorker | undefined {
    const spare = this.spare;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    return spare && this.isAlive(spare) ? spare : undefined;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.spare?.child.kill();
    this.spare = undefined;
  }

  private isAlive(w: WarmWorker): boolean {
    return w.child.connected && w.child.exitCode === null && w.child.signalCode === null;
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.spare?.child.kill();
      this.spare = undefined;
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }
}
