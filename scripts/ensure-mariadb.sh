#!/usr/bin/env bash
# Makes sure a MariaDB server answers at 127.0.0.1:3306 with root (no password) and a `test`
# database: installs Debian's mariadb-server when it is missing, starts it when it is down, and
# lets root in over TCP when a fresh install only allows it through the unix socket.
# Exits non-zero when it cannot, so the tests fail instead of skipping.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
admin() { if command -v mariadb-admin >/dev/null 2>&1; then mariadb-admin "$@"; else mysqladmin "$@"; fi; }

# `ping` succeeds whenever the server runs, even if the login is refused.
running() { admin ping -h127.0.0.1 -P3306 --silent >/dev/null 2>&1; }
root_over_tcp() { mariadb -uroot -h127.0.0.1 -P3306 -e 'SELECT 1' >/dev/null 2>&1; }

if [ ! -x /usr/sbin/mariadbd ] && ! command -v mariadbd >/dev/null 2>&1; then
    echo "ensure-mariadb: installing mariadb-server from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null
fi

if ! running; then
    echo "ensure-mariadb: starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
        || as_root service mariadb start || true
    for _ in $(seq 1 60); do
        running && break
        sleep 1
    done
fi
if ! running; then
    echo "ensure-mariadb: MariaDB does not answer at 127.0.0.1:3306" >&2
    exit 1
fi

if ! root_over_tcp; then
    echo "ensure-mariadb: letting root in over TCP without a password (test machine set-up)"
    as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
fi
mariadb -uroot -h127.0.0.1 -P3306 -e 'CREATE DATABASE IF NOT EXISTS test'
mariadb -uroot -h127.0.0.1 -P3306 --batch --skip-column-names -e 'SELECT VERSION()' | sed 's/^/ensure-mariadb: server /'
