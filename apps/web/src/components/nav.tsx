'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { carriedQuery } from '@/lib/carried-query';

const SECTIONS: { title: string; links: { href: string; label: string }[] }[] = [
  {
    title: 'Latency',
    links: [
      { href: '/', label: 'Overview' },
      { href: '/trends', label: 'Port trends' },
      { href: '/endpoints', label: 'Endpoints' },
      { href: '/tasks', label: 'Tasks' },
      { href: '/close-reasons', label: 'Close reasons' },
    ],
  },
  {
    title: 'Many hosts',
    links: [{ href: '/fleet', label: 'Fleet' }],
  },
  {
    title: 'Agent',
    links: [
      { href: '/config', label: 'Configuration' },
      { href: '/logs', label: 'Raw logs' },
      { href: '/status', label: 'Status' },
    ],
  },
];

function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return (
    pathname === href ||
    pathname.startsWith(`${href}/`) ||
    (href === '/tasks' && pathname.startsWith('/connections/'))
  );
}

export function Nav() {
  const pathname = usePathname();
  // The time range follows the user from page to page.
  const query = carriedQuery(useSearchParams());
  return (
    <nav className="nav" aria-label="Main">
      <div className="nav-brand">
        tcprt <small>console</small>
      </div>
      {SECTIONS.map((section) => (
        <div key={section.title}>
          <div className="nav-section">{section.title}</div>
          <ul>
            {section.links.map((link) => (
              <li key={link.href}>
                <Link
                  href={`${link.href}${query}`}
                  aria-current={isActive(pathname, link.href) ? 'page' : undefined}
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
