"""
T2 of a default-mode server against a packet capture on the server's own interface (issue 14,
timing edge case b). Prints figures; it is not a test. Needs root, tcpdump and the workspace set up.

Three network namespaces: the server's (a veth, where tcpdump captures), a middle one that routes
into a TUN device, and the client's (the other TUN device). relay.py moves packets between the two
TUN devices after a fixed delay (this kernel has no netem), so the server's veth sees every segment
when it leaves and the delay lies beyond it. The server answers each request after 3-5 ms (spun)
with a large response; the client is idle 20-30 ms between requests. `tcprt collect` tracks the
server's port; each R record's T1 and T2 are compared with the capture: the request's arrival and
the first response segment's departure on the server's veth.

usage: scripts/bench/t2-capture [down|up|both] [TASKS] [RESPONSE_BYTES]
  down: 20 ms server → client; up: 20 ms client → server; both: 10 ms each way
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '../../..'))
variant = sys.argv[1] if len(sys.argv) > 1 else 'down'
tasks_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 40
size = int(sys.argv[3]) if len(sys.argv) > 3 else 1 << 20
DELAYS_MS = {'down': ('20', '0'), 'up': ('0', '20'), 'both': ('10', '10')}
if variant not in DELAYS_MS:
    sys.exit(__doc__)
tag = f'tcprt-t2-{os.getpid()}'
SRV, MID, CLI = f'{tag}-s', f'{tag}-m', f'{tag}-c'
SA, MA, CA = '10.201.0.1', '10.201.0.2', '10.201.2.2'
PORT = 18080 + os.getpid() % 1000
work = tempfile.mkdtemp(prefix='tcprt-t2-')


def sh(*argv, **kw):
    return subprocess.run(list(argv), check=True, **kw)


def link_up():
    for ns in (SRV, MID, CLI):
        sh('ip', 'netns', 'add', ns)
        sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
    sh('ip', 'link', 'add', 'veth-s', 'netns', SRV, 'type', 'veth', 'peer', 'name', 'veth-m', 'netns', MID)
    sh('ip', '-n', SRV, 'addr', 'add', SA + '/30', 'dev', 'veth-s')
    sh('ip', '-n', MID, 'addr', 'add', MA + '/30', 'dev', 'veth-m')
    sh('ip', '-n', SRV, 'link', 'set', 'veth-s', 'up')
    sh('ip', '-n', MID, 'link', 'set', 'veth-m', 'up')
    sh('ip', '-n', SRV, 'route', 'add', 'default', 'via', MA)
    sh('ip', 'netns', 'exec', MID, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    sh('ip', '-n', MID, 'tuntap', 'add', 'dev', 'tunA', 'mode', 'tun')
    sh('ip', '-n', MID, 'link', 'set', 'tunA', 'up')
    sh('ip', '-n', MID, 'route', 'add', '10.201.2.0/24', 'dev', 'tunA')
    sh('ip', '-n', CLI, 'tuntap', 'add', 'dev', 'tunB', 'mode', 'tun')
    sh('ip', '-n', CLI, 'addr', 'add', CA + '/24', 'dev', 'tunB')
    sh('ip', '-n', CLI, 'link', 'set', 'tunB', 'up')
    sh('ip', '-n', CLI, 'route', 'add', '10.201.0.0/30', 'dev', 'tunB')


def records(path):
    """T1 and T2 (wall-clock µs) of the R records on PORT, by task number."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) < 13 or f[:2] != ['V6', 'R'] or not any(a.endswith(f':{PORT}') for a in f[4:6]):
            continue
        t0 = int(f[2]) * 1_000_000 + int(f[3])
        process_us, upload_us = int(f[11]), int(f[12])
        out[int(f[10])] = {'t1': t0 + upload_us, 't2': t0 + upload_us + process_us, 'process': process_us}
    return [out[k] for k in sorted(out)]


