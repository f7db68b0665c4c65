# ccmon in a container: docker build -t claude-monitoring .
# Used by deploy/docker-compose.yml; see deploy/README.md.

# --- build: dependencies (better-sqlite3 compiles a native addon) and tsc ----
FROM node:20-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Lifecycle scripts would run `prepare` (the build) before the sources are
# here; the one native addon is built explicitly instead.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev \
  && mkdir /out && cp -r package.json dist node_modules /out/ \
  && if [ -d proto ]; then cp -r proto /out/; fi

# --- runtime ------------------------------------------------------------------
FROM node:20-slim
ENV NODE_ENV=production \
  CCMON_DB=/data/ccmon.db \
  CLAUDE_CONFIG_DIR=/claude
WORKDIR /app
COPY --from=build /out ./
# The store lives in /data (a volume). World-writable with the sticky bit, like
# /tmp, so the stack can run ccmon as the host user's uid (to read a private
# ~/.claude) as well as the image's `node` user.
RUN mkdir -p /data /claude && chown node:node /data && chmod 1777 /data
USER node
EXPOSE 9091 4317 4318
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9091/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli/main.js", "serve", "--host", "0.0.0.0", "--port", "9091"]
