"""Who may finalize, reopen and post (DOMAIN §10, §13 ``access``): the config key, the service's
answer, and the CLI's refusal (exit 2, one line naming the user and the key, nothing written)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import Access, ConfigError, load_config
from recon_tui.service import ReconService
from recon_tui.service.errors import NotAllowed

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = ROOT / "config" / "recon.yaml"

ACCESS = """\
access:
  finalize: [maria]
  reopen: [maria]
  post: [maria]
"""
APRIL = ["--previous", "2026-03-31", "--current", "2026-04-30", "--qb-balance", "0",
         "--count", "check=30", "--count", "credit_card=266", "--count", "eft=-150"]


def config_file(tmp_path: Path, access: str = ACCESS, base: Path = SHIPPED, name: str = "recon.yaml") -> Path:
    """``base``'s text with an ``access`` block appended (none: ``access=""``)."""
    path = tmp_path / name
    path.write_text(base.read_text(encoding="utf-8").rstrip("\n") + "\n" + access, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def line_of(path: Path, needle: str) -> int:
    """The last line holding ``needle`` (the shipped file's comments show an access block too)."""
    return max(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# -- the config key ---------------------------------------------------------------------------------

def test_unset_is_everyone(tmp_path):
    assert load_config(SHIPPED).access == Access()  # the shipped file has it commented out
    access = load_config(config_file(tmp_path, "access: {}\n")).access
    assert all(access.allows(action, "anyone") for action in ("finalize", "reopen", "post"))


def test_lists_are_read_and_a_list_left_out_is_everyone(tmp_path):
    access = load_config(config_file(tmp_path, "access:\n  finalize: [maria, lee]\n  reopen: [maria]\n")).access
    assert access == Access(finalize=("maria", "lee"), reopen=("maria",), post=None)
    assert access.allows("finalize", "lee") and not access.allows("reopen", "lee")
    assert access.allows("post", "lee")
    assert not load_config(config_file(tmp_path, "access:\n  post: []\n")).access.allows("post", "maria")


@pytest.mark.parametrize(("block", "needle", "said"), [
    ("access:\n  finalize: maria\n", "finalize: maria", "access.finalize: must be a list of OS user names"),
    ("access:\n  reopen:\n    who: maria\n", "who: maria", "access.reopen: must be a list of OS user names"),
    ("access:\n  delete: [maria]\n", "delete:", "access.delete: unknown key (expected one of: finalize, reopen, post)"),
    ("access:\n  post: [maria, [lee]]\n", "post:", "access.post: must be a text value"),
    ("access:\n  post: [maria, ~]\n", "post:", "access.post: must be a text value"),
    ("access: [maria]\n", "access:", "access: must be a mapping"),
])
def test_a_bad_access_block_names_file_line_and_key(tmp_path, block, needle, said):
    path = config_file(tmp_path, block)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(path, needle)}: {said}"), message


def test_a_bad_access_block_is_exit_1_from_the_cli(tmp_path, capsys):
    path = config_file(tmp_path, "access:\n  finalize: maria\n")
    assert main(["history", "--config", str(path), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:{line_of(path, 'finalize: maria')}: access.finalize:")
    assert len(err.splitlines()) == 1


# -- the service ------------------------------------------------------------------------------------

def service(tmp_path: Path, user: str | None, access: str = ACCESS) -> ReconService:
    config = load_config(config_file(tmp_path, access))
    return ReconService(config, tmp_path / "studio.db", date(2026, 5, 2), user=user)


def test_the_service_says_who_works_and_what_they_may_do(tmp_path, monkeypatch):
    lee = service(tmp_path, "lee")
    assert lee.user == "lee"
    assert lee.may("post") == "lee may not post (access.post lists maria)"
    assert service(tmp_path, "maria").may("post") is None
    assert service(tmp_path, "lee", "access:\n  reopen: [maria]\n").may("post") is None  # no list: everyone
    assert service(tmp_path, "lee", "access:\n  reopen: []\n").may("reopen") == \
        "lee may not reopen (access.reopen lists nobody)"
    monkeypatch.setenv("LOGNAME", "sam")  # getpass: nobody said who, so the OS user
    assert service(tmp_path, None).user == "sam"
    assert service(tmp_path, None).may("finalize") == "sam may not finalize (access.finalize lists maria)"


def test_not_allowed_names_the_user_the_key_and_the_config(tmp_path):
    lee = service(tmp_path, "lee", "access:\n  finalize: [maria, ann]\n  reopen: [maria]\n")
    with pytest.raises(NotAllowed) as info:
        lee.require("finalize")
    assert str(info.value) == f"lee may not finalize: access.finalize in {lee.config.path} lists maria, ann"
    with pytest.raises(NotAllowed):  # the service checks again where it writes
        lee.reopen(1, "recount")
    lee.require("post")  # no list for it


# -- the command line -------------------------------------------------------------------------------

@pytest.fixture
def studio(tmp_path, monkeypatch, capsys):
    """The worked example imported under a config whose access lists name maria alone; returns
    ``run(user, *args)``: the CLI's exit code as that OS user."""
    folder = tmp_path / "studio"
    folder.mkdir()
    config = config_file(tmp_path, base=FIXTURES / "worked_example.yaml")
    common = ["--db", str(folder / "studio.db"), "--config", str(config)]
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0

    def run(user: str, *args: str) -> int:
        monkeypatch.setenv("LOGNAME", user)
        capsys.readouterr()
        return main([*args, *common])
    run.folder, run.config = folder, config
    return run


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its SHA-256: what a refused command must leave as it was."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(run, capsys, user: str, action: str, *args: str) -> None:
    before = files(run.folder)
    assert run(user, *args) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"error: {user} may not {action}: access.{action} in {run.config} lists maria\n")
    assert captured.out == ""
    assert files(run.folder) == before, "a refused command wrote something"


def test_the_cli_refuses_finalize_reopen_post_and_reexport_and_writes_nothing(studio, capsys):
    refused(studio, capsys, "lee", "finalize", "finalize", *APRIL)
    assert studio("maria", "finalize", *APRIL) == 0
    refused(studio, capsys, "lee", "reopen", "history", "--reopen", "1", "--reason", "recount")
    refused(studio, capsys, "lee", "post", "post", "--through", "2026-04-30")
    assert studio("maria", "post", "--through", "2026-04-30") == 0
    refused(studio, capsys, "lee", "post", "post", "--reexport", "1")
    assert studio("maria", "post", "--reexport", "1") == 0
    assert studio("maria", "history", "--reopen", "1", "--reason", "recount") == 0


def test_what_writes_nothing_is_open_to_everyone(studio, capsys):
    assert studio("maria", "finalize", *APRIL) == 0
    assert studio("maria", "post", "--through", "2026-04-30") == 0
    assert studio("lee", "history") == 0
    assert "#1" in capsys.readouterr().out
    assert studio("lee", "history", "--show", "1") == 0
    assert studio("lee", "post", "--list") == 0
    assert "batch 1:" in capsys.readouterr().out
    assert studio("lee", "post", "--through", "2026-05-02", "--dry-run") == 0
    assert studio("lee", "report", "--previous", "2026-03-31", "--current", "2026-04-30") == 0


def test_the_refusal_comes_before_any_other_check(studio, capsys, tmp_path, monkeypatch):
    """Before the database is opened, before the arguments are weighed: the answer is the same."""
    refused(studio, capsys, "lee", "finalize", "finalize", "--current", "2026-04-30", "--qb-balance", "x")
    refused(studio, capsys, "lee", "post", "post", "--through", "2026-04-30", "--out", str(tmp_path / "nowhere"))
    refused(studio, capsys, "lee", "reopen", "history", "--reopen", "7")  # no reason, no record 7
    missing = tmp_path / "missing.db"
    monkeypatch.setenv("LOGNAME", "lee")
    assert main(["finalize", *APRIL, "--db", str(missing), "--config", str(studio.config)]) == 2
    assert "lee may not finalize" in capsys.readouterr().err
    assert not missing.exists()


def test_unset_access_lets_everyone_finalize_reopen_and_post(tmp_path, monkeypatch, capsys):
    config = config_file(tmp_path, "", base=FIXTURES / "worked_example.yaml")
    common = ["--db", str(tmp_path / "studio.db"), "--config", str(config)]
    monkeypatch.setenv("LOGNAME", "lee")
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0
    assert main(["finalize", *APRIL, *common]) == 0
    assert main(["post", "--through", "2026-04-30", *common]) == 0
    assert main(["post", "--reexport", "1", *common]) == 0
    assert main(["history", "--reopen", "1", "--reason", "recount", *common]) == 0
    assert "finalized reconciliation #1" in capsys.readouterr().out


def test_an_allowed_user_among_several(tmp_path, monkeypatch):
    config = config_file(tmp_path, "access:\n  finalize: [maria, lee]\n  post: [maria]\n",
                         base=FIXTURES / "worked_example.yaml")
    common = ["--db", str(tmp_path / "studio.db"), "--config", str(config)]
    monkeypatch.setenv("LOGNAME", "lee")
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0
    assert main(["finalize", *APRIL, *common]) == 0
    assert main(["history", "--reopen", "1", "--reason", "recount", *common]) == 0  # no reopen list
    assert main(["post", "--through", "2026-04-30", *common]) == 2