def exchanges(pcap):
    """Per request: when it arrived and when the first response segment after it left (µs)."""
    text = subprocess.run(['tcpdump', '-r', pcap, '-n', '-tt', '--time-stamp-precision=nano'],
                          capture_output=True, text=True, check=True).stdout
    out = []
    for line in text.splitlines():
        m = re.match(r'(\d+)\.(\d+) IP ([\d.]+)\.\d+ > [\d.]+\.\d+: .*length (\d+)', line)
        if not m or int(m.group(4)) == 0:
            continue
        ts = int(m.group(1)) * 1_000_000 + int(m.group(2)) / 1000
        if m.group(3) == CA:
            out.append({'request': ts})
        elif out and 'response' not in out[-1]:
            out[-1]['response'] = ts
    return out


procs = []
try:
    link_up()
    down_ms, up_ms = DELAYS_MS[variant]
    relay = subprocess.Popen(['python3', os.path.join(HERE, 'relay.py'), MID, 'tunA', CLI, 'tunB', down_ms, up_ms],
                             stdout=subprocess.PIPE, text=True)
    procs.append(relay)
    relay.stdout.readline()
    config = os.path.join(work, 'tcprt.yaml')
    with open(config, 'w') as f:
        f.write(f'per-port:\n  - port: {PORT}\n')
    collect_out, collect_err = os.path.join(work, 'collect.out'), os.path.join(work, 'collect.err')
    collector = subprocess.Popen([os.path.join(REPO, 'apps/agent/bin/tcprt'), 'collect', '--config', config],
                                 stdout=open(collect_out, 'w'), stderr=open(collect_err, 'w'), start_new_session=True)
    procs.append(collector)
    deadline = time.monotonic() + 60
    while 'tcprt collect: attached' not in open(collect_err).read():
        if collector.poll() is not None or time.monotonic() > deadline:
            sys.exit('collector did not attach: ' + open(collect_err).read())
        time.sleep(0.1)
    server = subprocess.Popen(['ip', 'netns', 'exec', SRV, 'python3', os.path.join(HERE, 'server.py'), SA, str(PORT),
                               str(size)], stdout=subprocess.PIPE, text=True)
    procs.append(server)
    server.stdout.readline()
    pcap = os.path.join(work, 'veth-s.pcap')
    capture = subprocess.Popen(['ip', 'netns', 'exec', SRV, 'tcpdump', '-i', 'veth-s', '-n', '-s', '128', '-w', pcap,
                                '--time-stamp-precision=nano', '-j', 'adapter_unsynced', 'tcp'],
                               stderr=subprocess.DEVNULL)
    procs.append(capture)
    time.sleep(1.5)
    sh('ip', 'netns', 'exec', CLI, 'python3', os.path.join(HERE, 'client.py'), SA, str(PORT), str(size),
       str(tasks_wanted), '20', '30', stdout=subprocess.DEVNULL)
    time.sleep(2)
    capture.send_signal(signal.SIGINT)
    capture.wait()
    os.killpg(collector.pid, signal.SIGTERM)
    collector.wait(timeout=30)

    rows = list(zip(records(collect_out), exchanges(pcap)))
    if len(rows) != tasks_wanted:
        sys.exit(f'{len(rows)} tasks matched of {tasks_wanted}; files in {work}')
    # Task 1 follows the handshake, not an idle client: left out of the summary.
    t1_late = [r['t1'] - c['request'] for r, c in rows[1:]]
    t2_early = [c['response'] - r['t2'] for r, c in rows[1:]]
    process_diff = [(c['response'] - c['request']) - r['process'] for r, c in rows[1:]]
    print(f'{variant} ({down_ms} ms server → client, {up_ms} ms client → server), {size} B responses, '
          f'{len(rows) - 1} idle-client tasks; µs, median (min–max):')
    for name, values in (('first response segment leaves − T2', t2_early),
                         ('T1 − request arrives', t1_late),
                         ('process by the capture − process by tcprt', process_diff)):
        print(f'  {name}: {statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})')
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
    for ns in (SRV, MID, CLI):
        subprocess.run(['ip', 'netns', 'delete', ns], stderr=subprocess.DEVNULL)
    print(f'files in {work}')
