"""Run in the server's namespace: answers each request line after 3-5 ms (spun, so exact) with SIZE bytes."""
import socket, sys, time, random
host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(1)
body = b'd' * size
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((host, port)); ls.listen(8)
print('ready', flush=True)
while True:
    c, _ = ls.accept()
    buf = b''
    while True:
        d = c.recv(4096)
        if not d: break
        buf += d
        while b'\n' in buf:
            _, buf = buf.split(b'\n', 1)
            end = time.monotonic() + random.uniform(0.003, 0.005)
            while time.monotonic() < end: pass
            c.sendall(body)
    c.close()
