import type { TcprtRecord } from '@tcprt/schema';

/**
 * One task laid out on its own time axis (µs after T0), from its exact record.
 * Local mode (R, W, N): T0 first request byte, T1 last request byte, T2 first response byte,
 * T3 last ACK. Peer mode (P): the request is sent, then the service and receive times follow.
 */
export interface TaskPhases {
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

export function taskPhases(r: TcprtRecord): TaskPhases | null {
  switch (r.type) {
    case 'R': {
      const download = Math.max(0, r.totalUs - r.uploadUs - r.processUs);
      return {
        uploadUs: r.uploadUs,
        processUs: r.processUs,
        downloadUs: download,
        unfinishedUs: 0,
        endUs: r.totalUs,
        markers: [
          { atUs: 0, label: 'T0' },
          { atUs: r.uploadUs, label: 'T1' },
          { atUs: r.uploadUs + r.processUs, label: 'T2' },
          { atUs: r.totalUs, label: 'T3' },
        ],
        phaseNames: LOCAL_NAMES,
      };
    }
    case 'W':
      return {
        uploadUs: r.uploadUs,
        processUs: r.processUs,
        downloadUs: 0,
        unfinishedUs: Math.max(0, r.elapsedUs - r.uploadUs - r.processUs),
        endUs: r.elapsedUs,
        markers: [
          { atUs: 0, label: 'T0' },
          { atUs: r.uploadUs, label: 'T1' },
          { atUs: r.uploadUs + r.processUs, label: 'T2' },
          { atUs: r.elapsedUs, label: 'close' },
        ],
        phaseNames: { ...LOCAL_NAMES, download: 'Download (unfinished)' },
      };
    case 'N':
      return {
        uploadUs: r.elapsedUs,
        processUs: 0,
        downloadUs: 0,
        unfinishedUs: 0,
        endUs: r.elapsedUs,
        markers: [
          { atUs: 0, label: 'T0' },
          { atUs: r.elapsedUs, label: 'close' },
        ],
        phaseNames: { ...LOCAL_NAMES, upload: 'Upload (unfinished)' },
      };
    case 'P': {
      const send = Math.max(0, r.totalUs - r.serviceUs - r.receiveUs);
      return {
        uploadUs: send,
        processUs: r.serviceUs,
        downloadUs: r.receiveUs,
        unfinishedUs: 0,
        endUs: r.totalUs,
        markers: [
          { atUs: 0, label: 'sent' },
          { atUs: send + r.serviceUs, label: 'resp.' },
          { atUs: r.totalUs, label: 'end' },
        ],
        phaseNames: PEER_NAMES,
      };
    }
    case 'E':
      return null;
  }
}
