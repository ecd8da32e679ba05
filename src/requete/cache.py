"""A content-keyed cache, across runs, of what is costly to recompute and cheap to store.

What it holds: each library file as parsed and validated (the model, keyed by the file's
bytes, its path and layer, and the code that read it) and each Jinja text as analysed and
compiled (keyed by the text). A second ``check`` or ``build`` of an unchanged library reads
these instead of parsing YAML and compiling Jinja again; every check that looks across files
(citations, pinpoints, typography, the set, the case) still runs every time.

Why it cannot be tricked:

- **Keyed by content.** The key is a BLAKE2b digest of the bytes the result was computed
  from, with the versions of requete (and of the stat of each of its modules), Python,
  pydantic, Jinja and PyYAML: an edited file, an upgrade or a changed module is a miss.
- **Only what this user's requete wrote.** Each entry is signed with a secret key kept in
  the cache directory (``key``, mode 0600, 32 random bytes); an entry whose signature does
  not verify (copied from elsewhere, crafted, truncated, corrupted) is never unpickled: it is
  deleted and recomputed. The directory must belong to the user and not be writable by the
  group or others, or the cache is off for the run.
- **Never needed.** Any failure to read or write (read-only disk, full disk, permissions)
  turns the cache off for the rest of the run; the command gives the same result without it.

Where: ``$REQUETE_CACHE_DIR``, else the user cache directory (``$XDG_CACHE_HOME/requete``,
``~/.cache/requete``; ``~/Library/Caches/requete`` on macOS, ``%LOCALAPPDATA%\\requete\\Cache``
on Windows). ``REQUETE_CACHE=off`` turns it off. Entries not rewritten for 30 days are
removed, at most once a day; ``requete cache clear`` removes them all.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import os
import pickle
import sqlite3
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from requete.i18n import _

FORMAT = b"requete-cache-1"
KEY_FILE = "key"
DATABASE = "entries.sqlite"
MAX_ENTRY = 64_000_000  # bytes: an entry larger than this is not read
MAX_AGE = 30 * 86_400  # seconds an entry lives without being rewritten
PRUNE_EVERY = 86_400  # seconds between two prunes
_MAC = 32  # bytes of each entry's signature


@dataclass
class Stats:
    """What the cache did in this process (for ``requete cache`` and the tests)."""

    hits: int = 0
    misses: int = 0
    rejected: int = 0
    writes: int = 0
    off: str = ""  # why the cache is off, when it is


@dataclass
class _State:
    root: Path | None = None
    secret: bytes = b""
    fingerprint: bytes = b""
    ready: bool = False
    writable: bool = True
    db: sqlite3.Connection | None = None
    pending: dict[str, tuple[str, bytes, bytes]] = field(default_factory=dict)
    discard: list[str] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    pid: int = field(default_factory=os.getpid)


_STATE = _State()


def _state() -> _State:
    """This process's state: a forked worker (``batch -j``) starts afresh, never using the
    parent's database connection."""
    global _STATE
    if _STATE.pid != os.getpid():
        _STATE = _State()
    return _STATE


def location() -> Path:
    """The cache directory this process would use (whether or not it is usable)."""
    configured = os.environ.get("REQUETE_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":  # pragma: no cover - not run on the CI's Linux
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "requete" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover
        return Path.home() / "Library" / "Caches" / "requete"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "requete"


def disabled_by_user() -> bool:
    """``REQUETE_CACHE=off`` (or 0, no, false)."""
    return os.environ.get("REQUETE_CACHE", "").strip().lower() in ("off", "0", "no", "false")


def reset() -> None:
    """Write what is pending and forget the state of this process (the tests change the
    environment between cases)."""
    global _STATE
    flush()
    db = _state().db
    if db is not None:
        db.close()
    _STATE = _State()


def stats() -> Stats:
    """Hits, misses, rejected entries and writes so far, and why the cache is off."""
    return _state().stats


def _open() -> Path | None:
    """The usable cache directory, set up on first use, or None (and why, in stats)."""
    state = _state()
    if state.ready:
        return state.root
    state.ready = True
    if disabled_by_user():
        state.stats.off = _("turned off by REQUETE_CACHE")
        return None
    root = location()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = _unsafe(root)
        if problem:
            state.stats.off = f"{root}: {problem}"
            return None
        state.secret = _secret(root)
    except (OSError, ValueError) as err:
        state.stats.off = f"{root}: {err.strerror if isinstance(err, OSError) else err}"
        return None
    state.fingerprint = _fingerprint()
    state.root = root
    return root


def _unsafe(path: Path) -> str:
    """Why a directory or file may not be trusted ('' when it may)."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return _("is a symbolic link; the cache is off")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return _("belongs to another user; the cache is off")
    if info.st_mode & 0o022:
        return _("is writable by the group or others; the cache is off (chmod go-w)")
    return ""


def _secret(root: Path) -> bytes:
    """The signing key of this cache, created on first use (mode 0600)."""
    path = root / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    secret = os.urandom(32)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


def _read_secret(path: Path) -> bytes:
    problem = _unsafe(path)
    if problem:
        raise ValueError(_("its key file {problem}").format(problem=problem))
    if os.stat(path).st_mode & 0o077:
        raise ValueError(_("its key file is readable by others; the cache is off (chmod 600)"))
    secret = path.read_bytes()
    if len(secret) != 32:
        raise ValueError(_("its key file is damaged; delete it (requete cache clear)"))
    return secret


def _fingerprint() -> bytes:
    """What the cached results depend on besides their input: the code that computed them."""
    digest = hashlib.blake2b(FORMAT, digest_size=16)
    digest.update(sys.version.encode())
    for name in ("pydantic", "pydantic_core", "jinja2", "yaml"):
        module = sys.modules.get(name)
        digest.update(f"{name}={getattr(module, '__version__', '?')};".encode())
    package = Path(__file__).resolve().parent
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.digest()


def key(namespace: str, *parts: bytes | str) -> str:
    """The hex key of a result computed from ``parts`` (bytes or text) in ``namespace``."""
    digest = hashlib.blake2b(digest_size=24)
    digest.update(namespace.encode() + b"\0" + _STATE.fingerprint)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _signature(name: str, payload: bytes) -> bytes:
    mac = hashlib.blake2b(key=_STATE.secret, digest_size=_MAC)
    mac.update(name.encode() + b"\0" + payload)
    return mac.digest()


def _database() -> sqlite3.Connection | None:
    """The entries' database, opened on first use (None when the cache is off)."""
    state = _state()
    if state.db is not None or _open() is None:
        return state.db
    assert state.root is not None
    path = state.root / DATABASE
    try:
        if path.exists() and _unsafe(path):
            state.stats.off = f"{path}: {_unsafe(path)}"
            state.root = None
            return None
        db = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entry (name TEXT PRIMARY KEY, namespace TEXT NOT NULL,"
            " signature BLOB NOT NULL, payload BLOB NOT NULL, written REAL NOT NULL)"
        )
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value REAL)")
        os.chmod(path, 0o600)
    except (OSError, sqlite3.Error) as err:
        state.stats.off = f"{path}: {err}"
        state.root = None
        return None
    state.db = db
    atexit.register(flush)
    return db


