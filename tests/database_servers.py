"""Real database servers for the replica and pooler tests, started on free ports and stopped after.

- `replicated_clusters`: a private PostgreSQL 15 primary (initdb in a temporary folder) holding a
  copy of this test session's database (pg_dump, so migrated and with its seed rows), and a hot
  standby cloned from it with `pg_basebackup -R`, streaming. Nothing of the machine's own
  cluster is touched (no pg_hba.conf or replication settings to change there).
- `pgbouncer_in_front_of`: Debian's pgbouncer in transaction mode in front of a database.

The servers run as the `postgres` OS user when the tests run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "marketplace"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str], *, timeout: int = 120, **kwargs) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


@dataclass
class Cluster:
    data: Path
    port: int

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c shared_buffers=32MB -c max_connections=60"
        )
        _run(_as_server_user([
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", f"{self.data}.log", "-w",
            "-t", "60", "-o", options, "start",
        ]))  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                             "stop"]),
            capture_output=True, timeout=60,
        )  # fmt: skip

    def conninfo(self, dbname: str = DATABASE) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def query(self, sql: str, dbname: str = DATABASE):
        with psycopg.connect(self.conninfo(dbname), autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql).fetchone()


@dataclass
class Replication:
    primary: Cluster
    replica: Cluster

    def wait_until_replayed(self, timeout: float = 60) -> None:
        """Until the replica has replayed everything the primary wrote so far."""
        (target,) = self.primary.query("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while True:
            (behind,) = self.replica.query(
                f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())"
            )
            if behind <= 0:
                return
            assert time.monotonic() < deadline, f"the replica is {behind} bytes behind"
            time.sleep(0.1)

    def wait_until_received_not_replayed(self, timeout: float = 60) -> None:
        """Replay paused: until the replica has received WAL it has not replayed."""
        deadline = time.monotonic() + timeout
        while True:
            (waiting,) = self.replica.query(
                "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())"
            )
            if waiting and waiting > 0:
                return
            assert time.monotonic() < deadline, "the replica received nothing new"
            time.sleep(0.1)


@contextmanager
def replicated_clusters(*, copy_of: str) -> Iterator[Replication]:
    """A primary holding a copy of the database `copy_of` (a libpq URL) and its streaming
    replica; both stopped and deleted at the end."""
    workdir = Path(tempfile.mkdtemp(prefix="nm-replica-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    primary = Cluster(workdir / "primary", free_port())
    replica = Cluster(workdir / "replica", free_port())
    try:
        _run(_as_server_user([
            str(PG_BIN / "initdb"), "-D", str(primary.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ]))  # fmt: skip
        primary.start()
        _run(_as_server_user([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p",
                              str(primary.port), "-U", "postgres", DATABASE]))  # fmt: skip
        dump = subprocess.Popen(
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", copy_of],
            stdout=subprocess.PIPE,
        )
        _run(
            [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull,
             f"postgresql://postgres@127.0.0.1:{primary.port}/{DATABASE}"],
            stdin=dump.stdout, timeout=300,
        )  # fmt: skip
        assert dump.wait(timeout=60) == 0, "pg_dump of the test database failed"
        _run(_as_server_user([
            str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
            "-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream",
            "--checkpoint=fast", "--no-sync",
        ]))  # fmt: skip
        replica.start()
        replication = Replication(primary, replica)
        replication.wait_until_replayed()
        yield replication
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def pgbouncer_in_front_of(*, host: str, port: int, dbname: str, user: str) -> Iterator[int]:
    """Debian's pgbouncer in transaction mode on a free port, serving `dbname` as itself
    (and its admin console as database `pgbouncer`); yields its port, stopped at the end."""
    pgbouncer = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    workdir = Path(tempfile.mkdtemp(prefix="nm-pgbouncer-"))
    listen = free_port()
    (workdir / "users.txt").write_text(f'"{user}" ""\n')
    (workdir / "pgbouncer.ini").write_text(
        f"""[databases]
{dbname} = host={host} port={port} dbname={dbname}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {workdir / "users.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir / "pgbouncer.log"}
"""
    )
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
        for path in workdir.iterdir():
            shutil.chown(path, "postgres", "postgres")
    run_as = ["-u", "postgres"] if os.geteuid() == 0 else []  # it refuses to run as root
    process = subprocess.Popen(
        [pgbouncer, *run_as, str(workdir / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (workdir / "pgbouncer.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", listen), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "pgbouncer did not listen within 30 s"
                time.sleep(0.1)
        yield listen
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def pgbouncer_stats(port: int, dbname: str, user: str = "postgres") -> dict:
    """PgBouncer's counters for `dbname` (SHOW STATS on its admin console)."""
    conninfo = f"host=127.0.0.1 port={port} user={user} dbname=pgbouncer"
    with psycopg.connect(conninfo, autocommit=True, prepare_threshold=None) as console:
        cursor = console.execute("SHOW STATS")
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return next(row for row in rows if row["database"] == dbname)
