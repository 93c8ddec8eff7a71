"""Headless ``document``: one of the admission documents as a Word file, written from the database.

    python -m lamha_desktop document --list
    python -m lamha_desktop document KIND --data-dir DIR --candidate WHO --out FILE.docx [--number N|auto]
    python -m lamha_desktop document KIND --database URL --candidate WHO --out FILE.docx (a shared server)
    python -m lamha_desktop document de-nghi-hoc-lop --data-dir DIR --org CODE [--candidate WHO ...] --out FILE.docx
    python -m lamha_desktop document chuong-trinh-le --data-dir DIR --ceremony DD/MM/YYYY [--org CODE] --out FILE.docx

WHO is a personal ID number (12 digits) or a full name, with or without diacritics; a name shared by several
students is refused with the list of them (exit 2), and so is an unknown one. ``--introducer NAME`` picks the
introducer of a ``giay-gioi-thieu`` when the student has two. ``de-nghi-hoc-lop`` without ``--candidate``
proposes every student of the organisation on the source list who has no certificate yet; ``--date`` is its
date (today by default), ``--recipient`` and ``--course`` its addressee and course. ``chuong-trinh-le`` takes
``--ceremony DATE`` (with ``--org`` when two organisations held one that day) or the ``--candidate`` of a
student admitted in it.

**A reader unless it numbers.** Without ``--number`` the command only reads (the database is opened read-only):
a number already given to the document is printed, otherwise the number stays a highlighted blank. With
``--number auto`` the next number of the document's series is given and stored, with ``--number 05`` (or
"05-NQ/CB") that one (a manual override, which moves the counter up to it): the command then writes, holding
the data folder's lock (exit 3 while another program writes; on a server, the server's transaction does). A
fact the document needs and the database lacks is a highlighted dotted blank, named in the last line; the GUI's
"Soạn văn bản…" asks for it and stores it.

Exit codes: 0 written; 1 a file or the database cannot be read or written; 2 bad arguments (unknown kind,
WHO unknown or ambiguous, a document that does not apply, a number refused); 3 another program writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from lamha_desktop import catalogue
from lamha_desktop.catalogue import DOCUMENT_NAMES, FACT_NAMES

EXIT_OK, EXIT_FILE, EXIT_REFUSED = 0, 1, 2


class _Stop(Exception):
    """The command stops with ``code`` (a catalogue code) and an exit code."""

    def __init__(self, code: str, exit_code: int, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.params = params


def add_arguments(c: Any) -> None:
    """The ``document`` command's own arguments (``cli.build_parser`` adds --data-dir and --password-env)."""
    c.add_argument("kind", nargs="?", metavar="LOẠI", help="loại văn bản (xem --list)")
    c.add_argument("--list", action="store_true", help="liệt kê các loại văn bản")
    c.add_argument("--candidate", action="append", default=[], metavar="AI",
                   help="số định danh hoặc họ và tên của học sinh (có thể lặp lại với de-nghi-hoc-lop)")
    c.add_argument("--org", metavar="MÃ", help="mã tổ chức đảng")
    c.add_argument("--ceremony", metavar="NGÀY", help="ngày tổ chức lễ kết nạp (chuong-trinh-le)")
    c.add_argument("--introducer", metavar="TÊN", help="đảng viên giới thiệu (khi có hai người)")
    c.add_argument("--number", metavar="SỐ",
                   help="cấp số văn bản: auto (số tiếp theo) hoặc một số, ví dụ 05 hoặc 05-NQ/CB")
    c.add_argument("--date", metavar="NGÀY", help="ngày ký công văn de-nghi-hoc-lop (mặc định: hôm nay)")
    c.add_argument("--recipient", metavar="NƠI_NHẬN", help="nơi nhận công văn de-nghi-hoc-lop")
    c.add_argument("--course", default="", metavar="KHÓA", help="khóa học (de-nghi-hoc-lop)")
    c.add_argument("--out", type=Path, metavar="TỆP", help="tệp .docx sẽ ghi")


def writes(args: argparse.Namespace) -> bool:
    """Whether this run stores something (a number): then it holds the data folder's lock."""
    return bool(getattr(args, "number", None)) and not getattr(args, "list", False)


def _say(code: str, params: dict[str, Any], *, error: bool = False) -> None:
    print(catalogue.text(code, params).replace("\n", " "), file=sys.stderr if error else sys.stdout)


def _date(text: str) -> dt.date:
    from lamha_desktop.domain import validation

    try:
        day = validation.parse_date_vn(text)
    except ValueError:
        day = None
    if day is None:
        raise _Stop("document.bad_date", EXIT_REFUSED, value=text)
    return day


