"""The layers of STYLE.md hold: each layer imports only what its row names, nothing imports in a
circle, and the domain knows nothing of the screen (it never imports textual).

A plain AST walk over every module of recon_tui, imports inside functions and under TYPE_CHECKING
included (Beancount keeps such a table in ``tools/dependency_constraints.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "recon_tui"

#: STYLE.md, "The layers": each layer -> the layers of ours it may import. A layer may import its own
#: modules, and every layer may use the small utilities.
ALLOWED: dict[str, set[str]] = {
    "model": {"money"},
    "money": {"model"},
    "config": {"model"},
    "quickbooks": {"model", "money", "config"},
    "store": {"model", "money", "config"},
    "ledger": {"model", "money", "config"},
    "reporting": {"model", "money", "ledger"},
    "service": {"model", "money", "config", "quickbooks", "store", "ledger", "reporting"},
    "faces": {"service", "model", "money", "config", "reporting"},
    "utilities": set(),
}
#: each top-level module or package of recon_tui -> its layer ("" is recon_tui/__init__.py itself)
LAYER_OF: dict[str, str] = {
    "model": "model", "money": "money", "config": "config", "import_profiles": "config", "quickbooks": "quickbooks", "store": "store",
    "ledger": "ledger", "reporting": "reporting", "service": "service",
    "cli": "faces", "cli_arguments": "faces", "cli_commands": "faces", "tui": "faces", "demo": "faces", "demo_exports": "faces", "__main__": "faces",
    "serve": "faces",
    "gc_pause": "utilities", "files": "utilities", "crashpoints": "utilities", "": "utilities",
}
#: what must never import textual (harlequin's rule): everything but the terminal UI and the CLI that starts it
DOMAIN = ["model.py", "config.py", "import_profiles.py", "money.py", "store", "ledger", "quickbooks", "reporting", "service",
          "demo.py", "demo_exports.py", "gc_pause.py", "files.py", "crashpoints.py"]


# -- reading the imports --------------------------------------------------------------------------

def module_name(path: Path, root: Path) -> str:
    """``root/recon_tui/store/posted.py`` -> ``recon_tui.store.posted`` (a package is its __init__)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    """Every module name an import statement names, anywhere in the file (``from a import b``: ``a``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def our_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of ours the file at ``path`` (module ``name``) imports, anywhere in it:
    ``from recon_tui.store import posted`` is ``recon_tui.store.posted``, a module, not the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "recon_tui"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package upwards
                up = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            if base.split(".")[0] != "recon_tui":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def layer(module: str) -> str | None:
    parts = module.split(".")
    return LAYER_OF.get(parts[1] if len(parts) > 1 else "")


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    found = modules(root)
    known = set(found)
    return {name: our_imports(path, name, known) for name, path in found.items()}


def forbidden_imports(root: Path = PACKAGE) -> list[str]:
    """Every import that breaks the table, as ``module (layer) imports other (layer)``."""
    problems = []
    for module, imports in sorted(import_graph(root).items()):
        mine = layer(module)
        if mine is None:
            problems.append(f"{module} is in no layer: add its top-level name to LAYER_OF")
            continue
        for other in sorted(imports):
            theirs = layer(other)
            if theirs not in ALLOWED[mine] | {mine, "utilities"}:
                problems.append(f"{module} ({mine}) imports {other} ({theirs})")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that import each other in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same imports between recon_tui's top-level packages and modules (store, ledger, cli, ...)."""
    def top(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else ""
    out: dict[str, set[str]] = {}
    for module, imports in graph.items():
        out.setdefault(top(module), set()).update(top(other) for other in imports if top(other) != top(module))
    return out


# -- the rules ------------------------------------------------------------------------------------

def test_every_layer_imports_only_what_its_row_names():
    graph = import_graph()
    assert len(graph) > 40 and any(graph.values())  # the walk really found the modules and their imports
    assert forbidden_imports() == []


def test_no_module_imports_itself_in_a_circle():
    assert cycles(import_graph()) == []


def test_no_package_imports_itself_in_a_circle():
    assert cycles(package_graph(import_graph())) == []


def _fake_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "recon_tui"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_the_check_would_catch_a_forbidden_import(tmp_path):
    package = _fake_package(tmp_path, {
        "model.py": "",
        "ledger/__init__.py": "",
        "ledger/summary.py": "from recon_tui.model import Period\n",
        "store/__init__.py": "",
        "store/queries.py": "def totals():\n    from recon_tui.ledger import summary  # inside a function, still seen\n",
        "store/good.py": "from recon_tui import model\nfrom . import queries\n",
        "whatnot.py": "",
    })
    assert forbidden_imports(package) == [
        "recon_tui.store.queries (store) imports recon_tui.ledger.summary (ledger)",
        "recon_tui.whatnot is in no layer: add its top-level name to LAYER_OF"]


def test_the_check_would_catch_a_cycle(tmp_path):
    package = _fake_package(tmp_path, {
        "store/__init__.py": "",
        "store/a.py": "from recon_tui.store.b import thing\n",
        "store/b.py": "if False:\n    from recon_tui.store import a\n",
        "ledger/__init__.py": "from recon_tui.store import a\n",
        "service.py": "import recon_tui.ledger\n",
    })
    graph = import_graph(package)
    assert cycles(graph) == [["recon_tui.store.a", "recon_tui.store.b"]]
    assert cycles(package_graph(graph)) == []
    graph["recon_tui.store.b"].add("recon_tui.service")  # store -> service -> ledger -> store
    assert cycles(package_graph(graph)) == [["ledger", "service", "store"]]


# -- the domain knows nothing of the screen -------------------------------------------------------

def domain_files() -> list[Path]:
    files = []
    for entry in DOMAIN:
        path = PACKAGE / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in files if f.exists()]


def test_domain_modules_never_import_textual():
    files = domain_files()
    assert len(files) >= 30  # the walk really found the modules
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

    domain = sorted(name for name in modules() if not name.startswith("recon_tui.tui") and name != "recon_tui.__main__")
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {domain!r}]; "
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
