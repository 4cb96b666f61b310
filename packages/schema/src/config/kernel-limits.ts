/*
 * What the kernel's maps can hold (packages/bpf/src/tcprt.h, TCPRT_MAX_PORT_RULES and
 * TCPRT_MAX_RANGE_RULES) and what the loader's `rules` command accepts. The config schema checks
 * these so that a config the loader would refuse is rejected with its line before it is applied.
 * test/kernel-limits.test.ts reads tcprt.h and fails when the two disagree.
 */

/** Single-port rules, local and peer together (one hash map per generation). */
export const MAX_SINGLE_PORT_RULES = 1024;
/** Port-range rules per side (local, peer): one array slice per side and generation. */
export const MAX_RANGE_RULES_PER_SIDE = 128;
/** Every rule the kernel can hold at once. */
export const MAX_RULES = MAX_SINGLE_PORT_RULES + 2 * MAX_RANGE_RULES_PER_SIDE;
/** A first_frame step is a __u32 byte count in the kernel. */
export const MAX_FIRST_FRAME_BYTES = 2 ** 32 - 1;
/**
 * Bytes of an HTTP request's path the kernel keeps per task (http mode): the request target up to
 * the first '?' or space. Longer paths are cut here and flagged `pathTruncated`.
 */
export const HTTP_PATH_MAX_BYTES = 96;
