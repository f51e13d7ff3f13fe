#!/usr/bin/env bash
# Makes sure a MariaDB server answers at 127.0.0.1:3306 with root (no password) and a `test`
# database: installs Debian's mariadb-server when it is missing, starts it when it is down.
# Exits non-zero when it cannot, so the tests fail instead of skipping.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { mariadb -uroot -h127.0.0.1 -P3306 -e 'SELECT 1' >/dev/null 2>&1; }

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "ensure-mariadb: installing mariadb-server from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null
fi

if ! answers; then
    echo "ensure-mariadb: starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
        || as_root service mariadb start || true
    for _ in $(seq 1 60); do
        answers && break
        sleep 1
    done
fi

if ! answers; then
    echo "ensure-mariadb: MariaDB does not answer at 127.0.0.1:3306" >&2
    exit 1
fi

# A fresh install lets root in only through the unix socket; the tests connect over TCP.
mariadb -uroot -h127.0.0.1 -e 'CREATE DATABASE IF NOT EXISTS test' \
    || as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE DATABASE IF NOT EXISTS test; FLUSH PRIVILEGES;"
mariadb -uroot -h127.0.0.1 -e 'SELECT VERSION()' --batch --skip-column-names | sed 's/^/ensure-mariadb: server /'
