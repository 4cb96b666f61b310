import { agentProxyRoute } from '@/lib/agent-proxy';

export const dynamic = 'force-dynamic';

const handle = agentProxyRoute('api');
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
