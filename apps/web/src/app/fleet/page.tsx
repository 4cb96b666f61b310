import type { Metadata } from 'next';
import { prometheusUrl } from '@/lib/fleet/fleet-query';
import { DEFAULT_HOST_URL_TEMPLATE, parseFleetParams } from '@/lib/fleet/fleet-rows';
import { FleetView } from '@/views/fleet/fleet-view';

export const metadata: Metadata = { title: 'Fleet' };
// Read per request: the settings come from the server's environment, the numbers from Prometheus.
export const dynamic = 'force-dynamic';

export default async function FleetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <FleetView
      prometheusUrl={prometheusUrl()}
      hostUrlTemplate={process.env.TCPRT_FLEET_HOST_URL || DEFAULT_HOST_URL_TEMPLATE}
      params={parseFleetParams(await searchParams)}
    />
  );
}
