import type { AgentServices } from '../agent-services';

/** Per request: the agent's services and whether the caller presented the agent's token. */
export interface ApiContext {
  services: AgentServices;
  authorized: boolean;
}
