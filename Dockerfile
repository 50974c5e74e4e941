# syntax=docker/dockerfile:1
# Puente: the same steps as the README (npm ci → build → npm start), in a slim Debian Node 20 image.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# whatsapp-web.js pulls puppeteer, whose install script would download its own Chrome: Debian's Chromium is used instead.
ENV PUPPETEER_SKIP_DOWNLOAD=true
# Toolchain for better-sqlite3's native module.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# npm ci runs the "prepare" script, which compiles TypeScript to dist/.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
# DATA_DIR holds the database, the trained model and the linked WhatsApp session: keep it on a volume.
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 CHROME_PATH=/usr/bin/chromium PUPPETEER_SKIP_DOWNLOAD=true
# Debian's Chromium for the whatsapp-web channel (started with --no-sandbox --disable-dev-shm-usage, which a non-root
# user in a container needs); tini is PID 1, forwards SIGTERM for a clean shutdown and reaps the browser's children.
RUN apt-get update && apt-get install -y --no-install-recommends chromium tini ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown node:node /data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY intents ./intents
COPY responses ./responses
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# A small young generation keeps resident memory flat under load (see README, "Memory").
CMD ["node", "--max-semi-space-size=4", "bin/puente.js", "start"]
