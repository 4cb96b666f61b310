import type { TcprtConfig, TcprtRecord } from '@tcprt/schema';

/** What the supervisor needs from a collector (the real one spawns the eBPF loader; tests may feed records). */
export interface CollectorHealthReport {
  lostRecords?: number;
  kernel?: string;
  support?: Record<string, boolean>;
}

export interface CollectorHandle {
  applyConfig(config: TcprtConfig): void | Promise<void>;
  deactivate(): void | Promise<void>;
  activate(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface CollectorCallbacks {
  config: TcprtConfig;
  onRecord(record: TcprtRecord): void;
  onHealth(health: CollectorHealthReport): void;
  onExit(reason: string): void;
}

export type StartCollector = (
  callbacks: CollectorCallbacks,
) => CollectorHandle | Promise<CollectorHandle>;
