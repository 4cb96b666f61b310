/** Defaults (documented in apps/agent/src/store/README.md): a week of history, at most 2 GiB of database. */
export const DEFAULT_RETENTION = { maxAgeSec: 7 * 86_400, maxSizeBytes: 2 * 1024 ** 3 };
export type RetentionLimits = typeof DEFAULT_RETENTION;
