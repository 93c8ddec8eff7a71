"""Two costs of every start and close that are PySide6's or the interpreter's, not the window's: PySide6's feature
import (``ui/qtimport.py``) and the interpreter's teardown at exit (``app.leave``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import lamha_desktop

PACKAGE = Path(lamha_desktop.__file__).resolve().parent


def _python(code: str, *, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=cwd, check=False)


def test_plain_imports_gives_python_its_import_back_and_qt_still_works(tmp_path: Path) -> None:
    (tmp_path / "uses_nothing.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "names_qt.py").write_text("import PySide6.QtCore\nVALUE = 2\n", encoding="utf-8")
    result = _python("""
        import builtins, sys
        import PySide6.QtCore
        feature = sys.modules["shibokensupport.feature"]
        hooked = builtins.__import__ is not builtins.__orig_import__
        import uses_nothing  # seen through PySide6's import: its source was read
        seen_before = "uses_nothing" in feature.pyside_feature_dict
        from lamha_desktop.ui.qtimport import plain_imports
        first, again = plain_imports(), plain_imports()
        import names_qt
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel("Xin chào")
        label.show(); app.processEvents()
        print(hooked, seen_before, first, again, builtins.__import__ is builtins.__orig_import__,
              "names_qt" in feature.pyside_feature_dict, label.text(), names_qt.VALUE)
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "False", "True", "False", "Xin", "chào", "2"]


def test_plain_imports_leaves_another_import_function_alone(tmp_path: Path) -> None:
    result = _python("""
        import builtins
        import PySide6.QtCore
        def mine(*args, **kwargs):
            return builtins.__orig_import__(*args, **kwargs)
        builtins.__import__ = mine
        from lamha_desktop.ui.qtimport import plain_imports
        print(plain_imports(), builtins.__import__ is mine)
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_no_module_uses_pyside_features() -> None:
    """What ``plain_imports`` assumes: no ``from __feature__ import …`` anywhere in the program."""
    users = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "qtimport.py"
             and ("import __feature__" in (text := p.read_text(encoding="utf-8")) or "from __feature__" in text)]
    assert users == []


def test_the_window_starts_with_python_s_own_import(tmp_path: Path) -> None:
    result = _python(f"""
        import builtins
        from lamha_desktop import app
        started = app.build(["--data-dir", {str(tmp_path / "data")!r}, "--no-err-windows"])
        print(builtins.__import__ is builtins.__orig_import__, started.window.tabs.count() >= 3)
        app.shutdown(started.window, started.db_path)
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_leave_waits_for_threads_runs_exit_handlers_and_flushes(tmp_path: Path) -> None:
    result = _python(f"""
        import atexit, sys, threading, time
        from pathlib import Path
        from lamha_desktop import app
        folder = Path({str(tmp_path)!r})
        atexit.register(lambda: (folder / "handler").write_text("ran"))
        def late():
            time.sleep(0.3)
            (folder / "thread").write_text("done")
        threading.Thread(target=late).start()
        sys.stdout.write("không xuống dòng")
        sys.stderr.write("lỗi cuối")
        app.leave(3)
        print("never")
    """, cwd=tmp_path)
    assert result.returncode == 3
    assert result.stdout == "không xuống dòng"
    assert result.stderr == "lỗi cuối"
    assert (tmp_path / "handler").read_text() == "ran"
    assert (tmp_path / "thread").read_text() == "done"


def test_the_program_closes_cleanly_through_leave(tmp_path: Path) -> None:
    """``python -m lamha_desktop`` ends through ``app.leave``: its code, its last log line and the folder lock
    let go (a second start opens the same folder)."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "lamha_desktop", "--smoke-test", "--data-dir", str(data)],
                                capture_output=True, text=True, timeout=120, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().endswith("lamha.sqlite3")
    log = (data / "logs" / "lamha.log").read_text(encoding="utf-8")
    assert "backup written" in log  # the first start's line reached the file before the process ended


def test_no_collection_while_the_window_is_built_and_the_collector_after(tmp_path: Path) -> None:
    result = _python("""
        import gc, weakref
        from lamha_desktop import app
        seen = []
        gc.callbacks.append(lambda phase, info: seen.append(info["generation"]) if phase == "start" else None)
        with app.collection_paused():
            paused = not gc.isenabled()
            junk = [[] for _ in range(100_000)]  # enough for many collections, were the collector on
        during = len(seen)
        frozen = gc.get_freeze_count()
        class Node: pass
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle made afterwards
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        print(paused, during, frozen > 100_000, gc.isenabled(), gone() is None)
        gc.disable()
        with app.collection_paused():
            pass
        print(gc.isenabled())
        gc.enable()
        try:
            with app.collection_paused():
                raise KeyError("x")
        except KeyError:
            print(gc.isenabled())
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "0", "True", "True", "True", "False", "True"]


