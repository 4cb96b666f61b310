import type { Page } from '@playwright/test';
import path from 'node:path';
import { WEB_ROOT } from './processes';

export const ARTIFACTS_DIR = path.join(WEB_ROOT, 'artifacts');

/** Saves what the viewport (1280×800 unless a test changes it) shows as artifacts/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await page.waitForLoadState('networkidle');
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
