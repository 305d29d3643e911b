#!/usr/bin/env bash
# System packages for the tests that use real parts (idempotent, quiet when done):
# WordPress (PHP 8.2, MariaDB core, the Debian WordPress tree) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

bash scripts/wordpress/install.sh >/dev/null

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "install-test-services: installing PostgreSQL" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
