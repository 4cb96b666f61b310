export * from './schema';
export * from './port-spec';
export * from './rule-side';
export * from './yaml';
export * from './legacy';
export * from './match';
export * from './stats-ports';
export * from './kernel-limits';
