"""Stored files, through Django's storage API only: local disk by default, an S3-compatible bucket with STORAGE_URL.

Every app reads and writes uploaded and generated files (videos, photos, exports…) with these
functions and a storage-relative *name* (``videos/<key>/video.mp4``), never with a path under
MEDIA_ROOT, so the same code runs on one machine and on several behind a shared bucket. Programs
that need a real file (ffmpeg, ffprobe) get one from ``stored_local_copy`` and write their output in
a ``work_folder`` before ``stored_move_in`` stores it.
"""

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

CHUNK_SIZE = 1024 * 1024


def _storage() -> Storage:
    return default_storage


def _local_root() -> Path | None:
    """Return the folder files live in when the storage is local disk, else None."""
    try:
        return Path(_storage().path(""))
    except NotImplementedError:
        return None


def storage_is_remote() -> bool:
    """Whether stored files live elsewhere than this machine's disk (a bucket): they are then sent by signed URL."""
    return _local_root() is None


class _LocalFile(File):  # type: ignore[type-arg]
    # FileSystemStorage moves a file that has a temporary_file_path() instead of copying it.
    def temporary_file_path(self) -> str:
        return str(self.name)


def _replace(name: str) -> None:
    # A name given twice (a task run again) replaces the first file rather than getting a new suffix. A bucket
    # overwrites by itself (file_overwrite, set by STORAGE_URL): no extra request there.
    if _local_root() is None:
        return
    with contextlib.suppress(FileNotFoundError):
        _storage().delete(name)


class StorageError(OSError):
    """The storage could not keep a file (a full disk, an unreachable or refusing bucket)."""


@contextlib.contextmanager
def _writing(name: str) -> Iterator[None]:
    # A bucket's errors (botocore's) are not OSErrors; callers handle one kind of failure to store.
    try:
        yield
    except OSError:
        raise
    except Exception as error:
        raise StorageError(f"could not store {name}: {error}") from error


def stored_save(name: str, content: bytes | IO[bytes], *, replace: bool = False) -> str:
    """Store bytes or an open binary file under ``name``; return the name it was stored under."""
    body = ContentFile(content) if isinstance(content, bytes) else File(content)
    with _writing(name):
        if replace:
            _replace(name)
        return _storage().save(name, body)


def stored_move_in(path: Path, name: str, *, replace: bool = False) -> str:
    """Store a finished local file (from a work folder) under ``name``: moved on local disk, uploaded to a bucket."""
    with _writing(name):
        if replace:
            _replace(name)
        if _local_root() is not None:
            return _storage().save(name, _LocalFile(None, name=str(path)))
        with path.open("rb") as handle:
            stored = _storage().save(name, File(handle, name=path.name))
    path.unlink(missing_ok=True)
    return stored


def stored_open(name: str) -> IO[bytes]:
    """Open a stored file for reading; FileNotFoundError if it is not there."""
    if not name:
        raise FileNotFoundError(name)
    try:
        return _storage().open(name, "rb")  # type: ignore[return-value]
    except FileNotFoundError:
        raise
    except OSError as error:
        raise FileNotFoundError(name) from error
    except Exception as error:
        # botocore's ClientError (404 / NoSuchKey) is not an OSError.
        if _is_missing(error):
            raise FileNotFoundError(name) from error
        raise


def _is_missing(error: Exception) -> bool:
    response = getattr(error, "response", None)
    code = str(((response or {}).get("Error") or {}).get("Code", "")) if isinstance(response, dict) else ""
    return code in {"404", "NoSuchKey", "NotFound"}


def stored_size(name: str) -> int | None:
    """Return a stored file's size in bytes, or None if there is no such file."""
    if not name:
        return None
    try:
        return int(_storage().size(name))
    except (OSError, ValueError):
        return None
    except Exception as error:
        if _is_missing(error):
            return None
        raise


