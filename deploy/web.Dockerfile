# The console: a Next.js server that talks to the agent's API only.
FROM node:20-bookworm
RUN npm install -g pnpm@10.34.8
WORKDIR /opt/tcprt
COPY . .
RUN pnpm install --frozen-lockfile --filter @tcprt/web... \
 && pnpm --filter @tcprt/web build
EXPOSE 7070
CMD ["pnpm", "--filter", "@tcprt/web", "start"]
