"""The domain knows nothing of the screen: config, money, store, ledger and quickbooks never import textual."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "recon_tui"
DOMAIN = ["config.py", "money.py", "store", "ledger", "quickbooks", "reporting.py", "demo.py", "closing.py",
          "service.py", "link.py"]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def domain_files() -> list[Path]:
    files = []
    for entry in DOMAIN:
        path = PACKAGE / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in files if f.exists()]


def test_domain_modules_never_import_textual():
    files = domain_files()
    assert len(files) >= 8  # the walk really found the modules
    offenders = {str(f.relative_to(PACKAGE)): sorted(m for m in imported_modules(f) if m.split(".")[0] == "textual")
                 for f in files}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_the_check_would_catch_an_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from textual.app import App\nimport textual.widgets\n")
    assert imported_modules(sample) == {"textual.app", "textual.widgets"}


def test_domain_import_does_not_load_textual():
    import subprocess
    import sys

    code = ("import sys, recon_tui.config, recon_tui.money, recon_tui.store, recon_tui.store.importer, "
            "recon_tui.store.drilldown, recon_tui.ledger, recon_tui.reporting, recon_tui.cli, recon_tui.service, "
            "recon_tui.link, recon_tui.store.posting, recon_tui.quickbooks.iif, recon_tui.quickbooks.reports, "
            "recon_tui.ledger.diagnosis, recon_tui.ledger.hledger; "
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
