/**
 * Debounced, latest-wins scheduling of lints, one lane per document. Each request bumps
 * the lane's generation; a lint that finishes after a newer request was made is stale and
 * its results are dropped by the caller (`isCurrent`).
 */
export interface LintTicket {
  generation: number;
  /** When the request that this run serves was made (`performance.now()` clock). */
  requestedAt: number;
}

export class LintScheduler<K> {
  private readonly generations = new Map<K, number>();
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly run: (key: K, ticket: LintTicket) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs after `delayMs` of quiet on this lane; every new request restarts the wait. */
  schedule(key: K, delayMs: number): void {
    const ticket = this.bump(key);
    if (delayMs <= 0) {
      void this.run(key, ticket);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.run(key, ticket);
      }, delayMs),
    );
  }

  /** Runs now, superseding anything pending on this lane. */
  runNow(key: K): Promise<void> {
    return this.run(key, this.bump(key));
  }

  /** Forgets the lane: pending work is dropped and running work becomes stale. */
  cancel(key: K): void {
    this.clearTimer(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  isCurrent(key: K, ticket: LintTicket): boolean {
    return this.generations.get(key) === ticket.generation;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.generations.clear();
  }

  private bump(key: K): LintTicket {
    this.clearTimer(key);
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    return { generation, requestedAt: this.now() };
  }

  private clearTimer(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }
}
