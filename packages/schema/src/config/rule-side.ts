/** A rule matches peer (remote) ports when it says so, else when the global default says so. */
export function ruleIsPeer(rule: { peer?: boolean | undefined }, globalPeer: boolean): boolean {
  return rule.peer ?? globalPeer;
}

/** ruleIsPeer for a rule that may be anything: a `peer` that is not a boolean counts as unset. */
export function uncheckedRuleIsPeer(rule: unknown, globalPeer: boolean): boolean {
  const peer = typeof rule === 'object' && rule !== null ? (rule as { peer?: unknown }).peer : null;
  return ruleIsPeer({ peer: typeof peer === 'boolean' ? peer : undefined }, globalPeer);
}

export function sideName(peer: boolean): 'peer' | 'local' {
  return peer ? 'peer' : 'local';
}
