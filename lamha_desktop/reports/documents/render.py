"""Rendering a document from its template, checking a user's template, and the fallback to the built-in one.

:func:`render` fills the template of a kind with docxtpl, **always with autoescape** (without it "Đoàn & Hội
<THPT>" silently loses text) and with Jinja's ``StrictUndefined`` (a misspelt variable is an error, never an
empty place). Then it highlights what a person must still write or fill in and applies the margins.

A user's folder of overrides holds templates named like the built-in ones (``nq-chi-bo.docx``). Before one
is used, :func:`check_template` reads it: a file that is not a Word document, a Jinja syntax error, a variable
the kind does not have, or an essential variable left out makes it fail, and the built-in template is used
instead; the failed check comes back in ``Rendered.fallback`` so the caller can say so. An override that
passes the check but fails while rendering falls back the same way ("document.template_render").
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes
from lxml import etree

from lamha_desktop.catalogue import documents as texts
from lamha_desktop.reports.documents import examples
from lamha_desktop.reports.documents.context import DocumentContext
from lamha_desktop.reports.documents.kinds import KINDS, DocumentKind
from lamha_desktop.reports.documents.variables import (
    MISSING_CLOSE,
    MISSING_OPEN,
    WRITE_CLOSE,
    WRITE_OPEN,
    DocumentError,
    MissingFact,
    build,
)

__all__ = ["Margins", "Rendered", "TemplateCheck", "check_template", "known_variables", "render"]

_MARKED: Final = re.compile(
    f"({re.escape(MISSING_OPEN)}.*?{re.escape(MISSING_CLOSE)}|{re.escape(WRITE_OPEN)}.*?{re.escape(WRITE_CLOSE)})",
    re.DOTALL,
)
_MARKS: Final = (MISSING_OPEN, MISSING_CLOSE, WRITE_OPEN, WRITE_CLOSE)
# Names Jinja provides itself: never a variable of ours.
_JINJA_NAMES: Final = frozenset({"loop", "range", "lipsum", "dict", "cycler", "joiner", "namespace", "super",
                                 "varargs", "kwargs", "caller", "true", "false", "none", "True", "False", "None"})


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres (Hướng dẫn 36-HD/VPTW: 20 top, 20 bottom, 30 left, 15 right)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


@dataclass(frozen=True)
class TemplateCheck:
    """What "Kiểm tra mẫu" found in a template.

    Attributes:
        path: the template checked.
        kind: the kind it is meant for.
        error: "document.template_unreadable" or "document.template_syntax" when the file cannot be used at
            all (or "document.template_render" when it failed while rendering), else None.
        detail: the reader's or Jinja's message for ``error``; ``line`` its line in the template's XML.
        unknown: variables the template uses that the kind does not have ("vote.agre").
        missing: essential variables of the kind the template does not use.
    """

    path: Path
    kind: str
    error: str | None = None
    detail: str = ""
    line: int | None = None
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and not self.unknown and not self.missing

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        """The check as (code, params) pairs for ``catalogue.text`` (``document.template_ok`` when it passed)."""
        where = {"path": str(self.path)}
        if self.error is not None:
            return [(self.error, where | {"detail": self.detail, "line": self.line or ""})]
        found: list[tuple[str, dict[str, Any]]] = []
        if self.unknown:
            found.append(("document.template_unknown", where | {"names": ", ".join(self.unknown)}))
        if self.missing:
            found.append(("document.template_missing", where | {"names": ", ".join(self.missing)}))
        return found or [("document.template_ok", where)]


@dataclass(frozen=True)
class Rendered:
    """A rendered document.

    Attributes:
        data: the .docx file's bytes (write them with ``reports.files.write_atomic``).
        kind: the kind's code.
        template: the template actually used.
        missing: the facts the context lacked; each is a highlighted dotted blank in the document.
        fallback: the failed check of the user's template when the built-in one was used instead, else None.
    """

    data: bytes
    kind: str
    template: Path
    missing: tuple[MissingFact, ...] = ()
    fallback: TemplateCheck | None = None


# ------------------------------------------------------------------------------------------------ variables


def _flatten(value: Any, prefix: str, out: set[str]) -> None:
    if prefix:
        out.add(prefix)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        for item in value:
            _flatten(item, f"{prefix}[]", out)


def known_variables(kind: str) -> frozenset[str]:
    """Every variable (dotted path; "students[].full_name" for the items of a list) a template of ``kind`` may use.

    Raises:
        DocumentError: "document.unknown_kind".
    """
    _kind(kind)
    variables, _ = build(examples.example(kind))
    out: set[str] = set()
    _flatten(variables, "", out)
    return frozenset(out)


class _Local:
    """A name bound inside the template ({% set %}, a loop over something not ours, Jinja's own names)."""


_LOCAL: Final = _Local()


def _chain(node: nodes.Node, scope: Mapping[str, str | _Local]) -> str | _Local | None:
    """The dotted path of a variable reference, _LOCAL for a template-local name, None if not a reference."""
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name]
        return _LOCAL if node.name in _JINJA_NAMES else node.name
    if isinstance(node, nodes.Getattr):
        base = _chain(node.node, scope)
        return base if base is None or isinstance(base, _Local) else f"{base}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        base = _chain(node.node, scope)
        if base is None or isinstance(base, _Local):
            return base
        arg = node.arg
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            return f"{base}.{arg.value}"
        return f"{base}[]"
    return None


