# syntax=docker/dockerfile:1
# Guildgate: one image for the web replicas and the worker, built by the same npm scripts CI runs (.ci/run):
# `npm ci` then `npm run build` (prisma generate, next build, scripts/build-artifact.ts). The runtime stage holds
# only the standalone artifact (.next/standalone: server.js, worker.mjs, static files, migrations, traced
# node_modules) and runs as the unprivileged `node` user. See docs/DEPLOY.md.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CI=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# One-shot migrations on deploy: `prisma migrate deploy` through the WASM schema engine (prisma.config.ts) needs
# the Prisma CLI, which is a build-time dependency, so it runs from the build stage, before the new version starts.
FROM build AS migrate
USER node
CMD ["npm", "run", "db:migrate"]

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
# Liveness only (cheap, no dependencies); orchestrators route traffic by /api/ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The worker runs the same image with `node worker.mjs` (docker-compose.yml).
CMD ["node", "server.js"]
