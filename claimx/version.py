"""The installed claimx release, as results, the User-Agent and `claimx --version` record it."""

from importlib.metadata import PackageNotFoundError, version


def _release() -> str:
    try:
        return version("claimx")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _release()