def _walk(node: nodes.Node, scope: dict[str, str | _Local], used: set[str]) -> None:
    if isinstance(node, nodes.For):
        _walk(node.iter, scope, used)
        iterated = _chain(node.iter, scope)
        inner = dict(scope)
        inner["loop"] = _LOCAL
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = f"{iterated}[]" if isinstance(iterated, str) else _LOCAL
        else:
            for name in node.target.find_all(nodes.Name):
                inner[name.name] = _LOCAL
        for child in [*node.body, *node.else_, *([node.test] if node.test is not None else [])]:
            _walk(child, inner, used)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        for name in node.target.find_all(nodes.Name):
            scope[name.name] = _LOCAL
        for child in node.iter_child_nodes(exclude=("target",)):
            _walk(child, scope, used)
        return
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
        path = _chain(node, scope)
        if isinstance(path, str):
            used.add(path)
            if isinstance(node, nodes.Getitem):
                _walk(node.arg, scope, used)
            return
        if isinstance(path, _Local):
            return
    for child in node.iter_child_nodes():
        _walk(child, scope, used)


def _template_xml(path: Path) -> str:
    """The template's body, headers and footers as docxtpl prepares them for Jinja."""
    template = DocxTemplate(path)
    document = Document(str(path))
    xml: str = template.patch_xml(template.xml_to_string(document.element.body))
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for rel in document.part.rels.values():
            if rel.reltype == uri and not rel.is_external:
                part_xml = etree.tostring(etree.fromstring(rel.target_part.blob), encoding="unicode")
                xml += template.patch_xml(part_xml)
    return xml


def _used(path: Path) -> set[str]:
    tree = Environment(autoescape=True).parse(_template_xml(path))
    used: set[str] = set()
    _walk(tree, {}, used)
    return used


def check_template(path: Path, kind: str) -> TemplateCheck:
    """Check that the template at ``path`` can be used for ``kind`` (see the module docstring).

    Raises:
        DocumentError: "document.unknown_kind".
    """
    k = _kind(kind)
    try:
        used = _used(Path(path))
    except TemplateSyntaxError as exc:
        return TemplateCheck(Path(path), kind, error="document.template_syntax", detail=exc.message or str(exc),
                             line=exc.lineno)
    except Exception as exc:  # not a zip, not a Word document, broken XML: whatever a user's file holds
        return TemplateCheck(Path(path), kind, error="document.template_unreadable",
                             detail=f"{type(exc).__name__}: {exc}")
    known = known_variables(kind)
    unknown = tuple(sorted(p for p in used if p not in known))
    missing = tuple(v for v in k.essential if v not in used)
    return TemplateCheck(Path(path), kind, unknown=unknown, missing=missing)


