"""Reading STORAGE_URL into Django's STORAGES["default"] (settings.py calls this; no Django app is loaded yet).

    (unset)                           local files under MEDIA_ROOT (the embedded default)
    s3://BUCKET?endpoint_url=http://minio:9000&region_name=eu-west-1&addressing_style=path&expire=900&prefix=kizuna

An S3 bucket's credentials come from boto3's usual places (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
a profile, an instance role), never from the URL, so the URL can be logged.
"""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

# A signed URL to a stored file is valid this long by default: long enough to watch the longest video
# allowed (VIDEO_MAX_DURATION_SECONDS, an hour) with pauses, short enough that a copied link soon dies.
DEFAULT_EXPIRE_SECONDS = 3600
_S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "expire", "prefix", "signature_version"}


def storage_from_url(url: str) -> dict[str, Any]:
    """Return the STORAGES["default"] entry STORAGE_URL asks for; refuse a bad URL loudly."""
    if not url:
        # No location: FileSystemStorage follows MEDIA_ROOT (and a test's change of it).
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL must start with s3:// (unset for local files), got {url!r}")
    if not parts.hostname or parts.path not in ("", "/") or parts.username or parts.password:
        raise ImproperlyConfigured(
            f"STORAGE_URL must be s3://BUCKET?option=value (credentials from AWS_ACCESS_KEY_ID…), got {url!r}"
        )
    query = parse_qs(parts.query, keep_blank_values=False, strict_parsing=False)
    unknown = set(query) - _S3_OPTIONS
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL has unknown options {sorted(unknown)}; known: {sorted(_S3_OPTIONS)}")
    one = {key: values[-1] for key, values in query.items()}
    try:
        expire = int(one.get("expire", DEFAULT_EXPIRE_SECONDS))
    except ValueError:
        raise ImproperlyConfigured(f"STORAGE_URL expire must be a number of seconds, got {one['expire']!r}") from None
    if not 10 <= expire <= 7 * 24 * 3600:
        raise ImproperlyConfigured("STORAGE_URL expire must be between 10 seconds and 7 days (S3's limit)")
    if one.get("addressing_style", "auto") not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured("STORAGE_URL addressing_style must be auto, path or virtual")
    endpoint = one.get("endpoint_url")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"STORAGE_URL endpoint_url must be an http(s) URL, got {endpoint!r}")
    from botocore.config import Config  # only a deployment with a bucket needs boto3 loaded

    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "endpoint_url": endpoint,
        "region_name": one.get("region_name"),
        "addressing_style": one.get("addressing_style"),
        "signature_version": one.get("signature_version", "s3v4"),
        "location": one.get("prefix", "").strip("/"),
        "querystring_auth": True,  # every URL handed out is signed and expires
        "querystring_expire": expire,
        "default_acl": None,  # the bucket's own (private) policy; objects are never public
        "file_overwrite": True,  # names are random keys; no lookup round trip before each write
        # An unreachable bucket fails a request (and /readyz) in seconds, not after botocore's minute.
        # (A client_config replaces the one django-storages would build: addressing and signing go in it too.)
        "client_config": Config(
            s3={"addressing_style": one.get("addressing_style", "auto")},
            signature_version=one.get("signature_version", "s3v4"),
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def storage_origins(entry: dict[str, Any]) -> list[str]:
    """Return the origins a browser is sent to for stored files (for the Content-Security-Policy), if remote."""
    if entry["BACKEND"] != "storages.backends.s3.S3Storage":
        return []
    options = entry["OPTIONS"]
    bucket = options["bucket_name"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        split = urlsplit(endpoint)
        origins = [f"{split.scheme}://{split.netloc}"]
        if options.get("addressing_style") != "path":
            origins.append(f"{split.scheme}://{bucket}.{split.netloc}")
        return origins
    region = options.get("region_name")
    hosts = [f"{bucket}.s3.amazonaws.com"] + ([f"{bucket}.s3.{region}.amazonaws.com"] if region else [])
    return [f"https://{host}" for host in hosts]