def test_the_start_collects_nothing_until_the_window_is_built(tmp_path: Path) -> None:
    result = _python(f"""
        import gc
        from lamha_desktop import app
        seen = []
        gc.callbacks.append(lambda phase, info: seen.append(info["generation"]) if phase == "start" else None)
        built = app.build
        def counted(argv):
            before = len(seen)
            started = built(argv)
            print(len(seen) - before, gc.isenabled() is False)
            return started
        app.build = counted
        print(app.main(["--smoke-test", "--data-dir", {str(tmp_path / "data")!r}]), gc.isenabled())
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["0", "True"]
    assert result.stdout.split()[-2:] == ["0", "True"]


def test_leave_without_standard_streams_as_a_windowed_program_on_windows(tmp_path: Path) -> None:
    """A windowed Windows program has no stdout or stderr (None): the end does not trip over them."""
    result = _python(f"""
        import atexit, sys
        from pathlib import Path
        from lamha_desktop import app
        atexit.register(lambda: Path({str(tmp_path / "handler")!r}).write_text("ran"))
        sys.stdout = None
        sys.stderr = None
        app.leave(0)
    """, cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "handler").read_text() == "ran"


def test_a_start_leaves_out_what_only_later_work_needs(tmp_path: Path) -> None:
    """What a start does not load (each cost every start 1.5-7 ms; SQLCipher, for a plain file, its native
    library), and the log that still works without it:
    the rotating file handler's module comes with the first record. (The first start, which builds the demo
    data through the operations, is not the one looked at.)"""
    first = _python(f"""
        from lamha_desktop import app
        assert app.main(["--smoke-test", "--demo", "--data-dir", {str(tmp_path / "data")!r}]) == 0
    """, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    result = _python(f"""
        import logging, sys
        from lamha_desktop import app, logs
        assert app.main(["--smoke-test", "--demo", "--data-dir", {str(tmp_path / "data")!r}]) == 0
        later = ["logging.handlers", "html", "lamha_desktop.ui.help.dialogs", "lamha_desktop.ui.candidates.steps",
                 "lamha_desktop.operations.steps", "lamha_desktop.domain.meeting", "sqlcipher3",
                 "playhouse.sqlcipher_ext"]
        print("loaded:", [m for m in later if m in sys.modules])
        logging.getLogger("lamha_desktop.test").warning("a record after the start")
        print("handlers:", "logging.handlers" in sys.modules)
        for handler in logging.getLogger().handlers:
            handler.flush()
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout
    assert "handlers: True" in result.stdout
    log = tmp_path / "data" / "logs" / "lamha.log"
    assert "a record after the start" in log.read_text(encoding="utf-8")


def test_a_new_file_s_first_start_does_not_compute_the_days_off(tmp_path: Path) -> None:
    """The first start on an empty folder has no student to count working days for: the ``holidays`` package
    (0.13 s to import its countries) is left for the first student's deadlines."""
    result = _python(f"""
        import sys
        from lamha_desktop import app
        assert app.main(["--smoke-test", "--data-dir", {str(tmp_path / "data")!r}]) == 0
        print("holidays:", "holidays" in sys.modules)
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "holidays: False" in result.stdout
