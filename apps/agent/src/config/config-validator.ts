import { Worker } from 'node:worker_threads';
import type { ConfigCheck } from './config-codec';

/** A candidate not checked by then is refused (and the thread replaced): nothing waits forever. */
export const VALIDATION_TIMEOUT_MS = 10_000;
/**
 * The thread ends after this long without a candidate: it holds ~23 MB of the agent's resident
 * memory, and candidates come from people (the console's Validate button, `config validate`),
 * rarely. The next one starts it again (a few hundred ms, the bundled agent on a loaded machine).
 */
export const VALIDATOR_IDLE_MS = 60_000;

export interface ValidatorRequest {
  id: number;
  text: string;
}
export interface ValidatorReply {
  id: number;
  check: ConfigCheck;
}

type Waiting = { resolve(check: ConfigCheck): void; timer: NodeJS.Timeout };

/**
 * Checks YAML candidates that come through the API in a worker thread, so that no request, however
 * large or however many, holds up the agent's event loop (records, status, the other requests).
 */
export class ConfigValidator {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = VALIDATOR_IDLE_MS) {}

  /** Whether the thread is there (it ends after `idleMs` without a candidate). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the thread ahead of the first request (loading it takes a second or more under tsx). */
  start(): void {
    this.thread();
    this.stopWhenIdle();
  }

  check(text: string): Promise<ConfigCheck> {
    const worker = this.thread();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<ConfigCheck>((resolve) => {
      const timer = setTimeout(() => {
        this.settleAll(`not checked within ${VALIDATION_TIMEOUT_MS} ms`);
        void this.stop();
      }, VALIDATION_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
      worker.postMessage({ id, text } satisfies ValidatorRequest);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./validator-thread-entry.mjs', import.meta.url));
    worker.on('message', ({ id, check }: ValidatorReply) => {
      const waiting = this.waiting.get(id);
      if (!waiting) return;
      this.waiting.delete(id);
      clearTimeout(waiting.timer);
      waiting.resolve(check);
      if (this.waiting.size === 0) this.stopWhenIdle();
    });
    const gone = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settleAll(reason);
    };
    worker.on('error', (err) => gone(`the validator failed: ${err.message}`));
    worker.on('exit', () => gone('the validator stopped'));
    // Idle, it must not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stop(), this.idleMs);
    this.idleTimer.unref();
  }

  private settleAll(reason: string): void {
    for (const waiting of this.waiting.values()) {
      clearTimeout(waiting.timer);
      waiting.resolve({ ok: false, issues: [{ line: null, path: '', message: reason }] });
    }
    this.waiting.clear();
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.settleAll('the agent is stopping');
    await worker?.terminate();
  }
}
