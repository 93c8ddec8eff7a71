"""peewee models: the tables of one school's (or the district's) database."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

import peewee

from lamha_desktop.domain.organisation import OrgKind
from lamha_desktop.storage.db import database

if TYPE_CHECKING:
    _T = TypeVar("_T")

    class _ForeignKeyId(Generic[_T]):
        """Typing-only view of the `<fk>_id` attribute peewee adds for every foreign key: the raw
        id on an instance, the foreign-key field itself on the class (for queries)."""

        @overload
        def __get__(self, instance: None, owner: Any) -> peewee.ForeignKeyField[Any]: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> _T: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...
        def __set__(self, instance: object, value: _T) -> None: ...


def _uid() -> str:
    return uuid.uuid4().hex


class JSONField(peewee.TextField):
    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


# The models declare, as bare annotations (no effect at run time), the attributes peewee adds itself:
# the ``id`` primary key and the ``<fk>_id`` of each foreign key.
class BaseModel(peewee.Model):
    DoesNotExist: ClassVar[type[peewee.DoesNotExist]]  # peewee adds one subclass per model

    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    key = peewee.CharField(primary_key=True)
    value = JSONField()


class UpperCommittee(BaseModel):
    id: peewee.AutoField[int]
    name = peewee.CharField()
    valid_from = peewee.DateField(null=True)
    valid_to = peewee.DateField(null=True)
    place = peewee.CharField(default="")  # place name used in the dated line of a document header


class Organisation(BaseModel):
    id: peewee.AutoField[int]
    upper_committee_id: _ForeignKeyId[int | None]
    uid = peewee.CharField(unique=True, default=_uid)
    code = peewee.CharField(unique=True)
    school_name = peewee.CharField()
    name = peewee.CharField()
    kind = peewee.CharField(default=OrgKind.CHI_BO.value)  # domain.organisation.OrgKind
    official_members = peewee.IntegerField(default=3)
    secretary = peewee.CharField(default="")
    annual_target = peewee.IntegerField(default=1)
    upper_committee = peewee.ForeignKeyField(UpperCommittee, null=True, on_delete="SET NULL")
    active = peewee.BooleanField(default=True)
    updated_at = peewee.DateTimeField(default=dt.datetime.now)
    # The place name of the dated line of the organisation's documents ("Nam Ban, ngày …"); empty: the upper
    # committee's. Added by migration 4 (hence the SQL default, which ALTER TABLE ADD COLUMN needs).
    place = peewee.CharField(default="", constraints=[peewee.SQL("DEFAULT ''")])
    # Raised by every change; the second of two clerks editing the same record is told (operations.core).
    version = peewee.IntegerField(default=1)
    changed_by = peewee.CharField(default="")


class Candidate(BaseModel):
    id: peewee.AutoField[int]
    organisation_id: _ForeignKeyId[int]
    uid = peewee.CharField(unique=True, default=_uid)
    organisation = peewee.ForeignKeyField(Organisation, backref="candidates", on_delete="RESTRICT", index=True)
    full_name = peewee.CharField()
    search_key = peewee.CharField(index=True)
    sort_key = peewee.CharField()
    gender = peewee.CharField()  # "nam" | "nu"
    birth = peewee.DateField()
    # The personal ID and the ethnic group may be unknown (None) on a record imported from a class list; a
    # step that needs them (the vote) is refused until they are filled in. The ID stays unique when present.
    ethnic = peewee.CharField(null=True)
    religion = peewee.CharField(default="00")
    personal_id = peewee.CharField(null=True, unique=True)
    class_name = peewee.CharField(default="")
    union_since = peewee.DateField(null=True)
    graduation_year = peewee.IntegerField(null=True)
    residence = peewee.CharField(default="")
    notes = peewee.TextField(default="")
    # Derived from the events by the domain (pipeline.compute_status); refreshed in every write
    # that touches the events, so the table can filter and sort in the query.
    stage = peewee.IntegerField(default=5, index=True)  # pipeline.Stage.STUDENT until a step is recorded
    eligible_from = peewee.DateField(null=True)
    next_deadline = peewee.DateField(null=True)
    admitted_on = peewee.DateField(null=True, index=True)
    listed_year = peewee.IntegerField(null=True, index=True)
    updated_at = peewee.DateTimeField(default=dt.datetime.now)  # the record or its steps last changed
    # Raised by every write that touches the candidate or their steps (operations.core.writing): the second
    # of two clerks working on the same student is told who changed it and when, instead of overwriting.
    version = peewee.IntegerField(default=1)
    changed_by = peewee.CharField(default="")

    class Meta:
        # The candidates table lists in Vietnamese order and searches as the user types: one covering
        # index lets SQLite scan narrow entries in display order instead of the whole table.
        indexes = ((("sort_key", "id", "search_key", "personal_id", "organisation", "stage", "listed_year"), False),)


class MemberCount(BaseModel):
    """The organisation's number of official members from ``valid_from`` on (None: since the beginning).

    The chi bộ vote is judged against the record in force on its date; ``Organisation.official_members`` mirrors
    the newest one. A correction is a new record with its reason, never an edit of the count of a vote."""

    id: peewee.AutoField[int]
    organisation_id: _ForeignKeyId[int]
    organisation = peewee.ForeignKeyField(Organisation, backref="member_counts", on_delete="CASCADE", index=True)
    valid_from = peewee.DateField(null=True)
    count = peewee.IntegerField()
    reason = peewee.TextField(default="")
    user = peewee.CharField()
    at = peewee.DateTimeField(default=dt.datetime.now)


class Event(BaseModel):
    """One dated step of a candidate's pipeline (kinds in domain.pipeline)."""

    id: peewee.AutoField[int]
    candidate_id: _ForeignKeyId[int]

    candidate = peewee.ForeignKeyField(Candidate, backref="events", on_delete="CASCADE", index=True)
    kind = peewee.CharField()
    on = peewee.DateField()
    data = JSONField(default=dict)
    created_at = peewee.DateTimeField(default=dt.datetime.now)


