import { agentProxyRoute } from '@/lib/agent-proxy';

export const dynamic = 'force-dynamic';

const handle = agentProxyRoute('trpc');
export { handle as GET, handle as POST };
