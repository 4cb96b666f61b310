import { isSinglePort, portRangeOf, portSpecProblem, type PortSpec } from './port-spec';
import { ruleIsPeer, sideName } from './rule-side';

export interface RuleOverlap {
  /** Index of the later rule in `per-port`. */
  index: number;
  message: string;
}

interface RuleLike {
  port?: unknown;
  peer?: unknown;
}

function validSpec(port: unknown): PortSpec | null {
  return (typeof port === 'number' || typeof port === 'string') && portSpecProblem(port) === null
    ? port
    : null;
}

/**
 * Rules that can never decide anything because an earlier rule of the same side and the same
 * kind (single port / range) already covers their ports. A single port inside a range is NOT an
 * overlap: SPEC §4 checks single ports before ranges, so it is a deliberate exception.
 * Works on partly invalid input (rules whose port is invalid are skipped) so that these
 * problems are reported together with every other problem of the file.
 */
export function findRuleOverlaps(rules: readonly RuleLike[], globalPeer: boolean): RuleOverlap[] {
  const overlaps: RuleOverlap[] = [];
  rules.forEach((rule, index) => {
    const spec = validSpec(rule.port);
    if (spec === null) return;
    const peer = ruleIsPeer(
      { peer: typeof rule.peer === 'boolean' ? rule.peer : undefined },
      globalPeer,
    );
    const range = portRangeOf(spec);
    const earlier = rules.slice(0, index).findIndex((other) => {
      const otherSpec = validSpec(other.port);
      if (otherSpec === null || isSinglePort(otherSpec) !== isSinglePort(spec)) return false;
      const otherPeer = ruleIsPeer(
        { peer: typeof other.peer === 'boolean' ? other.peer : undefined },
        globalPeer,
      );
      const otherRange = portRangeOf(otherSpec);
      return otherPeer === peer && otherRange.start <= range.end && range.start <= otherRange.end;
    });
    if (earlier >= 0) {
      const what = isSinglePort(spec) ? 'duplicates' : 'overlaps';
      overlaps.push({
        index,
        message: `${sideName(peer)} port ${spec} ${what} per-port[${earlier}]`,
      });
    }
  });
  return overlaps;
}
