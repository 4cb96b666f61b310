import { z } from 'zod';

/*
 * Where a download's time went (DESIGN §7, ours), from the kernel's TCP chronographs over the
 * task (tcp_info's tcpi_busy_time, tcpi_rwnd_limited, tcpi_sndbuf_limited; jiffy resolution,
 * 4 ms at HZ=250). Carried on R and W records of the server side whose download the
 * chronographs saw, never in a log line.
 */
export const downloadChronoSchema = z.object({
  /** Data in flight or queued (all three chronographs together). */
  busyUs: z.int().min(0),
  /** Stalled by the client's receive window. */
  rwndLimitedUs: z.int().min(0),
  /** The server blocked on a full send buffer (the network or client could not take more). */
  sndbufLimitedUs: z.int().min(0),
});
export type DownloadChrono = z.infer<typeof downloadChronoSchema>;

/** A download split into what held it back; the three shares add up to 1. */
export interface DownloadLimits {
  /** The client's receive window (a client reading slowly). */
  receiverShare: number;
  /** The network: data in flight, congestion window, retransmissions, a full send buffer. */
  networkShare: number;
  /** The server not writing: nothing in flight or queued. */
  applicationShare: number;
  /** Response bytes per second of download time; null without download time. */
  bytesPerSec: number | null;
}

/**
 * The split of a download of `downloadUs` (T3−T2) that sent `bytesSent`. The chronographs count
 * whole jiffies from task start to the record, so busy time can exceed the download time by a
 * jiffy: the shares are of the larger of the two.
 */
export function downloadLimits(
  downloadUs: number,
  bytesSent: number,
  chrono: DownloadChrono,
): DownloadLimits | null {
  const spanUs = Math.max(downloadUs, chrono.busyUs);
  if (spanUs === 0) return null;
  const receiverUs = Math.min(chrono.rwndLimitedUs, chrono.busyUs);
  return {
    receiverShare: receiverUs / spanUs,
    networkShare: (chrono.busyUs - receiverUs) / spanUs,
    applicationShare: (spanUs - chrono.busyUs) / spanUs,
    bytesPerSec: downloadUs > 0 ? (bytesSent * 1_000_000) / downloadUs : null,
  };
}
