export * from './records';
export * from './ip';
export * from './ascii-writer';
export * from './log-line';
export * from './stats-line';
export * from './stats-accumulator';
export * from './api';
export * from './config/index';
