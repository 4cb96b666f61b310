/** One socket of /proc/net/tcp or /proc/net/tcp6, the fields the port-service scan needs. */
export interface ProcTcpSocket {
  localPort: number;
  remotePort: number;
  /** The kernel's TCP state number (include/net/tcp_states.h). */
  state: number;
  /** The socket's inode, as in `/proc/<pid>/fd/N -> socket:[inode]`; 0 for sockets no file holds (TIME_WAIT). */
  inode: number;
}

export const TCP_ESTABLISHED = 0x01;
export const TCP_LISTEN = 0x0a;

/** The port of an `ADDR:PORT` field (address and port in hex; tcp6 addresses are 32 digits). */
function portOf(field: string): number {
  return parseInt(field.slice(field.lastIndexOf(':') + 1), 16);
}

/**
 * The sockets of one /proc/net/tcp{,6} text. Lines that do not have the kernel's layout
 * (`sl local_address rem_address st ... uid timeout inode`) are skipped: the header, and anything
 * a future kernel might add.
 */
export function parseProcNetTcp(text: string): ProcTcpSocket[] {
  const sockets: ProcTcpSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [sl, local, remote, state, , , , , , inode] = fields;
    if (!sl?.endsWith(':') || !local || !remote || !state || inode === undefined) continue;
    const socket = {
      localPort: portOf(local),
      remotePort: portOf(remote),
      state: parseInt(state, 16),
      inode: Number(inode),
    };
    if (Object.values(socket).every(Number.isInteger)) sockets.push(socket);
  }
  return sockets;
}

/** `socket:[12345]` (a /proc/<pid>/fd link) → 12345; anything else → null. */
export function socketInodeOfLink(link: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}
