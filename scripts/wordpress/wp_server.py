"""A throwaway, private WordPress on 127.0.0.1 for tests and manual trials.

    with WordPressServer() as wp:
        wp.url                      # "http://127.0.0.1:PORT"
        wp.credentials["editor"]    # (login, application password)
        wp.stop(); wp.start()       # only the PHP server: "WordPress down, then back"

Each instance gets a fresh temporary directory holding a copy of WordPress
(the Debian 12 package, unpacked by ``install.sh`` into a cache directory), a
private ``mariadbd`` (unix socket only, ``--skip-networking``; the system
MariaDB, if any, is never touched) and ``php -S`` on a free port of
127.0.0.1.  Teardown kills both and removes the directory.

Command line (prints URL and credentials as JSON, runs until Ctrl-C)::

    python scripts/wordpress/wp_server.py [--port 8080] [--workdir DIR]

Needs: ``bash scripts/wordpress/install.sh`` (run automatically when
something is missing and ``auto_install`` is true; it needs root or sudo
only to apt-get install missing packages).
"""
from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTALL_SH = HERE / "install.sh"
INSTALL_CMD = "bash scripts/wordpress/install.sh"

SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])

ROLES = ("administrator", "editor", "author", "contributor")


class WordPressUnavailable(RuntimeError):
    """The tools to run WordPress are not installed (and could not be)."""


def cache_dir() -> Path:
    env = os.environ.get("TERBIT_WP_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "terbit-wordpress"


def _which(name: str) -> str | None:
    return shutil.which(name, path=SBIN_PATH)


def missing_tools() -> list[str]:
    """What is missing for a WordPress server; empty when all is there."""
    missing = []
    for tool in ("php", "mariadbd", "mariadb-install-db"):
        if not _which(tool):
            missing.append(tool)
    if _which("php"):
        mods = subprocess.run([_which("php"), "-m"], capture_output=True, text=True).stdout.lower().split()
        for mod in ("mysqli", "gd", "mbstring", "xml"):
            if mod not in mods:
                missing.append(f"php-{mod}")
    if not (cache_dir() / "wordpress" / ".terbit-complete").exists():
        missing.append(f"WordPress tree in {cache_dir() / 'wordpress'}")
    return missing


def ensure_installed(auto_install: bool = True) -> Path:
    """Return the cached WordPress tree, running install.sh if allowed.

    Raises :class:`WordPressUnavailable` with the command to run otherwise.
    """
    missing = missing_tools()
    if missing and auto_install:
        can_install = os.geteuid() == 0 or shutil.which("sudo") is not None
        if can_install:
            proc = subprocess.run(["bash", str(INSTALL_SH)], capture_output=True, text=True)
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout)[-1500:]
                raise WordPressUnavailable(
                    f"{INSTALL_CMD} failed (exit {proc.returncode}); missing: {', '.join(missing)}\n{tail}"
                )
            missing = missing_tools()
    if missing:
        raise WordPressUnavailable(
            f"WordPress test server needs {', '.join(missing)}; install with: {INSTALL_CMD}"
        )
    return cache_dir() / "wordpress"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_group(proc: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)
    # php -S workers are children in the same group; make sure none is left.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


ROUTER_PHP = r"""<?php
// Router for `php -S`: real files (static or .php) are served as they are,
// everything else goes to WordPress's index.php (pretty permalinks, /wp-json/).
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$path = rawurldecode($path === null || $path === false ? '/' : $path);
$real = realpath(__DIR__ . $path);
if ($real !== false && strncmp($real, __DIR__, strlen(__DIR__)) === 0) {
    if (is_file($real)) {
        return false;
    }
    if (is_dir($real) && is_file($real . '/index.php')) {
        return false;
    }
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = __DIR__ . '/index.php';
chdir(__DIR__);
require __DIR__ . '/index.php';
"""