def _who(who: str) -> int:
    from lamha_desktop.domain.privacy import mask_pid
    from lamha_desktop.storage import document_data

    found = document_data.find_candidates(who)
    if not found:
        raise _Stop("document.who_unknown", EXIT_REFUSED, who=who)
    if len(found) > 1:
        matches = "; ".join(f"{m.full_name} ({m.birth.strftime('%d/%m/%Y')}, {m.organisation_code}, "
                            f"{mask_pid(m.personal_id)})" for m in found)
        raise _Stop("document.who_ambiguous", EXIT_REFUSED, who=who, count=len(found), matches=matches)
    return found[0].id


def _org(code: str | None, kind: str) -> int:
    from lamha_desktop.storage import repo

    if not code:
        raise _Stop("document.org_required", EXIT_REFUSED, kind=kind)
    org = repo.organisation_by_code(code)
    if org is None:
        raise _Stop("document.org_unknown", EXIT_REFUSED, org=code)
    return org.id


def _introducer(args: argparse.Namespace, source: Any) -> int | None:
    from lamha_desktop.domain import people

    intro = [s for s in source.of("dossier") if s.data.get("item") == "gioi_thieu"]
    name = source.student.full_name
    if args.introducer:
        wanted = people.search_key(args.introducer)
        chosen = [s for s in intro if people.search_key(str(s.data.get("member") or "")) == wanted]
        if len(chosen) != 1:
            raise _Stop("document.introducer_unknown", EXIT_REFUSED, name=name, introducer=args.introducer)
        return int(chosen[0].id)
    if len(intro) > 1:
        raise _Stop("document.introducer_ambiguous", EXIT_REFUSED, name=name, count=len(intro),
                    names=", ".join(str(s.data.get("member") or "?") for s in intro))
    return int(intro[0].id) if intro else None


def _number_arg(args: argparse.Namespace, series: str) -> str:
    """``--number``: "" for the next one ("auto"), else the number typed, completed with the series."""
    text = str(args.number).strip()
    if text.lower() == "auto":
        return ""
    return f"{text}-{series}" if text.isdigit() else text


def _refused(exc: Any) -> _Stop:
    reasons = "; ".join(catalogue.text(p.code, dict(p.params)).rstrip(".") for p in exc.problems)
    return _Stop("document.refused", EXIT_REFUSED, reasons=reasons)


def _candidate_document(args: argparse.Namespace, kind: str) -> Any:
    from lamha_desktop.operations import ACCEPT_ALL, NeedsConfirmation, Refused
    from lamha_desktop.operations import documents as document_ops
    from lamha_desktop.reports.documents import assemble
    from lamha_desktop.storage import document_data

    if len(args.candidate) != 1:
        raise _Stop("document.candidate_required", EXIT_REFUSED, kind=kind)
    cid = _who(args.candidate[0])
    source = document_data.candidate_source(cid)
    name = source.student.full_name
    if kind == "nq-dang-uy" and not source.issuer.kind.party_committee:
        raise _Stop("document.not_applicable", EXIT_REFUSED, kind=kind, name=name,
                    reason="tổ chức là chi bộ cơ sở, không có bước đảng ủy")
    event_id = _introducer(args, source) if kind == "giay-gioi-thieu" else None
    prepared = assemble.candidate_document(kind, source, event_id=event_id)
    if args.number:
        if prepared.number is None:
            raise _Stop("document.no_number", EXIT_REFUSED, kind=kind)
        number = _number_arg(args, prepared.number.series)
        try:
            changes = document_ops.save_facts(cid, kind, {}, event_id=event_id, number=number)
        except NeedsConfirmation as exc:  # a number used twice: said, and given as asked
            for w in exc.warnings:
                _say(w.code, dict(w.params), error=True)
            changes = document_ops.save_facts(cid, kind, {}, event_id=event_id, number=number, accept=ACCEPT_ALL)
        except Refused as exc:
            raise _refused(exc) from exc
        _say("document.number_given", {"number": changes.result})
        prepared = assemble.candidate_document(kind, document_data.candidate_source(cid), event_id=event_id)
    elif prepared.number is not None and prepared.number.stored:
        _say("document.number_given", {"number": prepared.number.stored})
    return prepared


