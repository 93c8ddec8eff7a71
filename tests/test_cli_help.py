"""``--help`` in Vietnamese, listing every headless command with an example; no display said in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lamha_desktop import app, cli

ENGLISH = ("usage:", "options:", "show this help", "positional arguments", "the following arguments")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lamha_desktop", *args], capture_output=True, text=True,
                          env=env if env is not None else dict(os.environ), timeout=120, check=False)


def test_help_lists_every_command_with_an_example_in_vietnamese() -> None:
    r = _run("--help")
    assert r.returncode == 0, r.stderr
    assert not [w for w in ENGLISH if w in r.stdout.lower()]
    assert "Cách dùng:" in r.stdout
    assert "tùy chọn:" in r.stdout
    assert set(cli.COMMANDS) == set(cli.HANDLERS)
    lines = r.stdout.splitlines()
    for name in cli.HANDLERS:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{name}:"))
        assert lines[at + 1].strip().startswith(f"ví dụ: lamha-desktop {name} ")
        assert ("--database" if name in cli.SERVER_ONLY else "--data-dir") in lines[at + 1]
    # Which commands also work on a shared server is said once.
    on_server = next(line for line in lines if "--database" in line and "máy chủ dùng chung" in line)
    assert all(name in on_server for name in cli.ON_SERVER)


@pytest.mark.parametrize("command", sorted(cli.HANDLERS))
def test_each_command_has_vietnamese_help_and_errors(command: str) -> None:
    r = _run(command, "--help")
    assert r.returncode == 0, r.stderr
    assert "Ví dụ:" in r.stdout
    assert cli.COMMANDS[command][1] in r.stdout
    assert not [w for w in ENGLISH if w in r.stdout.lower()]
    wrong = _run(command, "--no-such-option")
    assert wrong.returncode == 2
    assert len(wrong.stderr.strip().splitlines()) == 1
    assert not [w for w in ENGLISH if w in wrong.stderr.lower()], wrong.stderr


def test_the_example_periods_are_accepted() -> None:
    args = cli.build_parser().parse_args(["export-return", "--data-dir", "d", "--period", "2026-H2", "--out", "x"])
    assert args.period == "2026-H2"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a display server is a Linux matter")
def test_without_a_display_the_window_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = _run("--data-dir", str(tmp_path / "data"), env=env)
    assert r.returncode == app.EXIT_NO_DISPLAY
    assert r.stderr.strip().splitlines() == [
        "Không tìm thấy màn hình để hiện cửa sổ (chưa có DISPLAY hay WAYLAND_DISPLAY, ví dụ khi chạy qua SSH). "
        "Hãy chạy trên máy có màn hình, hoặc dùng các lệnh không cần cửa sổ (lamha-desktop --help)."]
    assert "xcb" not in r.stderr
    assert not (tmp_path / "data").exists()  # nothing was opened
    # The headless commands need no display.
    assert _run("--help", env=env).returncode == 0


@pytest.mark.parametrize(("environ", "missing"), [
    ({}, True),
    ({"DISPLAY": ":0"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, True),
])
def test_display_missing(environ: dict[str, str], missing: bool) -> None:
    from lamha_desktop.ui.headless import display_missing

    assert display_missing(environ, platform="linux") is missing
    assert display_missing(environ, platform="win32") is False