INSTALL_PHP = r"""<?php
// Installs WordPress into the (empty) private database; prints JSON.
$cfg = json_decode(file_get_contents('php://stdin'), true);
$db = new mysqli('localhost', 'root', '', '', 0, $cfg['socket']);
$db->query('CREATE DATABASE IF NOT EXISTS `wordpress` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
$db->close();

$u = parse_url($cfg['url']);
$_SERVER['HTTP_HOST'] = $u['host'] . ':' . $u['port'];
$_SERVER['SERVER_NAME'] = $u['host'];
$_SERVER['SERVER_PORT'] = $u['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
define('WP_INSTALLING', true);
// No mail from the installer (pluggable: defined before WordPress loads).
function wp_mail() { return true; }
require $cfg['abspath'] . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

$r = wp_install('Terbit Uji', 'admin', 'admin@example.test', false, '', wp_slash($cfg['admin_password']), 'id_ID');
update_option('blogdescription', 'WordPress sekali pakai untuk pengujian Terbit');
update_option('timezone_string', 'Asia/Jakarta');
update_option('uploads_use_yearmonth_folders', 0);
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
$wp_rewrite->flush_rules(false);

$out = ['users' => []];
$app = WP_Application_Passwords::create_new_application_password($r['user_id'], ['name' => 'terbit-tests']);
$out['users']['administrator'] = ['login' => 'admin', 'id' => $r['user_id'], 'app_password' => $app[0]];
foreach ($cfg['roles'] as $role) {
    if ($role === 'administrator') continue;
    $id = wp_insert_user([
        'user_login' => $role,
        'user_pass' => wp_generate_password(24),
        'user_email' => $role . '@example.test',
        'display_name' => ucfirst($role) . ' Terbit',
        'role' => $role,
    ]);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    $app = WP_Application_Passwords::create_new_application_password($id, ['name' => 'terbit-tests']);
    if (is_wp_error($app)) { fwrite(STDERR, $app->get_error_message()); exit(1); }
    $out['users'][$role] = ['login' => $role, 'id' => $id, 'app_password' => $app[0]];
}
echo json_encode($out);
"""


