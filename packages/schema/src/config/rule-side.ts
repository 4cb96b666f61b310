/** A rule matches peer (remote) ports when it says so, else when the global default says so. */
export function ruleIsPeer(rule: { peer?: boolean | undefined }, globalPeer: boolean): boolean {
  return rule.peer ?? globalPeer;
}

export function sideName(peer: boolean): 'peer' | 'local' {
  return peer ? 'peer' : 'local';
}
