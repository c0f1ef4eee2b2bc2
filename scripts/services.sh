#!/usr/bin/env bash
# Make sure local PostgreSQL and Redis answer; start them if they are installed but stopped.
# Used by `make run` and `make test`; a machine with managed services elsewhere sets DATABASE_URL / REDIS_URL.
set -euo pipefail

pg_ready() { pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" 2>/dev/null; }
redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL…"
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
  elif command -v pg_ctl >/dev/null 2>&1 && [ -n "${PGDATA:-}" ]; then
    echo "Starting PostgreSQL from \$PGDATA…"
    pg_ctl -D "$PGDATA" -l "$PGDATA/server.log" start
  fi
  for _ in $(seq 1 30); do pg_ready && break; sleep 0.5; done
  pg_ready || {
    echo "PostgreSQL is not running and could not be started. Install PostgreSQL 15 (Debian: apt-get install postgresql)"
    echo "or point DATABASE_URL at a running server."
    exit 1
  }
fi

if ! redis_ready; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis…"
    mkdir -p /tmp/talentfair-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp/talentfair-redis --logfile /tmp/talentfair-redis/redis.log
  fi
  for _ in $(seq 1 30); do redis_ready && break; sleep 0.2; done
  redis_ready || {
    echo "Redis is not running and could not be started. Install Redis 7 (Debian: apt-get install redis-server)"
    echo "or point REDIS_URL at a running server."
    exit 1
  }
fi
