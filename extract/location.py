"""Where published files are read from: the live hosts, a mirror directory, or a mirror over HTTP.

A mirror holds each published file at <mirror>/<host>/<url path>, so live and mirror differ only in
transport (DESIGN.md, "Sources"). HTTP downloads go through dlt's retrying client (429 and 5xx are
retried with back-off, Retry-After honoured) and are cached on disk, keyed by URL.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from extract.config import Settings
from extract.progress import Progress, human_bytes


class SourceError(RuntimeError):
    """A published file could not be read; the message names the file and what went wrong."""


@dataclass(frozen=True)
class SourceLocation:
    kind: str  # "live", "mirror_dir" or "mirror_http"
    root: str  # "" for live; a directory path or a base URL otherwise

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceLocation:
        value = settings.source
        if value == "live":
            return cls("live", "")
        if value == "sample":
            return cls("mirror_dir", str(settings.sample_dir))
        if value.startswith(("http://", "https://")):
            return cls("mirror_http", value.rstrip("/"))
        path = Path(value).expanduser()
        if not path.is_dir():
            raise SourceError(
                f"PPF_SOURCE={value!r} is neither 'live', 'sample', an http(s) URL nor an existing directory"
            )
        return cls("mirror_dir", str(path.resolve()))

    def describe(self) -> str:
        return {"live": "live public sources", "mirror_dir": f"mirror {self.root}"}.get(
            self.kind, f"mirror {self.root}"
        )

    def url(self, host: str, path: str) -> str:
        path = path.lstrip("/")
        if self.kind == "live":
            return f"https://{host}/{quote(path)}"
        if self.kind == "mirror_http":
            return f"{self.root}/{host}/{quote(path)}"
        return str(Path(self.root, host, path))

    def list_files(self, host: str, folder: str) -> list[str] | None:
        """File names in a mirror folder; None when the transport cannot list (HTTP)."""
        if self.kind != "mirror_dir":
            return None
        directory = Path(self.root, host, folder)
        if not directory.is_dir():
            return []
        return sorted(p.name for p in directory.iterdir() if p.is_file())

    def exists(self, host: str, path: str, client: object | None = None) -> bool:
        if self.kind == "mirror_dir":
            return Path(self.url(host, path)).is_file()
        response = _request(_client(client).head, self.url(host, path), allow_redirects=True)
        if response.status_code == 404:
            return False
        if response.status_code >= 400:
            raise SourceError(f"HEAD {self.url(host, path)} answered HTTP {response.status_code}")
        return True

    def fetch(self, host: str, path: str, cache_dir: Path, client: object | None = None) -> Path | None:
        """A local path to the file: the mirror file itself, or a cached download. None if not published."""
        if self.kind == "mirror_dir":
            local = Path(self.url(host, path))
            return local if local.is_file() else None
        return _download(self.url(host, path), cache_dir / host / path, _client(client))


def _client(client: object | None):
    if client is not None:
        return client
    from dlt.sources.helpers.requests import Client

    # raise_for_status off: a 404 is an answer ("not published"), not an error to retry.
    client = Client(raise_for_status=False)
    client.configure()  # retries, back-off and timeouts from .dlt/config.toml or RUNTIME__* variables
    return client


def _request(method, url: str, **kwargs):
    """One HTTP call (dlt's client retries 429, 5xx and dropped connections); a host that stays
    unreachable becomes a SourceError naming it, instead of a traceback."""
    import requests

    try:
        return method(url, **kwargs)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise SourceError(
            f"cannot reach {url} ({type(exc).__name__}); check the network, or use SOURCE=sample or a mirror"
        ) from exc


def _download(url: str, target: Path, client) -> Path | None:
    """Stream `url` to `target`; reuse the cached copy when size and Last-Modified are unchanged."""
    meta_path = target.with_name(target.name + ".meta.json")
    head = _request(client.head, url, allow_redirects=True)
    if head.status_code == 404:
        return None
    if head.status_code >= 400:
        raise SourceError(f"HEAD {url} answered HTTP {head.status_code}")
    remote = {
        "url": url,
        "content_length": head.headers.get("Content-Length"),
        "last_modified": head.headers.get("Last-Modified"),
    }
    if target.is_file() and meta_path.is_file():
        cached = json.loads(meta_path.read_text())
        if cached == remote and remote["content_length"] == str(target.stat().st_size):
            print(f"[download] {url}: cached copy is current ({target})", file=sys.stderr)
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with _request(client.get, url, stream=True) as response:
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise SourceError(f"GET {url} answered HTTP {response.status_code}")
        total = int(response.headers.get("Content-Length") or 0) or None
        progress = Progress(f"download {Path(urlsplit(url).path).name}", total=total)
        with open(partial, "wb") as fh:
            for chunk in response.iter_content(chunk_size=1 << 20):
                fh.write(chunk)
                progress.advance(len(chunk))
        progress.finish(human_bytes(progress.done))
    received = partial.stat().st_size
    if total is not None and received != total:
        partial.unlink()
        raise SourceError(f"GET {url}: received {received:,} of {total:,} bytes; try again")
    os.replace(partial, target)  # a partial download never takes the cached file's place
    meta_path.write_text(json.dumps(remote))
    return target
