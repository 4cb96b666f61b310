"""
Packet relay between two persistent TUN devices in two network namespaces, adding a fixed delay
each way: what netem would do on a link, for a kernel built without netem.
usage: relay.py NETNS_A TUN_A NETNS_B TUN_B DELAY_A_TO_B_MS DELAY_B_TO_A_MS
"""
import ctypes, os, fcntl, struct, select, heapq, time, sys
ns_a, tun_a, ns_b, tun_b, delay_ab_ms, delay_ba_ms = sys.argv[1:7]
libc = ctypes.CDLL(None, use_errno=True)
def setns(name):
    fd = os.open(f'/run/netns/{name}', os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), 'setns')
    os.close(fd)
def tun(name):
    fd = os.open('/dev/net/tun', os.O_RDWR)
    # TUNSETIFF with IFF_TUN | IFF_NO_PI: attach to the device `ip tuntap add` made
    fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', name.encode(), 0x0001 | 0x1000))
    os.set_blocking(fd, False)
    return fd
setns(ns_a); a = tun(tun_a)
setns(ns_b); b = tun(tun_b)
delay = {a: float(delay_ab_ms) / 1000, b: float(delay_ba_ms) / 1000}
other = {a: b, b: a}
queue, seq = [], 0
print('ready', flush=True)
while True:
    timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
    readable, _, _ = select.select([a, b], [], [], timeout)
    now = time.monotonic()
    for fd in readable:
        while True:
            try: pkt = os.read(fd, 65536)
            except BlockingIOError: break
            seq += 1
            heapq.heappush(queue, (now + delay[fd], seq, other[fd], pkt))
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, fd, pkt = heapq.heappop(queue)
        os.write(fd, pkt)
