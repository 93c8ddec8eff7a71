"""A throwaway PostgreSQL cluster for the tests: ``initdb`` in a temporary folder, a server listening on a
Unix socket in that folder only (no TCP port), stopped and deleted at the end of the session.

``initdb`` refuses to run as root: when the tests run as root (CI), the cluster belongs to an unprivileged
system account (``postgres`` where the distribution's package created it, else ``nobody``) and its commands
run through ``setpriv``. The superuser of the cluster is ``lamha_admin`` (trusted on the socket); every other
role signs in with a password (scram-sha-256), as clerks do on a real server.

Set ``LAMHA_PG_BIN`` to the folder of ``initdb`` and ``pg_ctl`` when they are not on PATH nor in
``/usr/lib/postgresql/<version>/bin``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ADMIN = "lamha_admin"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL cluster can be started here (the binaries are missing, or initdb failed)."""


def _bin_dir() -> Path | None:
    env = os.environ.get("LAMHA_PG_BIN")
    if env:
        return Path(env)
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


def _account() -> pwd.struct_passwd | None:
    """The unprivileged account the cluster runs as when the tests run as root; None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ClusterUnavailable("chạy với quyền root nhưng không có tài khoản postgres hay nobody để chạy initdb")


@dataclass
class Cluster:
    folder: Path
    bin_dir: Path
    account: pwd.struct_passwd | None

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def url(self, database: str, *, user: str = ADMIN) -> str:
        """A connection URL through the cluster's Unix socket (no network)."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.account is not None:
            cmd = ["setpriv", f"--reuid={self.account.pw_uid}", f"--regid={self.account.pw_gid}", "--clear-groups",
                   *cmd]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)

    def start(self) -> None:
        data = self.folder / "data"
        done = self._run("initdb", "-D", str(data), "-U", ADMIN, "--auth-local=trust", "--auth-host=reject",
                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if done.returncode != 0:
            raise ClusterUnavailable(f"initdb: {done.stderr.strip()[-500:]}")
        # The administrator is trusted on the socket; every other role signs in with its password.
        (data / "pg_hba.conf").write_text(
            f"local all {ADMIN} trust\nlocal all all scram-sha-256\n", encoding="utf-8")
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB")
        done = self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"),
                         "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(encoding="utf-8", errors="replace")[-800:]
            raise ClusterUnavailable(f"pg_ctl start: {done.stderr.strip()[-300:]} {log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql: str, *, database: str = "postgres") -> str:
        done = self._run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir, "-U", ADMIN,
                         "-d", database, "-At", "-c", sql)
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        return done.stdout


def start_cluster() -> Cluster:
    """Start a new cluster in a new temporary folder (ClusterUnavailable when it cannot be)."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise ClusterUnavailable("không tìm thấy initdb/pg_ctl (cài gói postgresql, hoặc đặt LAMHA_PG_BIN)")
    account = _account()
    folder = Path(tempfile.mkdtemp(prefix="lamha-pg-"))
    if account is not None:
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = Cluster(folder, bin_dir, account)
    started = time.monotonic()
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    cluster.started_in = time.monotonic() - started  # type: ignore[attr-defined]
    return cluster
