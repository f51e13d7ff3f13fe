#!/usr/bin/env bash
# Installs the clients that mosim's conformance test (mosim/tests/clients.rs) drives against a
# running mosim: PyMySQL and SQLAlchemy from PyPI into a virtualenv at .ci/venv, mysql2 from
# npm into mosim/conformance/node/node_modules (from its lock file), and the mariadb
# command-line client. Versions are pinned in mosim/conformance/python/requirements.txt and
# mosim/conformance/node/package-lock.json.
#
# Idempotent and fast when nothing changed: each install leaves a stamp with the hash of the
# files it installed from, and is skipped while that hash still matches. Installs python3's
# venv module, node/npm or the mariadb client from Debian's packages when they are missing.
# Exits non-zero when it cannot, so the conformance test fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
    echo "ensure-clients: installing $* from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
fingerprint() { cat "$@" | sha256sum | cut -c1-16; }

venv=.ci/venv
requirements=mosim/conformance/python/requirements.txt
node_dir=mosim/conformance/node

# Python: a virtualenv of its own, so the system's packages are never touched.
command -v python3 >/dev/null 2>&1 || apt_install python3
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        apt_install python3-venv
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    echo "ensure-clients: created the virtualenv $venv ($("$venv/bin/python" --version))"
fi
want=$(fingerprint "$requirements")
if [ "$(cat "$venv/.mosim-requirements" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" >"$venv/.mosim-requirements"
    echo "ensure-clients: installed $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv"
else
    echo "ensure-clients: $venv is up to date with $requirements"
fi

# Node.js: exactly the lock file's packages.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
want=$(fingerprint "$node_dir/package.json" "$node_dir/package-lock.json")
if [ "$(cat "$node_dir/node_modules/.mosim-lock" 2>/dev/null)" != "$want" ]; then
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" >"$node_dir/node_modules/.mosim-lock"
    echo "ensure-clients: installed mysql2 $(node -p "require('./$node_dir/node_modules/mysql2/package.json').version") into $node_dir/node_modules (node $(node --version))"
else
    echo "ensure-clients: $node_dir/node_modules is up to date with its lock file"
fi

# The mariadb command-line client (scripts/ensure-mariadb.sh installs it with the server).
if ! command -v mariadb >/dev/null 2>&1 && ! command -v mysql >/dev/null 2>&1; then
    apt_install mariadb-client
fi
echo "ensure-clients: $(mariadb --version 2>/dev/null || mysql --version)"
