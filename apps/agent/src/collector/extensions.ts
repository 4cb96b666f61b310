import { R_EXTENSION_ORDER, type FirstFrameStep } from '@tcprt/schema';

/*
 * The V7 extension fields of struct tcprt_record (packages/bpf/src/tcprt.h): `extensions` has one
 * bit per letter in SPEC order (bit 0 = C, 1 = Z, 2 = A, 3 = H, 4 = F), and each first_frame slot
 * carries the step it was measured against (0 = unused step, which prints no token).
 */

export interface KernelFirstFrameSlot {
  stepBytes: number;
  bytes: number;
  us: number;
}

/** 'AF' for the bits of A and F: the letters after `R.`, in C Z A H F order. */
export function extensionLetters(bits: number): string {
  return [...R_EXTENSION_ORDER].filter((_, bit) => bits & (1 << bit)).join('');
}

/** One token per configured (non-zero) step; a step the task never reached reads 0:0. */
export function firstFrameSteps(slots: readonly KernelFirstFrameSlot[]): FirstFrameStep[] {
  return slots.filter((s) => s.stepBytes > 0).map(({ bytes, us }) => ({ bytes, us }));
}
