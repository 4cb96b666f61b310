"""Run in the client's namespace: N requests on one connection, each response read whole, then idle IDLE_LO-IDLE_HI ms."""
import socket, sys, time, random
host, port, size, n, idle_lo, idle_hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
random.seed(2)
s = socket.create_connection((host, port))
for i in range(n):
    s.sendall(b'GET %d\n' % i)
    got = 0
    while got < size:
        d = s.recv(1 << 20)
        if not d: raise SystemExit('closed')
        got += len(d)
    time.sleep(random.uniform(idle_lo, idle_hi) / 1000)
s.close()
print('done', flush=True)