class WordPressServer:
    """A private WordPress: fresh database + install in a temporary directory.

    ``workdir`` is the parent under which a fresh directory is made (default:
    the system temp dir); that directory is removed by :meth:`close`.
    """

    def __init__(
        self,
        workdir: str | os.PathLike | None = None,
        port: int | None = None,
        *,
        auto_install: bool = True,
        ready_timeout: float = 60.0,
    ) -> None:
        self._parent = Path(workdir) if workdir else None
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.url = f"http://{self.host}:{self.port}"
        self.auto_install = auto_install
        self.ready_timeout = ready_timeout
        self.dir: Path | None = None
        self.docroot: Path | None = None
        self.admin_user = "admin"
        self.admin_password = secrets.token_urlsafe(16)
        self.credentials: dict[str, tuple[str, str]] = {}
        self.user_ids: dict[str, int] = {}
        self.timings: dict[str, float] = {}
        self._db: subprocess.Popen | None = None
        self._php: subprocess.Popen | None = None
        self._sock_dir: Path | None = None
        self._closed = False

    # -- paths ---------------------------------------------------------
    @property
    def rest_url(self) -> str:
        return f"{self.url}/wp-json"

    @property
    def socket_path(self) -> Path:
        assert self._sock_dir is not None
        return self._sock_dir / "mysql.sock"

    @property
    def uploads_dir(self) -> Path:
        assert self.docroot is not None
        return self.docroot / "wp-content" / "uploads"

    # -- lifecycle -----------------------------------------------------
    def __enter__(self) -> WordPressServer:
        try:
            self.setup()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def setup(self) -> WordPressServer:
        t0 = time.monotonic()
        source = ensure_installed(self.auto_install)
        self.timings["ensure_installed"] = time.monotonic() - t0
        if self._parent:
            self._parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="terbit-wp-", dir=self._parent))
        atexit.register(self.close)
        # A unix socket path must stay under ~107 bytes.
        if len(str(self.dir / "mysql.sock")) > 100:
            self._sock_dir = Path(tempfile.mkdtemp(prefix="twp-", dir="/tmp"))
        else:
            self._sock_dir = self.dir
        t = time.monotonic()
        self._copy_wordpress(source)
        self.timings["copy"] = time.monotonic() - t
        t = time.monotonic()
        self._start_db()
        self.timings["db"] = time.monotonic() - t
        t = time.monotonic()
        self._write_config()
        self._install()
        self.timings["install"] = time.monotonic() - t
        t = time.monotonic()
        self.start()
        self.timings["php_ready"] = time.monotonic() - t
        self.timings["total"] = time.monotonic() - t0
        return self

    def _copy_wordpress(self, source: Path) -> None:
        assert self.dir is not None
        self.docroot = self.dir / "www"
        try:
            # Hard links: instant, and WordPress never writes to its core.
            shutil.copytree(source, self.docroot, copy_function=os.link, ignore=shutil.ignore_patterns("wp-content"))
        except OSError:
            shutil.rmtree(self.docroot, ignore_errors=True)
            shutil.copytree(source, self.docroot, ignore=shutil.ignore_patterns("wp-content"))
        shutil.copytree(source / "wp-content", self.docroot / "wp-content")
        (self.docroot / "wp-content" / "uploads").mkdir(exist_ok=True)
        (self.docroot / "router.php").write_text(ROUTER_PHP)

    def _db_template(self) -> Path:
        """An initialised, empty MariaDB datadir, made once and cached."""
        version = subprocess.run([_which("mariadbd"), "--version"], capture_output=True, text=True).stdout
        tag = "".join(c for c in version.split("Ver")[-1].split()[0] if c.isalnum() or c in ".-")[:40]
        tpl = cache_dir() / f"db-template-{tag}"
        if (tpl / ".terbit-complete").exists():
            return tpl
        tmp = Path(tempfile.mkdtemp(prefix="db-", dir=cache_dir()))
        cmd = [
            _which("mariadb-install-db"), "--no-defaults", f"--datadir={tmp / 'data'}",
            "--auth-root-authentication-method=normal", "--skip-test-db",
            "--skip-name-resolve",
        ]
        if os.geteuid() == 0:
            cmd.append("--user=root")
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PATH": SBIN_PATH})
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError(f"mariadb-install-db failed: {proc.stderr[-2000:] or proc.stdout[-2000:]}")
        (tmp / "data" / ".terbit-complete").touch()
        shutil.rmtree(tpl, ignore_errors=True)
        os.replace(tmp / "data", tpl)
        shutil.rmtree(tmp, ignore_errors=True)
        return tpl

    def _start_db(self) -> None:
        assert self.dir is not None
        datadir = self.dir / "db"
        shutil.copytree(self._db_template(), datadir)
        cmd = [
            _which("mariadbd"), "--no-defaults",
            f"--datadir={datadir}", f"--socket={self.socket_path}",
            f"--pid-file={self.dir / 'mariadbd.pid'}", f"--log-error={self.dir / 'mariadbd.log'}",
            "--skip-networking", "--skip-grant-tables", "--skip-log-bin", "--skip-name-resolve",
            f"--tmpdir={self.dir}",
            "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0", "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
        ]
        if os.geteuid() == 0:
            cmd.append("--user=root")
        self._db = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._db.poll() is not None:
                log = (self.dir / "mariadbd.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"mariadbd exited ({self._db.returncode}): {log}")
            if self.socket_path.exists():
                try:
                    with socket.socket(socket.AF_UNIX) as s:
                        s.connect(str(self.socket_path))
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("mariadbd did not come up within 30 s")

    def _write_config(self) -> None:
        assert self.docroot is not None and self.dir is not None
        keys = "\n".join(
            f"define({k!r}, {secrets.token_hex(32)!r});"
            for k in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                      "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
        )
        config = f"""<?php
// Written by scripts/wordpress/wp_server.py for a throwaway test site.
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{self.socket_path}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{keys}
$table_prefix = 'wp_';
define('WP_HOME', '{self.url}');
define('WP_SITEURL', '{self.url}');
// 'local' makes Application Passwords available over plain http.
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', '{self.dir / "wp-debug.log"}');
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""
        (self.docroot / "wp-config.php").write_text(config)

    def _php_cmd(self) -> list[str]:
        return [
            _which("php"), "-d", "upload_max_filesize=64M", "-d", "post_max_size=64M",
            "-d", "memory_limit=256M", "-d", "display_errors=0", "-d", "log_errors=1",
            "-d", "error_reporting=E_ALL & ~E_DEPRECATED",
        ]

    def _install(self) -> None:
        assert self.docroot is not None
        cfg = {
            "socket": str(self.socket_path),
            "url": self.url,
            "abspath": str(self.docroot) + "/",
            "admin_password": self.admin_password,
            "roles": list(ROLES),
        }
        proc = subprocess.run(
            [*self._php_cmd(), "-r", INSTALL_PHP.removeprefix("<?php")],
            input=json.dumps(cfg), capture_output=True, text=True, cwd=self.docroot, timeout=120,
        )
        out = proc.stdout.strip()
        try:
            data = json.loads(out[out.index("{"):]) if "{" in out else None
        except ValueError:
            data = None
        if proc.returncode != 0 or not data:
            raise RuntimeError(f"WordPress install failed ({proc.returncode}): {proc.stderr[-2000:]} {out[-2000:]}")
        for role, u in data["users"].items():
            self.credentials[role] = (u["login"], u["app_password"])
            self.user_ids[role] = int(u["id"])

    def is_running(self) -> bool:
        return self._php is not None and self._php.poll() is None

    def start(self) -> None:
        """Start (again) the PHP web server on the same port; wait for /wp-json/."""
        assert self.docroot is not None and self.dir is not None
        if self.is_running():
            return
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}
        log = open(self.dir / "php-server.log", "ab")
        try:
            self._php = subprocess.Popen(
                [*self._php_cmd(), "-S", f"{self.host}:{self.port}", "-t", str(self.docroot),
                 str(self.docroot / "router.php")],
                cwd=self.docroot, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True,
            )
        finally:
            log.close()
        deadline = time.monotonic() + self.ready_timeout
        last = ""
        while time.monotonic() < deadline:
            if self._php.poll() is not None:
                tail = (self.dir / "php-server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"php -S exited ({self._php.returncode}): {tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/wp-json/", timeout=5) as r:
                    body = json.loads(r.read())
                    if r.status == 200 and "namespaces" in body:
                        return
            except (urllib.error.URLError, OSError, ValueError) as e:
                last = repr(e)
            time.sleep(0.05)
        raise RuntimeError(f"WordPress did not answer on {self.url}/wp-json/ in {self.ready_timeout} s: {last}")

    def stop(self) -> None:
        """Stop only the PHP web server (the database keeps running)."""
        _kill_group(self._php)
        self._php = None
        # Wait until the port really refuses connections.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    pass
            except OSError:
                return
            time.sleep(0.05)

    def close(self) -> None:
        """Kill both servers and remove the temporary directory."""
        if self._closed:
            return
        self._closed = True
        _kill_group(self._php)
        self._php = None
        _kill_group(self._db, timeout=20)
        self._db = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        if self._sock_dir is not None and self._sock_dir != self.dir:
            shutil.rmtree(self._sock_dir, ignore_errors=True)
        try:
            atexit.unregister(self.close)
        except Exception:
            pass

    teardown = close

    def info(self) -> dict:
        return {
            "url": self.url,
            "rest_url": self.rest_url,
            "admin": {"login": self.admin_user, "password": self.admin_password},
            "credentials": {role: {"user": u, "app_password": p} for role, (u, p) in self.credentials.items()},
            "workdir": str(self.dir),
            "startup_seconds": {k: round(v, 2) for k, v in self.timings.items()},
        }


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Start a throwaway WordPress on 127.0.0.1 (Ctrl-C stops and removes it).")
    ap.add_argument("--port", type=int, default=None)
    ap.add_argument("--workdir", default=None, help="parent directory for the temporary site")
    ap.add_argument("--no-install", action="store_true", help="do not run install.sh when something is missing")
    args = ap.parse_args(argv)
    try:
        server = WordPressServer(args.workdir, args.port, auto_install=not args.no_install)
        server.__enter__()
    except WordPressUnavailable as e:
        print(str(e), file=sys.stderr)
        return 2
    stop = []
    # Explicit handlers: a shell starting us in the background ignores SIGINT.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.append(1))
    try:
        print(json.dumps(server.info(), indent=2), flush=True)
        print("Ctrl-C to stop.", file=sys.stderr, flush=True)
        while not stop:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
