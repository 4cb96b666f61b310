import { HOOK_NAMES } from '../collector/abi';
import { PER_CPU_BATCHES } from '../collector/frames';
import { startCollector } from '../collector';
import type { StartCollector } from './collector-port';

/** The eBPF collector (packages/bpf loader, apps/agent/src/collector) behind the supervisor's interface. */
export const startRealCollector: StartCollector = async (callbacks) => {
  const collector = await startCollector({
    config: callbacks.config,
    onRecord: (record) => callbacks.onRecord(record),
    onHealth: (h) =>
      callbacks.onHealth({
        // lostStorageAlloc counts connections left untracked, not records: only ring-buffer drops are lost records.
        lostRecords: h.lostRingbufFull,
        support: {
          ...Object.fromEntries(HOOK_NAMES.map((name) => [name, h.attachedHooks.includes(name)])),
          // false: the kernel lacks BPF atomics (or TCPRT_FORCE_NO_ATOMICS=1), records go straight into the ring.
          [PER_CPU_BATCHES]: h.ringPath === 'batched',
        },
      }),
    onExit: (exit) => {
      if (!exit.requested)
        callbacks.onExit(exit.error ?? `the collector exited (${exit.code ?? exit.signal})`);
    },
    onDiagnostic: (line) => process.stderr.write(`tcprt collector: ${line}\n`),
  });
  return collector;
};
