#!/usr/bin/env bash
# Install what the throwaway test WordPress needs, idempotently.
#
#   bash scripts/wordpress/install.sh
#
# * Debian packages: PHP 8.2 CLI + extensions WordPress uses, the JS libraries
#   the Debian wordpress package symlinks to, and MariaDB's server/client
#   *core* packages (mariadbd + mariadb-install-db) -- not mariadb-server, so
#   no system database service is installed or started.
# * WordPress itself: the Debian 12 package is NOT installed (it drags in
#   apache); its .deb is downloaded and unpacked into a cache directory
#   ($TERBIT_WP_CACHE, default ~/.cache/terbit-wordpress).
#
# Fast no-op when everything is already there: `apt-get update` runs only when
# a package is missing.  Needs root (or sudo) only in that case.
# Prints the path of the unpacked WordPress tree on its last line.
set -euo pipefail

CACHE="${TERBIT_WP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terbit-wordpress}"
PKGS=(php-cli php-mysql php-gd php-xml php-mbstring php-getid3
      libjs-cropper libjs-underscore
      mariadb-server-core mariadb-client-core)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi  # never prompt (CI has no tty)
export DEBIAN_FRONTEND=noninteractive

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${PKGS[@]}"; do
    is_installed "$p" || missing+=("$p")
done

updated=0
apt_update_once() {
    if [ "$updated" = 0 ]; then
        $SUDO apt-get update -qq
        updated=1
    fi
}

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install.sh: installing ${missing[*]}" >&2
    apt_update_once
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

WP="$CACHE/wordpress"
if [ ! -f "$WP/.terbit-complete" ]; then
    echo "install.sh: fetching the Debian wordpress packages into $CACHE" >&2
    mkdir -p "$CACHE"
    tmp="$(mktemp -d "$CACHE/dl.XXXXXX")"
    chmod 755 "$tmp"   # lets apt's _apt user write the .deb (no warning)
    cd "$tmp"
    # The core and the default theme of WP 6.1 (Debian ships themes apart).
    if ! apt-get download -qq wordpress wordpress-theme-twentytwentythree >/dev/null 2>&1; then
        apt_update_once
        apt-get download -qq wordpress wordpress-theme-twentytwentythree >&2
    fi
    for deb in ./*.deb; do dpkg-deb -x "$deb" root; done
    ls ./*.deb > root/.debs
    SRC="/usr/share/wordpress"
    # Debian replaces bundled copies of libraries (getid3, underscore,
    # cropper, CA bundle) with symlinks into /usr/share/... and /etc/...:
    # inside the cache those would dangle, so replace every link that leaves
    # the tree with a copy of its target -- from the unpacked packages when
    # they hold it, else from the installed system packages.  A target found
    # nowhere is reported and the link dropped.
    dangling=0
    while IFS= read -r -d '' link; do
        rel="${link#root}"                  # path as installed, e.g. /usr/share/wordpress/x
        target="$(readlink "$link")"
        case "$target" in
            /*) abs="$target" ;;
            *)  abs="$(realpath -m "$(dirname "$rel")/$target")" ;;
        esac
        case "$abs" in "$SRC"/*) [ -e "root$abs" ] && continue ;; esac
        rm "$link"
        if [ -e "root$abs" ]; then
            cp -aL "root$abs" "$link"
        elif [ -e "$abs" ]; then
            cp -aL "$abs" "$link"
        else
            echo "install.sh: dropped dangling link $rel -> $target" >&2
            dangling=$((dangling + 1))
        fi
    done < <(find root/usr/share/wordpress -type l -print0)
    # Debian's wp-config.php reads /etc/wordpress; each test server writes
    # its own.  wp-content (uploads) is per server too, built from here.
    rm -f root/usr/share/wordpress/wp-config.php root/usr/share/wordpress/.htaccess
    rm -rf "$WP"
    mv root/usr/share/wordpress "$WP"
    cp root/.debs "$WP/.terbit-debs"
    cd /
    rm -rf "$tmp"
    touch "$WP/.terbit-complete"
    echo "install.sh: WordPress $(grep -oP "wp_version = '\K[^']+" "$WP/wp-includes/version.php") ready in $WP ($dangling dangling links dropped)" >&2
fi
echo "$WP"