def get(namespace: str, *parts: bytes | str) -> Any:
    """The object stored for ``parts``, or None (absent, off, or refused)."""
    db = _database()
    if db is None:
        return None
    name = key(namespace, *parts)
    pending = _STATE.pending.get(name)
    if pending is not None:
        return pickle.loads(pending[2])
    try:
        row = db.execute("SELECT signature, payload FROM entry WHERE name = ?", (name,)).fetchone()
    except sqlite3.Error:
        row = None
    if row is None:
        _STATE.stats.misses += 1
        return None
    signature, payload = row
    if len(payload) > MAX_ENTRY or not hmac.compare_digest(signature, _signature(name, payload)):
        _STATE.stats.rejected += 1
        _STATE.discard.append(name)
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a signed entry that no longer loads: recompute it
        _STATE.stats.rejected += 1
        _STATE.discard.append(name)
        return None
    _STATE.stats.hits += 1
    return value


def put(namespace: str, value: Any, *parts: bytes | str) -> None:
    """Keep ``value`` for ``parts`` (written by ``flush``); never fails."""
    if _database() is None or not _STATE.writable:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - not picklable: simply not cached
        return
    if len(payload) > MAX_ENTRY:
        return
    name = key(namespace, *parts)
    _STATE.pending[name] = (namespace, _signature(name, payload), payload)


def flush() -> None:
    """Write the entries kept since the last flush, in one transaction; never fails (a locked
    or read-only database turns writing off for the rest of the run)."""
    state = _state()
    db = state.db
    if db is None or not (state.pending or state.discard) or not state.writable:
        return
    now = time.time()
    rows = [(name, *entry, now) for name, entry in state.pending.items()]
    try:
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM entry WHERE name = ?", [(n,) for n in state.discard])
            db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?, ?)", rows)
            _maybe_prune(db, now)
    except sqlite3.Error:
        state.writable = False
        return
    finally:
        state.pending.clear()
        state.discard.clear()
    state.stats.writes += len(rows)


def _maybe_prune(db: sqlite3.Connection, now: float) -> None:
    """At most once a day, remove entries not rewritten for 30 days."""
    row = db.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
    if row is not None and now - row[0] < PRUNE_EVERY:
        return
    db.execute("DELETE FROM entry WHERE written < ?", (now - MAX_AGE,))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (now,))


def clear() -> tuple[int, int]:
    """Remove every entry: (entries, bytes) removed."""
    flush()
    db = _database()
    if db is None:
        return 0, 0
    count, size = usage()
    try:
        db.execute("DELETE FROM entry")
        db.execute("VACUUM")
    except sqlite3.Error as err:
        raise OSError(_("cannot clear the cache: {error}").format(error=err)) from None
    return count, size


def usage() -> tuple[int, int]:
    """Entries and bytes of payload stored."""
    db = _database()
    if db is None:
        return 0, 0
    try:
        row = db.execute("SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM entry").fetchone()
    except sqlite3.Error:
        return 0, 0
    return int(row[0]), int(row[1])


def status() -> tuple[Path, str]:
    """The directory and, when the cache cannot be used, why."""
    _database()
    return location(), _STATE.stats.off
