"""Articles from the web: one http(s) page fetched with httpx (bounded in size and time) and reduced to
article text by trafilatura. Every failure is a `FetchError` naming the URL; a batch records it and goes on.

    >>> from claimx.fetch import fetch
    >>> page = fetch("https://example.org/news/1")
    >>> print(page.publisher, page.published, page.text[:80])
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import httpx

from claimx.errors import InputError
from claimx.extraction.text import decode
from claimx.version import __version__

MAX_FETCH_BYTES = 5_000_000
FETCH_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = f"claimx/{__version__} (article claim extraction)"


class FetchError(InputError):
    """A URL could not be fetched or held no article text; the other articles go on."""


@dataclass(frozen=True)
class Page:
    """A fetched web page reduced to article text, with what trafilatura found about it."""

    url: str
    text: str
    published: date | None
    publisher: str | None


def url_problem(url: str) -> str | None:
    """Why a URL is not fetched (not http(s), or no host), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}: {url}"
    if not parts.netloc:
        return f"the URL has no host: {url}"
    return None


def _clean_page(url: str, body: bytes, content_type: str) -> Page:
    import trafilatura

    if "text/plain" in content_type:
        try:
            return Page(url, decode(body), None, None)
        except InputError as exc:
            raise FetchError(f"{url}: {exc}") from exc
    document = trafilatura.bare_extraction(
        body,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise FetchError(f"{url}: no article text found in the page")
    published = None
    with contextlib.suppress(TypeError, ValueError):  # trafilatura gives YYYY-MM-DD, or nothing usable
        published = date.fromisoformat(str(getattr(document, "date", None))[:10])
    return Page(url, text, published, getattr(document, "sitename", None) or None)


async def afetch(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    timeout: httpx.Timeout | float = FETCH_TIMEOUT,
    max_bytes: int = MAX_FETCH_BYTES,
) -> Page:
    """Fetch one http(s) page (redirects followed, at most `max_bytes`) and reduce it to text with
    trafilatura. Every failure is a `FetchError` whose message names the URL and the reason."""
    if problem := url_problem(url):
        raise FetchError(problem)
    own = client is None
    client = client or httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    try:
        async with client.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            content_type = response.headers.get("content-type", "").lower()
            if content_type and not any(kind in content_type for kind in ("html", "xml", "text/plain")):
                raise FetchError(f"{url}: not a web page ({content_type.split(';')[0]})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: the page is {int(declared):,} bytes, above the limit of {max_bytes:,} bytes")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: the page is larger than the limit of {max_bytes:,} bytes")
                chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc or 'request failed'}") from exc
    finally:
        if own:
            await client.aclose()
    return await asyncio.to_thread(_clean_page, url, b"".join(chunks), content_type)


def fetch(url: str, **kwargs: Any) -> Page:
    """Synchronous `afetch`."""
    return asyncio.run(afetch(url, **kwargs))


def new_client() -> httpx.AsyncClient:
    """The client a batch shares for its URL fetches."""
    return httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, follow_redirects=True, timeout=FETCH_TIMEOUT)
