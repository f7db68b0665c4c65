import type { Db } from './open-store.js';

interface QueuedWrite {
  /** Runs the write and keeps its result; throws what it throws. */
  write: () => void;
  /** Records a failure of the write alone. */
  fail: (error: unknown) => void;
  /** Settles the caller's promise: with the write's own outcome, or the batch's failure. */
  settle: (batchFailure: { error: unknown } | undefined) => void;
}

/**
 * Writes that arrive in the same event-loop turn share one SQLite
 * transaction: a commit (and its WAL append) costs more than the writes of a
 * typical OTLP request, so committing per batch is what lets `ccmon serve`
 * keep up with thousands of requests a second.
 *
 * A batch first runs its writes one after the other. Should one throw, the
 * batch is rolled back and run again with each write in its own savepoint,
 * so that the one that throws is rolled back alone and rejects alone: a
 * savepoint per write cost about 5% of the writer thread under load, for
 * failures that hardly ever happen. (So a batch's writes may run twice; they
 * change nothing but the store.) The others resolve only once the batch has
 * committed, so a resolved write is stored.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  // Made once: better-sqlite3 prepares BEGIN, COMMIT and the savepoint statements per wrapper.
  private readonly inOneTransaction;
  private readonly eachInSavepoint;

  /** `beforeCommit` runs in each batch's transaction after its writes (if it throws, the batch fails). */
  constructor(
    private readonly db: Db,
    beforeCommit: () => void = () => {},
  ) {
    this.inOneTransaction = db.transaction((batch: readonly QueuedWrite[]) => {
      for (const queued of batch) queued.write();
      beforeCommit();
    });
    // Nested in the batch's transaction, a better-sqlite3 transaction is a savepoint.
    const inSavepoint = db.transaction((write: () => void) => write());
    this.eachInSavepoint = db.transaction((batch: readonly QueuedWrite[]) => {
      for (const queued of batch) {
        try {
          inSavepoint(queued.write);
        } catch (error) {
          queued.fail(error);
          // SQLite rolled back the whole transaction (e.g. disk full): the
          // writes after this one would each commit alone, so stop here.
          if (!this.db.inTransaction) throw error;
        }
      }
      beforeCommit();
    });
  }

  /** Runs `write` in the next batch; resolves with its result once the batch committed. */
  run<T>(write: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      this.queue.push({
        write: () => {
          outcome = { ok: true, value: write() };
        },
        fail: (error) => {
          outcome = { ok: false, error };
        },
        settle: (batchFailure) => {
          if (batchFailure) reject(batchFailure.error);
          else if (outcome?.ok) resolve(outcome.value);
          else reject(outcome?.error);
        },
      });
      // setImmediate runs after this turn's I/O callbacks: every request whose
      // body arrived in the same poll joins the batch.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes what is queued now, then refuses new writes (before the store is closed). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private flush(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let batchFailure: { error: unknown } | undefined;
    try {
      this.inOneTransaction(batch);
    } catch {
      // Nothing of the batch is stored: again, so that only what fails fails.
      try {
        this.eachInSavepoint(batch);
      } catch (error) {
        // Nothing of the batch is stored.
        batchFailure = { error };
      }
    }
    for (const queued of batch) queued.settle(batchFailure);
  }
}
