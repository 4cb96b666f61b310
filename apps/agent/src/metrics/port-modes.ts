import { matchRule, portModeSchema, type PortMode, type TcprtConfig } from '@tcprt/schema';

export type Side = 'local' | 'peer';

const UNKNOWN = -1;
const UNTRACKED = 0;
const MODES: readonly PortMode[] = portModeSchema.options;

/**
 * Which rule tracks a port on each side, answered per record in O(1): the answer of the config's
 * own `matchRule` is cached per port until the config changes. Records of a port no rule names
 * any more (the config changed while its connection was open) count under mode `default`.
 */
export class PortModes {
  /** Per side, per port: UNKNOWN, UNTRACKED or 1 + index into MODES. */
  private readonly codes = { local: new Int8Array(65_536), peer: new Int8Array(65_536) };
  private config: TcprtConfig | null = null;

  setConfig(config: TcprtConfig): void {
    this.config = config;
    this.codes.local.fill(UNKNOWN);
    this.codes.peer.fill(UNKNOWN);
  }

  /** The mode of a port's rule on that side, or null when no rule of that side tracks it. */
  mode(side: Side, port: number): PortMode | null {
    const codes = this.codes[side];
    let code = codes[port]!;
    if (code === UNKNOWN) {
      code = this.lookUp(side, port);
      codes[port] = code;
    }
    return code === UNTRACKED ? null : MODES[code - 1]!;
  }

  private lookUp(side: Side, port: number): number {
    if (!this.config) return UNTRACKED;
    // Port -1 on the other side matches no rule, so only rules of `side` can answer.
    const match = matchRule(
      this.config,
      side === 'local' ? { localPort: port, peerPort: -1 } : { localPort: -1, peerPort: port },
    );
    return !match || match.peer !== (side === 'peer')
      ? UNTRACKED
      : 1 + MODES.indexOf(match.rule.mode);
  }
}
