"""The small example programs of the TypeScript, Go and Java clients
(client/typescript/examples, client/go/cmd, client/java/.../examples), built
(once per run: later builds find them up to date) and run as plain processes."""

from __future__ import annotations

from collections.abc import Callable

from tests.clients.conftest import build_lock, require_toolchain, run_make_build, run_step
from tests.support.servers import REPO

LANGUAGES = ("typescript", "go", "java")
# A first build downloads toolchain packages (npm, Go modules, Maven); later ones are quick.
BUILD_TIMEOUT = 900.0

Command = Callable[..., list[str]]


def build(language: str, programs: tuple[str, ...]) -> Command:
    """Build the client's examples; a function giving the command line of one
    of them (named as its Go command, e.g. "watch") with its arguments."""
    require_toolchain(language)
    if language == "typescript":
        run_make_build("build-ts", timeout=BUILD_TIMEOUT)
        return lambda name, *args: [
            "node",
            str(REPO / "client/typescript/dist/examples" / f"{name}.js"),
            *args,
        ]
    if language == "go":
        go_dir = REPO / "client/go"
        for name in programs:
            with build_lock(f"go-{name}"):
                run_step(
                    ["go", "-C", str(go_dir), "build", "-o", f"bin/{name}", f"./cmd/{name}"],
                    timeout=BUILD_TIMEOUT,
                )
        return lambda name, *args: [str(go_dir / "bin" / name), *args]
    run_make_build("build-java", timeout=BUILD_TIMEOUT)
    java_dir = REPO / "client/java"
    classpath = (
        f"{java_dir / 'target/classes'}:{(java_dir / 'target/classpath.txt').read_text().strip()}"
    )
    return lambda name, *args: [
        "java",
        "-cp",
        classpath,
        f"wiki.dataflow.client.examples.{_java_class(name)}",
        *args,
    ]


def _java_class(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))
