@echo off
rem Starts the ccmon stack on Windows (Docker Desktop). Same steps as start.sh:
rem create .env from .env.example, generate the Grafana admin password and
rem ccmon's token when empty, write the token file Prometheus reads, start the
rem containers, wait until they are healthy and print the URLs.
setlocal EnableExtensions DisableDelayedExpansion
cd /d "%~dp0"

docker compose version >nul 2>&1
if errorlevel 1 (
  echo start.bat: Docker Compose is missing: install Docker Desktop. 1>&2
  exit /b 1
)
docker info >nul 2>&1
if errorlevel 1 (
  echo start.bat: Docker is not running: start Docker Desktop, then run this again. 1>&2
  exit /b 1
)

if not exist .env (
  copy /y .env.example .env >nul
  echo Created deploy\.env from .env.example.
)

rem Secrets, the Windows path of ~/.claude, and secrets\ccmon-token for Prometheus.
powershell -NoProfile -ExecutionPolicy Bypass -Command ^
  "$ErrorActionPreference = 'Stop';" ^
  "$lines = [Collections.Generic.List[string]]@(Get-Content '.env');" ^
  "function Get-Value($key) { $line = $lines | Where-Object { $_.StartsWith($key + '=') } | Select-Object -Last 1; if ($line) { $line.Substring($key.Length + 1) } else { '' } }" ^
  "function Set-Value($key, $value) { $at = -1; for ($n = 0; $n -lt $lines.Count; $n++) { if ($lines[$n].StartsWith($key + '=')) { $at = $n } }; if ($at -ge 0) { $lines[$at] = $key + '=' + $value } else { $lines.Add($key + '=' + $value) } }" ^
  "function New-Secret { $bytes = New-Object byte[] 24; [Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes); -join ($bytes | ForEach-Object { $_.ToString('x2') }) }" ^
  "foreach ($key in 'GRAFANA_ADMIN_PASSWORD', 'CCMON_AUTH_TOKEN') { if (-not (Get-Value $key)) { $secret = New-Secret; Set-Value $key $secret; Write-Host ('Generated ' + $key + '=' + $secret + ' (kept in deploy\.env)') } }" ^
  "if ((Get-Value 'CLAUDE_DIR') -eq '~/.claude') { Set-Value 'CLAUDE_DIR' (Join-Path $env:USERPROFILE '.claude') }" ^
  "[IO.File]::WriteAllLines((Join-Path (Get-Location) '.env'), $lines);" ^
  "New-Item -ItemType Directory -Force 'secrets' | Out-Null;" ^
  "[IO.File]::WriteAllText((Join-Path (Get-Location) 'secrets\ccmon-token'), (Get-Value 'CCMON_AUTH_TOKEN'))"
if errorlevel 1 exit /b 1

docker compose up -d --build
if errorlevel 1 exit /b 1

echo Waiting for the services to become healthy...
powershell -NoProfile -ExecutionPolicy Bypass -Command ^
  "$deadline = (Get-Date).AddMinutes(3);" ^
  "while ($true) { $pending = @(); foreach ($service in 'ccmon', 'otel-collector', 'prometheus', 'grafana') { $id = docker compose ps -q $service; $state = 'missing'; if ($id) { $state = docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' $id }; if ($state -ne 'healthy') { $pending += ($service + ':' + $state) } }; if ($pending.Count -eq 0) { exit 0 }; if ((Get-Date) -gt $deadline) { Write-Host ('Still not healthy after 3 minutes: ' + ($pending -join ' ') + '. See: docker compose logs'); exit 1 }; Start-Sleep -Seconds 5 }"
if errorlevel 1 exit /b 1

for /f "usebackq eol=# tokens=1,* delims==" %%a in (".env") do set "%%a=%%b"
if not defined BIND_ADDRESS set "BIND_ADDRESS=127.0.0.1"
set "HOST=%BIND_ADDRESS%"
if "%HOST%"=="0.0.0.0" set "HOST=localhost"
if not defined GRAFANA_PORT set "GRAFANA_PORT=3000"
if not defined CCMON_PORT set "CCMON_PORT=3202"
if not defined PROMETHEUS_PORT set "PROMETHEUS_PORT=9090"
if not defined OTLP_GRPC_PORT set "OTLP_GRPC_PORT=4317"
if not defined OTLP_HTTP_PORT set "OTLP_HTTP_PORT=4318"

echo.
echo The stack is up.
echo   Grafana      http://%HOST%:%GRAFANA_PORT%   password: GRAFANA_ADMIN_PASSWORD in deploy\.env
echo   ccmon        http://%HOST%:%CCMON_PORT%   Bearer token: CCMON_AUTH_TOKEN in deploy\.env
echo   Prometheus   http://%HOST%:%PROMETHEUS_PORT%
echo   OTLP         grpc://%HOST%:%OTLP_GRPC_PORT%  http://%HOST%:%OTLP_HTTP_PORT%
echo.
echo Point Claude Code at the collector (e.g. in %%USERPROFILE%%\.claude\settings.json "env"):
echo   CLAUDE_CODE_ENABLE_TELEMETRY=1
echo   OTEL_METRICS_EXPORTER=otlp
echo   OTEL_LOGS_EXPORTER=otlp
echo   OTEL_EXPORTER_OTLP_PROTOCOL=grpc
echo   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:%OTLP_GRPC_PORT%
endlocal