class Ceremony(BaseModel):
    id: peewee.AutoField[int]
    organisation_id: _ForeignKeyId[int]
    uid = peewee.CharField(unique=True, default=_uid)
    organisation = peewee.ForeignKeyField(Organisation, backref="ceremonies", on_delete="RESTRICT")
    on = peewee.DateField()
    place = peewee.CharField(default="")
    decision_no = peewee.CharField(default="")
    decision_date = peewee.DateField(null=True)
    decision_received = peewee.DateField(null=True)
    notes = peewee.TextField(default="")
    # What the ceremony's programme prints besides (start time "08:00", chair, the upper committee's guest,
    # the helper assigned to each new member by candidate id): see ``domain/meeting.py``.
    data = JSONField(default=dict)
    version = peewee.IntegerField(default=1)
    changed_by = peewee.CharField(default="")
    updated_at = peewee.DateTimeField(default=dt.datetime.now)


class CeremonyCandidate(BaseModel):
    id: peewee.AutoField[int]
    ceremony_id: _ForeignKeyId[int]
    candidate_id: _ForeignKeyId[int]
    ceremony = peewee.ForeignKeyField(Ceremony, backref="links", on_delete="CASCADE")
    candidate = peewee.ForeignKeyField(Candidate, backref="ceremony_links", on_delete="CASCADE", unique=True)


class DayOff(BaseModel):
    """A user-added day off (working=False) or a substituted working day (working=True)."""

    day = peewee.DateField(primary_key=True)
    working = peewee.BooleanField(default=False)
    note = peewee.CharField(default="")


class DocumentCounter(BaseModel):
    """The last number an organisation gave to a series of documents ("NQ/CB", "CV/CB") in a year.

    The next document takes ``last + 1``; a number typed by hand moves the counter to it when it is higher, so
    numbers given outside the application are never given twice."""

    id: peewee.AutoField[int]
    organisation_id: _ForeignKeyId[int]
    organisation = peewee.ForeignKeyField(Organisation, backref="document_counters", on_delete="CASCADE")
    series = peewee.CharField()
    year = peewee.IntegerField()
    last = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("organisation", "series", "year"), True),)


class AuditLog(BaseModel):
    id: peewee.AutoField[int]
    at = peewee.DateTimeField(default=dt.datetime.now, index=True)
    user = peewee.CharField()
    table = peewee.CharField()
    row_id = peewee.IntegerField()
    action = peewee.CharField()  # create | update | delete
    before = JSONField(null=True)
    after = JSONField(null=True)


ALL_MODELS: list[type[BaseModel]] = [
    Setting,
    UpperCommittee,
    Organisation,
    Candidate,
    Event,
    Ceremony,
    CeremonyCandidate,
    DayOff,
    AuditLog,
    MemberCount,
    DocumentCounter,
]