def _class_document(args: argparse.Namespace, kind: str) -> Any:
    from lamha_desktop.operations import Refused
    from lamha_desktop.operations import documents as document_ops
    from lamha_desktop.reports.documents import assemble
    from lamha_desktop.storage import document_data

    org_id = _org(args.org, kind)
    if args.candidate:
        ids = [_who(w) for w in args.candidate]
    else:
        ids = [cid for cid, _name, certified in document_data.class_candidates(org_id) if not certified]
    source = document_data.class_source(org_id, ids)
    for w, cid in zip(args.candidate, ids, strict=False):
        if all(s.id != cid for s in source.students):
            raise _Stop("document.not_applicable", EXIT_REFUSED, kind=kind, name=w,
                        reason=f"không thuộc tổ chức {args.org}")
    signed = _date(args.date) if args.date else dt.date.today()
    number: str | None = None
    if args.number:
        plan = assemble.class_document(source, signed_on=signed).number
        assert plan is not None
        try:
            number = str(document_ops.take_number(org_id, kind, signed, number=_number_arg(args, plan.series)).result)
        except Refused as exc:
            raise _refused(exc) from exc
        _say("document.number_given", {"number": number})
    return assemble.class_document(source, signed_on=signed, recipient=args.recipient, course=args.course,
                                   number=number)


def _ceremony_document(args: argparse.Namespace, kind: str) -> Any:
    from lamha_desktop.reports.documents import assemble
    from lamha_desktop.storage import document_data, repo

    if args.number:
        raise _Stop("document.no_number", EXIT_REFUSED, kind=kind)
    if args.ceremony:
        on = _date(args.ceremony)
        org_id = _org(args.org, kind) if args.org else None
        found = [c for c in repo.list_ceremonies(organisation_id=org_id) if c.on == on]
        if not found:
            raise _Stop("document.ceremony_unknown", EXIT_REFUSED, on=on,
                        org=f" của {args.org}" if args.org else "")
        if len(found) > 1:
            raise _Stop("document.ceremony_ambiguous", EXIT_REFUSED, on=on, count=len(found),
                        orgs=", ".join(c.organisation_code for c in found))
        ceremony_id = found[0].id
    elif len(args.candidate) == 1:
        cid = _who(args.candidate[0])
        ceremony = repo.ceremony_of(cid)
        if ceremony is None:
            raise _Stop("document.ceremony_required", EXIT_REFUSED)
        ceremony_id = ceremony
    else:
        raise _Stop("document.ceremony_required", EXIT_REFUSED)
    return assemble.ceremony_document(document_data.ceremony_source(ceremony_id))


def _list() -> int:
    from lamha_desktop.reports.documents import KINDS

    for code in KINDS:
        print(f"  {code:<17}{DOCUMENT_NAMES[code]}")
    _say("document.list", {"kinds": ", ".join(KINDS)})
    return EXIT_OK


def document(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    from lamha_desktop.cli_reports import _database, _open
    from lamha_desktop.reports import documents
    from lamha_desktop.reports.files import ExportError, write_atomic
    from lamha_desktop.storage import db, document_data

    kind = args.kind or ""
    if kind not in documents.KINDS:
        _say("document.unknown_kind", {"kind": kind, "kinds": ", ".join(documents.KINDS)}, error=True)
        return EXIT_REFUSED
    database = _database(args)
    if (args.data_dir is None and not database) or args.out is None:
        _say("document.arguments", {"kind": kind}, error=True)
        return EXIT_REFUSED
    failed = _open(args.data_dir, read_only=not writes(args), database=database)
    if failed is not None:
        return failed
    try:
        scope = documents.KINDS[kind].scope
        build = {"candidate": _candidate_document, "org": _class_document, "ceremony": _ceremony_document}[scope]
        prepared = build(args, kind)
        top, bottom, left, right = document_data.margins()
        rendered = documents.render(kind, prepared.context, override_dir=document_data.template_folder(),
                                    margins=documents.Margins(top, bottom, left, right))
    except _Stop as stop:
        _say(stop.code, stop.params, error=True)
        return stop.exit_code
    except documents.DocumentError as exc:
        _say(exc.code, exc.params, error=True)
        return EXIT_REFUSED
    except db.StorageError as exc:
        _say(exc.code, exc.params, error=True)
        return EXIT_FILE
    finally:
        db.close_database()
    try:
        write_atomic(Path(args.out).expanduser(), rendered.data)
    except ExportError as exc:
        _say(exc.code, exc.params, error=True)
        return EXIT_FILE
    if rendered.fallback is not None:
        code, params = rendered.fallback.problems()[0]
        _say("document.template_fallback", {"path": str(rendered.fallback.path),
                                            "reason": catalogue.text(code, params)}, error=True)
    path = str(args.out)
    if rendered.missing:
        facts = "; ".join(dict.fromkeys(
            FACT_NAMES.get(m.path, m.path) + (f" ({m.label})" if m.label else "") for m in rendered.missing))
        _say("document.written_missing", {"kind": kind, "path": path, "facts": facts})
    else:
        _say("document.written", {"kind": kind, "path": path})
    return EXIT_OK
