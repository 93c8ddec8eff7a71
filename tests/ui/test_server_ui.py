"""The window on a shared server: connecting with the password asked, another clerk's change refreshing the views,
the address dialog, and an unreachable server offering the last local copy read-only."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import _build_demo, _template, drop_pg_database, new_pg_database

from lamha_desktop.storage import db, server
from lamha_desktop.storage.models import Candidate
from lamha_desktop.ui import server as server_ui

PASSWORD = "Mật khẩu 9"


@pytest.fixture
def demo_server(pg_cluster: Any) -> Iterator[dict[str, Any]]:
    name = new_pg_database(pg_cluster, _template(pg_cluster, "lamha_demo", _build_demo))
    server.open_server(pg_cluster.url(name))
    from lamha_desktop.storage import repo

    org = next(o.id for o in repo.list_organisations() if o.code == "LQD")
    server.add_clerk(f"{name}_lqd", password=PASSWORD, organisation_id=org)
    db.close_database()
    try:
        yield {"name": name, "owner": pg_cluster.url(name), "clerk": pg_cluster.url(name, user=f"{name}_lqd"),
               "org": org}
    finally:
        db.close_database()
        drop_pg_database(pg_cluster, name)


ANOTHER_CLERK = r"""
import sys, datetime as dt
from lamha_desktop.storage import server, db
from lamha_desktop.operations import candidates
server.open_server(sys.argv[1], password=sys.argv[2])
candidates.create({"organisation_id": int(sys.argv[3]), "full_name": "Mai Thị Hoa", "gender": "nu",
                   "birth": dt.date(2008, 1, 5), "ethnic": "Kinh", "religion": "Không",
                   "personal_id": "068308555001"})
db.close_database()
"""


@pytest.mark.postgresql
def test_the_window_on_a_server_refreshes_when_another_clerk_writes(
        qtbot: Any, qt_settings: None, demo_server: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from lamha_desktop import app

    monkeypatch.setenv(server.COPIES_ENV, str(tmp_path / "copies"))
    asked: list[str] = []

    def ask(address: server.ServerAddress, problem: str = "", parent: object = None) -> str:
        asked.append(problem)
        return "sai" if len(asked) == 1 else PASSWORD

    monkeypatch.setattr(server_ui.PasswordDialog, "ask", ask)
    started = app.build(["--database", demo_server["clerk"]])
    window: Any = started.window
    qtbot.addWidget(window)
    assert len(asked) == 2  # asked once the server wanted one; a wrong password: asked again, with why
    assert asked[0] == ""
    assert "sai tên người dùng hoặc mật khẩu" in asked[1]
    assert "Máy chủ:" in window.db_label.text()
    assert not window.safety.act_restore.isEnabled()  # a data file's backups do not apply
    before = window.candidates.model.rowCount()
    assert before == Candidate.select().count()
    done = subprocess.run([sys.executable, "-c", ANOTHER_CLERK, demo_server["clerk"], PASSWORD,
                           str(demo_server["org"])], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert window.server_poller.poll()
    qtbot.waitUntil(lambda: window.candidates.model.rowCount() == before + 1, timeout=5000)
    assert not window.server_poller.poll()  # nothing new since
    # Its own changes do not make it reload twice.
    from lamha_desktop.operations import settings as settings_ops

    settings_ops.save({"first_run_done": True})
    assert not window.server_poller.poll()
    # Closing leaves the local copy of what this clerk reads.
    app.keep_local_copy()
    window.close()
    db.close_database()
    copy = server.local_copy_path(server.ServerAddress.parse(demo_server["clerk"]))
    db.open_database(copy, create=False, read_only=True)
    assert Candidate.select().count() == before + 1


def test_an_unreachable_server_offers_the_last_local_copy_read_only(
        qt_settings: None, demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setenv(server.COPIES_ENV, str(tmp_path / "copies"))
    url = "postgresql://vanthu@127.0.0.1:9/lamha?sslmode=require"
    copy = server.local_copy_path(server.ServerAddress.parse(url))
    copy.parent.mkdir(parents=True)
    shutil.copy(demo_db_template, copy)
    offered: list[str] = []

    def offer(address: server.ServerAddress, line: str) -> bool:
        offered.append(line)
        return True

    opened = server_ui.connect_at_start(url, password="x", interactive=True, offer_copy=offer)
    try:
        assert opened == copy
        assert offered == [offered[0]]
        assert offered[0].startswith("Không kết nối được máy chủ 127.0.0.1:9: ")
        assert "\n" not in offered[0]
        assert Candidate.select().count() > 0
        with pytest.raises(Exception, match=r"readonly|read-only"):
            Candidate.update(notes="x").execute()
    finally:
        db.close_database()
    with pytest.raises(db.StorageError) as info:
        server_ui.connect_at_start(url, password="x", interactive=False)
    assert info.value.code == "server.unreachable"


def test_the_address_dialog_builds_the_url_and_keeps_it(qtbot: Any, qt_settings: None) -> None:
    dialog = server_ui.ServerDialog("postgresql://bantochuc@10.0.0.5:5433/lamha?sslmode=verify-ca")
    qtbot.addWidget(dialog)
    assert (dialog.host.text(), dialog.port.value(), dialog.user.text()) == ("10.0.0.5", 5433, "bantochuc")
    assert dialog.sslmode.currentData() == "verify-ca"
    assert "kiểm tra chứng chỉ" in dialog.sslmode.currentText()
    dialog.host.setText("may-chu.local")
    assert dialog.url() == "postgresql://bantochuc@may-chu.local:5433/lamha?sslmode=verify-ca"
    dialog.host.setText("")
    assert dialog.url() == ""