def stored_exists(name: str) -> bool:
    return bool(name) and _storage().exists(name)


def stored_delete(name: str) -> None:
    """Delete a stored file; a missing one is fine."""
    if name:
        with contextlib.suppress(FileNotFoundError):
            _storage().delete(name)


def stored_tree_delete(prefix: str) -> None:
    """Delete every stored file under a folder (an imported package's files); a missing folder is fine."""
    dirs, names = [prefix.rstrip("/")], []
    while dirs:
        current = dirs.pop()
        try:
            subdirs, found = _storage().listdir(current)
        except (FileNotFoundError, NotImplementedError):
            continue
        dirs += [f"{current}/{d}" for d in subdirs]
        names += [f"{current}/{f}" for f in found]
    for name in names:
        stored_delete(name)


def stored_delete_folder(prefix: str) -> None:
    """Delete every stored file under a folder name (``videos/<key>``); a missing folder is fine."""
    prefix = prefix.strip("/")
    if not prefix:
        raise ValueError("refusing to delete the whole storage")
    root = _local_root()
    if root is not None:
        shutil.rmtree(root / prefix, ignore_errors=True)
        return
    folders, files = _storage().listdir(prefix)
    for file_name in files:
        _storage().delete(f"{prefix}/{file_name}")
    for folder in folders:
        stored_delete_folder(f"{prefix}/{folder}")


def stored_list(prefix: str) -> list[str]:
    """Return the names of the files directly in a stored folder (none if it does not exist)."""
    prefix = prefix.strip("/")
    try:
        _folders, files = _storage().listdir(prefix)
    except FileNotFoundError:
        return []
    return sorted(f"{prefix}/{file_name}" for file_name in files)


@contextlib.contextmanager
def work_folder(label: str) -> Iterator[Path]:
    """A fresh local scratch folder under MEDIA_WORK_DIR, removed afterwards whatever happens."""
    base = Path(settings.MEDIA_WORK_DIR)
    base.mkdir(parents=True, exist_ok=True)
    folder = base / f"{label}-{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def work_folders_clear(label: str) -> None:
    """Remove the scratch folders of one piece of work (``label``) left by a worker that was killed mid-way."""
    base = Path(settings.MEDIA_WORK_DIR)
    for leftover in base.glob(f"{label}-*") if base.exists() else ():
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def stored_local_copy(name: str, *, label: str = "copy") -> Iterator[Path]:
    """Yield a local path with a stored file's bytes: the file itself on local disk, a scratch copy of a bucket's."""
    root = _local_root()
    if root is not None:
        path = root / name
        if not path.is_file():
            raise FileNotFoundError(name)
        yield path
        return
    with work_folder(label) as folder, stored_open(name) as source:
        path = folder / Path(name).name
        with path.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK_SIZE)
        yield path


def stored_signed_url(name: str, *, content_type: str, download_name: str = "") -> str:
    """Return a short-lived signed URL that lets a browser fetch the file straight from the bucket (ranges too).

    Only for remote storage; the caller has already decided this person may have the file.
    """
    parameters: dict[str, Any] = {"ResponseContentType": content_type, "ResponseCacheControl": "private"}
    if download_name:
        parameters["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
    return str(_storage().url(name, parameters=parameters))  # type: ignore[call-arg]


def signed_url_lifetime() -> int:
    """Return how many seconds a signed URL stays valid (STORAGE_URL's ``expire``)."""
    return int(getattr(_storage(), "querystring_expire", 0) or 0)


def storage_check() -> None:
    """Raise if the storage cannot be used now: the local folder takes no writes, or the bucket is unreachable."""
    root = _local_root()
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")  # not full, not read-only
        probe.unlink()
        return
    # One HEAD on the bucket: reachable, and these credentials may list it (delete_folder lists). Nothing is
    # written, so a versioned bucket does not fill with probe versions.
    storage = _storage()
    storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)  # type: ignore[attr-defined]
