/** Ports as the stats lines name them: local `80`, peer `P3306`; in prose, `:80` and `peer :3306`. */
export function portLabel(port: number, peer: boolean): string {
  return peer ? `peer :${port}` : `:${port}`;
}
