// The agent's API contract: zod inputs and outputs of every tRPC procedure and REST path.
export * from './common';
export * from './records';
export * from './stats';
export * from './endpoints';
export * from './port-service';
export * from './status';
export * from './raw';
export * from './config';
