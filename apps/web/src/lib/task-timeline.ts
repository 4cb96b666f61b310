import {
  taskPhases,
  unfinishedTaskPhases,
  type PRecord,
  type RRecord,
  type TcprtRecord,
} from '@tcprt/schema';

/**
 * One task laid out on its own time axis (µs after T0), from its exact record: the schema's
 * phase split (taskPhases, unfinishedTaskPhases) with the markers and names to draw it.
 * Local mode (R, W, N): T0 first request byte, T1 last request byte, T2 first response byte,
 * T3 last ACK. Peer mode (P): the request is sent, then the service and receive times follow.
 */
export interface TaskTimeline {
  uploadUs: number;
  processUs: number;
  downloadUs: number;
  /** Elapsed time not attributable to a finished phase (W: the response was still being sent). */
  unfinishedUs: number;
  endUs: number;
  markers: { atUs: number; label: string }[];
  phaseNames: { upload: string; process: string; download: string };
}

const LOCAL_NAMES = {
  upload: 'Upload (T0→T1)',
  process: 'Process (T1→T2)',
  download: 'Download (T2→T3)',
};
const PEER_NAMES = {
  upload: 'Request send',
  process: 'Service (peer)',
  download: 'Response receive',
};

/** A finished task (R, P): its phases end to end. */
function finishedTimeline(r: RRecord | PRecord): TaskTimeline {
  const { totalUs, uploadUs, processUs, downloadUs } = taskPhases(r);
  const markers =
    r.type === 'R'
      ? [
          { atUs: 0, label: 'T0' },
          { atUs: uploadUs, label: 'T1' },
          { atUs: uploadUs + processUs, label: 'T2' },
          { atUs: totalUs, label: 'T3' },
        ]
      : [
          { atUs: 0, label: 'sent' },
          { atUs: uploadUs + processUs, label: 'resp.' },
          { atUs: totalUs, label: 'end' },
        ];
  return {
    uploadUs,
    processUs,
    downloadUs,
    unfinishedUs: 0,
    endUs: totalUs,
    markers,
    phaseNames: r.type === 'R' ? LOCAL_NAMES : PEER_NAMES,
  };
}

/** The task's timeline; null for E, which closes a connection rather than a task. */
export function taskTimeline(r: TcprtRecord): TaskTimeline | null {
  switch (r.type) {
    case 'R':
    case 'P':
      return finishedTimeline(r);
    case 'W': {
      const p = unfinishedTaskPhases(r);
      return {
        uploadUs: p.uploadUs,
        processUs: p.processUs,
        downloadUs: 0,
        unfinishedUs: p.downloadUs,
        endUs: p.elapsedUs,
        markers: [
          { atUs: 0, label: 'T0' },
          { atUs: p.uploadUs, label: 'T1' },
          { atUs: p.uploadUs + p.processUs, label: 'T2' },
          { atUs: p.elapsedUs, label: 'close' },
        ],
        phaseNames: { ...LOCAL_NAMES, download: 'Download (unfinished)' },
      };
    }
    case 'N': {
      const p = unfinishedTaskPhases(r);
      return {
        uploadUs: p.uploadUs,
        processUs: 0,
        downloadUs: 0,
        unfinishedUs: 0,
        endUs: p.elapsedUs,
        markers: [
          { atUs: 0, label: 'T0' },
          { atUs: p.elapsedUs, label: 'close' },
        ],
        phaseNames: { ...LOCAL_NAMES, upload: 'Upload (unfinished)' },
      };
    }
    case 'E':
      return null;
  }
}
