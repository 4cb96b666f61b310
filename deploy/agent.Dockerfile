# The privileged agent: eBPF collector + API. Runs with the host's network, PID namespace,
# cgroup v2 hierarchy and BTF (see docker-compose.yml); the BPF objects are built at start
# against the host kernel's BTF, which only exists at run time.
FROM node:20-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev make pkg-config \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@10.34.8
WORKDIR /opt/tcprt
COPY . .
ENV npm_config_nodedir=/usr/local
RUN pnpm install --frozen-lockfile --filter @tcprt/agent... --filter @tcprt/bpf
EXPOSE 7071
ENTRYPOINT ["/bin/sh", "-c", "make -s -C packages/bpf && exec apps/agent/bin/tcprt agent --config /etc/tcprt/tcprt.yaml --data-dir /var/lib/tcprt --listen ${TCPRT_LISTEN:-127.0.0.1:7071}"]
