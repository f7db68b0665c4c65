#!/usr/bin/env bash
# Starts the ccmon stack (ccmon, OpenTelemetry Collector, Prometheus, Grafana).
# Creates .env from .env.example on first run, generates the Grafana admin
# password and ccmon's token when they are empty, writes the token file
# Prometheus reads, starts the containers and waits until they are healthy.
set -euo pipefail
cd "$(dirname "$0")"

fail() {
  echo "start.sh: $*" >&2
  exit 1
}

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  fail "Docker Compose is missing: install Docker Desktop, or the docker-compose-plugin package."
fi
docker info >/dev/null 2>&1 ||
  fail "Docker is not running (docker info failed): start Docker Desktop or the docker service, then run this again."

# The value of KEY in .env (empty when absent).
env_value() {
  sed -n "s/^$1=//p" .env | tail -n 1
}

# Sets KEY=VALUE in .env, replacing an existing line or appending one.
set_env_value() {
  local tmp
  tmp="$(mktemp)"
  awk -v key="$1" -v value="$2" '
    index($0, key "=") == 1 { print key "=" value; done = 1; next }
    { print }
    END { if (!done) print key "=" value }
  ' .env >"$tmp"
  cat "$tmp" >.env
  rm -f "$tmp"
}

random_secret() {
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex 24
  else
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
  fi
}

if [ ! -f .env ]; then
  cp .env.example .env
  chmod 600 .env
  echo "Created deploy/.env from .env.example."
fi

for key in GRAFANA_ADMIN_PASSWORD CCMON_AUTH_TOKEN; do
  if [ -z "$(env_value "$key")" ]; then
    secret="$(random_secret)"
    set_env_value "$key" "$secret"
    echo "Generated $key=$secret (kept in deploy/.env)"
  fi
done

# On Linux, run ccmon as you so it can read a private ~/.claude.
if [ "$(uname -s)" = Linux ]; then
  set_env_value CCMON_UID "$(id -u)"
  set_env_value CCMON_GID "$(id -g)"
fi

# Prometheus reads ccmon's token from a file (prometheus.yml cannot read the
# environment). Readable by the container's `nobody` user; .env stays private.
mkdir -p secrets
printf '%s' "$(env_value CCMON_AUTH_TOKEN)" >secrets/ccmon-token
chmod 644 secrets/ccmon-token

"${compose[@]}" up -d --build

echo "Waiting for the services to become healthy..."
deadline=$((SECONDS + 180))
while :; do
  pending=()
  for service in ccmon otel-collector prometheus grafana; do
    id="$("${compose[@]}" ps -q "$service")"
    state="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || echo missing)"
    [ "$state" = healthy ] || pending+=("$service:$state")
  done
  [ ${#pending[@]} -eq 0 ] && break
  if [ $SECONDS -ge $deadline ]; then
    echo "Still not healthy after 3 minutes: ${pending[*]}" >&2
    echo "See: ${compose[*]} logs ${pending[0]%%:*}" >&2
    exit 1
  fi
  sleep 5
done

host="$(env_value BIND_ADDRESS)"
host="${host:-127.0.0.1}"
[ "$host" = 0.0.0.0 ] && host=localhost
port() {
  local value
  value="$(env_value "$1")"
  echo "${value:-$2}"
}
cat <<EOF

The stack is up.
  Grafana      http://$host:$(port GRAFANA_PORT 3000)   user $(port GRAFANA_ADMIN_USER admin), password in deploy/.env
  ccmon        http://$host:$(port CCMON_PORT 3202)   Bearer token: CCMON_AUTH_TOKEN in deploy/.env
  Prometheus   http://$host:$(port PROMETHEUS_PORT 9090)
  OTLP         grpc://$host:$(port OTLP_GRPC_PORT 4317)  http://$host:$(port OTLP_HTTP_PORT 4318)

Point Claude Code at the collector (e.g. in ~/.claude/settings.json "env"):
  CLAUDE_CODE_ENABLE_TELEMETRY=1
  OTEL_METRICS_EXPORTER=otlp
  OTEL_LOGS_EXPORTER=otlp
  OTEL_EXPORTER_OTLP_PROTOCOL=grpc
  OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:$(port OTLP_GRPC_PORT 4317)
EOF
