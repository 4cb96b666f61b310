import type { Metadata, Viewport } from 'next';
import { Suspense, type ReactNode } from 'react';
import { Nav } from '@/components/nav';
import { Providers } from '@/components/providers';
import { HealthBanner } from '@/components/health-banner';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'tcprt console', template: '%s · tcprt' },
  description: 'Per-request TCP timing: where the time goes between client, network and server.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className="shell">
            <Suspense fallback={<nav className="nav" aria-label="Main" />}>
              <Nav />
            </Suspense>
            <div className="main">
              <HealthBanner />
              <main className="content" id="content">
                {children}
              </main>
            </div>
          </div>
        </Providers>
      </body>
    </html>
  );
}
