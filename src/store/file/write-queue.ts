/**
 * Runs tasks one at a time, in the order they were queued.
 *
 * Every store write reads the current state, computes the next one and commits it; running them
 * one after another is what stops two concurrent handlers from both reading version N and one of
 * them silently overwriting the other (a lost vote). A failed task rejects only its own caller.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => this.settle(),
      () => this.settle(),
    );
    return result;
  }

  /** Resolves once every task queued so far has finished, whether it succeeded or not. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private settle(): void {
    this.pending -= 1;
  }
}
