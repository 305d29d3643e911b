#!/usr/bin/env bash
# System packages for the tests that use real parts (idempotent, quiet when done):
# WordPress (PHP 8.2, MariaDB core, the Debian WordPress tree), PostgreSQL, ffmpeg, chromium and hunspell-id.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

bash scripts/wordpress/install.sh >/dev/null

# ffmpeg: voice notes get a web-playable rendition where it is installed.
if ! command -v ffmpeg >/dev/null; then
    echo "install-test-services: installing ffmpeg" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "install-test-services: installing PostgreSQL" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# Chromium: tests/publishers/test_static_site_browser.py draws the static site at phone and
# desktop width (skipped where it is missing).
if ! command -v chromium >/dev/null; then
    echo "install-test-services: installing chromium" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# hunspell-id: the Indonesian dictionary the spelling check reads (tests that need it skip without it).
if [ ! -f /usr/share/hunspell/id_ID.dic ]; then
    echo "install-test-services: installing hunspell-id" >&2
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends hunspell-id >/dev/null
fi