# ------------------------------------------------------------------------------------------------ rendering


def _kind(kind: str) -> DocumentKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise DocumentError("document.unknown_kind", kind=kind, kinds=", ".join(KINDS)) from None


def _fill(template: Path, variables: Mapping[str, Any]) -> bytes:
    doc = DocxTemplate(template)
    env = Environment(autoescape=True, undefined=StrictUndefined)
    doc.render(dict(variables), jinja_env=env, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(container: Any) -> Iterator[Paragraph]:
    """Every paragraph of a document part, tables (nested too) included."""
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from _paragraphs(cell)


def _all_paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    yield from _paragraphs(doc)
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from _paragraphs(part)


def _highlight_run(run: Run) -> None:
    text = run.text
    if not any(m in text for m in _MARKS):
        return
    pieces = [p for p in _MARKED.split(text) if p]
    element = run._r
    anchor = element
    for piece in pieces:
        clone = deepcopy(element)
        anchor.addnext(clone)
        anchor = clone
        new = Run(clone, run._parent)
        plain = piece
        for mark in _MARKS:
            plain = plain.replace(mark, "")
        new.text = plain
        if piece.startswith(MISSING_OPEN):
            new.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif piece.startswith(WRITE_OPEN):
            new.font.highlight_color = WD_COLOR_INDEX.YELLOW
            new.italic = True
    element.getparent().remove(element)


def _finish(data: bytes, *, margins: Margins | None, title: str) -> bytes:
    """Highlight the marked pieces, drop the marks, apply the margins and set the document's properties."""
    doc = Document(io.BytesIO(data))
    for paragraph in _all_paragraphs(doc):
        for run in list(paragraph.runs):
            _highlight_run(run)
    if margins is not None:
        for section in doc.sections:
            section.top_margin = Mm(margins.top)
            section.bottom_margin = Mm(margins.bottom)
            section.left_margin = Mm(margins.left)
            section.right_margin = Mm(margins.right)
    props = doc.core_properties
    props.title = title
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.created = now
    props.modified = now
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(
    kind: str,
    context: DocumentContext,
    *,
    override_dir: Path | None = None,
    margins: Margins | None = None,
) -> Rendered:
    """Write the document ``kind`` from ``context``.

    Args:
        kind: a code of :data:`KINDS`.
        context: the kind's context dataclass (``KINDS[kind].context``).
        override_dir: the user's folder of templates; ``<kind>.docx`` there is used when it passes the check.
        margins: the margins to apply (the user's setting); None keeps the template's own.

    Raises:
        DocumentError: "document.unknown_kind" (kind, kinds), "document.context_mismatch" (kind),
            "document.counts_invalid" (what).
    """
    k = _kind(kind)
    if not isinstance(context, k.context):
        raise DocumentError("document.context_mismatch", kind=kind)
    variables, missing = build(context)
    title = texts.DOCUMENT_NAMES[kind]
    fallback: TemplateCheck | None = None
    if override_dir is not None:
        candidate = Path(override_dir) / k.template
        if candidate.is_file():
            check = check_template(candidate, kind)
            if check.ok:
                try:
                    data = _fill(candidate, variables)
                    return Rendered(_finish(data, margins=margins, title=title), kind, candidate, missing)
                except Exception as exc:  # a user's template may fail in any way Jinja or the XML allows
                    detail = f"{type(exc).__name__}: {exc}"
                    fallback = TemplateCheck(candidate, kind, error="document.template_render", detail=detail)
            else:
                fallback = check
    data = _fill(k.builtin, variables)
    return Rendered(_finish(data, margins=margins, title=title), kind, k.builtin, missing, fallback)
