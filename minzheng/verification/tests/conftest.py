import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.core.personal_data import decrypt
from minzheng.feeds.services import feed_file_import
from minzheng.feeds.tests.files import csv_file
from minzheng.registry.services import household_add_member, household_create
from minzheng.verification.replies import REQUIRED_SOURCES

AS_OF = dt.date(2024, 6, 15)  # income window 2023-06 … 2024-05


def scan(name: str = "授权书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 signed authorisation scan", content_type="application/pdf")


def feed(users, code: str, rows: list[dict], filename: str = "f.csv", complete: tuple[dt.date, dt.date] | None = None):
    return feed_file_import(actor=users["bureau"], source_code=code, filename=filename, content=csv_file(code, rows),
                            complete_extract=complete is not None, extract_period=complete)


def every_source_replied(users, start: dt.date, end: dt.date, *, but: tuple[str, ...] = ()) -> None:
    """Each source a verification needs sends a complete extract for [start, end]
    with no records: every member has replied "no record" unless other files say more."""
    for code in REQUIRED_SOURCES:
        if code not in but:
            # An extract without rows is the same bytes for every period, and the same file is imported
            # only once; empty trailing rows (skipped by the reader) keep each period's file distinct.
            content = csv_file(code, []) + b"," * ((start.toordinal() % 100) * 100 + end.toordinal() % 100 + 1) + b"\r\n"
            feed_file_import(actor=users["bureau"], source_code=code, filename=f"{code}-extract.csv",
                             content=content, complete_extract=True, extract_period=(start, end))


@pytest.fixture
def family(users, make_person):
    """A household of three in 谷阳居委会: head 王建华, spouse 李梅, child 王小宇 (a minor)."""
    head = make_person("王建华", dt.date(1975, 3, 8))
    spouse = make_person("李梅", dt.date(1960, 9, 1), male=False)
    child = make_person("王小宇", dt.date(2012, 4, 1))
    household = household_create(actor=users["bureau"], head=head, address="谷阳北路8弄3号201室")
    household_add_member(actor=users["bureau"], household=household, person=spouse, relation="配偶")
    household_add_member(actor=users["bureau"], household=household, person=child, relation="子女")
    ids = {p.name: decrypt(p.id_number_enc) for p in (head, spouse, child)}
    return household, head, spouse, child, ids


@pytest.fixture
def other_household(users, make_person):
    """A household in 张泾村委会 (泗泾镇), outside the street user's scope."""
    person = make_person("陈阿婆", dt.date(1950, 1, 1), committee="310117102201", male=False)
    return household_create(actor=users["bureau"], head=person, address="张泾村100号")
