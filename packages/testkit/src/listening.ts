import { runCommand } from './command';
import { waitUntil } from './waitUntil';

// Asks the kernel (ss) instead of connecting: a probe connection would itself be a tracked
// connection once a collector is running.
async function isListening(port: number, netns?: string): Promise<boolean> {
  const { stdout } = await runCommand(['ss', '-Hltn', `sport = :${port}`], { netns });
  return stdout.trim() !== '';
}

export async function waitForListening(
  port: number,
  timeoutMs: number,
  netns?: string,
): Promise<void> {
  await waitUntil(
    `a listener on port ${port}${netns ? ` in ${netns}` : ''}`,
    () => isListening(port, netns),
    timeoutMs,
  );
}
