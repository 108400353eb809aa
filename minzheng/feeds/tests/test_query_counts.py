"""Query counts of the feeds list pages do not grow with the number of rows:
the file list with 3 and 23 files, the event list with 3 and 23 events
(matched and unmatched persons, one page each)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_id_number
from minzheng.core.personal_data import decrypt
from minzheng.core.tests.web import logged_in, page_queries
from minzheng.feeds.importing import feed_file_import
from minzheng.feeds.models import FeedEvent, FeedFile
from minzheng.feeds.tests.files import csv_file

TODAY = dt.date(2024, 6, 30)


def _moves(users, rows: list[tuple[str, str, dt.date]], filename: str) -> None:
    """One public-security file of moves out of the district: (ID number, name, day)."""
    content = csv_file("police_hukou", [
        {"id_number": id_number, "name": name, "change": "迁出", "changed_on": day.isoformat(),
         "destination_code": "310104", "destination": "上海市徐汇区"} for id_number, name, day in rows])
    feed_file_import(actor=users["bureau"], source_code="police_hukou", filename=filename, content=content,
                     today=TODAY)


@pytest.mark.django_db
def test_file_list_query_count_does_not_grow_with_files(users, make_person):
    # given three imported files
    person = make_person("王建华", dt.date(1975, 3, 8))
    id_number = decrypt(person.id_number_enc)
    for i in range(3):
        _moves(users, [(id_number, "王建华", dt.date(2023, 1, 1) + dt.timedelta(days=i))], f"hukou-{i}.csv")
    client = logged_in(users["bureau"])
    page_queries(client, "/feeds/files/")
    few = page_queries(client, "/feeds/files/", "hukou-0.csv")
    # when twenty more files arrive
    for i in range(3, 23):
        _moves(users, [(id_number, "王建华", dt.date(2023, 1, 1) + dt.timedelta(days=i))], f"hukou-{i}.csv")
    # then the list shows them in the same number of queries
    many = page_queries(client, "/feeds/files/", "hukou-3.csv", "hukou-22.csv")
    assert FeedFile.objects.count() == 23
    assert many == few, (few, many)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau", "street"])
def test_event_list_query_count_does_not_grow_with_events(users, make_person, username):
    committees = ("310117001001", "310117001002")
    people = [make_person(f"居民{i}", dt.date(1960 + i, 2, 3), committee=committees[i % 2]) for i in range(12)]
    ids = [(decrypt(p.id_number_enc), p.name) for p in people]
    # given three events: two matched persons, one unknown ID number
    _moves(users, [(*ids[0], dt.date(2024, 1, 1)), (*ids[1], dt.date(2024, 1, 1)),
                   (make_id_number(dt.date(1990, 1, 1)), "未登记甲", dt.date(2024, 1, 1))], "first.csv")
    client = logged_in(users[username])
    page_queries(client, "/feeds/events/")
    few = page_queries(client, "/feeds/events/", "居民0")
    # when twenty more arrive (ten persons moving twice)
    _moves(users, [(*ids[2 + i % 10], dt.date(2024, 2, 1) + dt.timedelta(days=i)) for i in range(20)], "more.csv")
    assert FeedEvent.objects.count() == 23
    # then the event list (person, committee and source record per row) costs the same
    many = page_queries(client, "/feeds/events/", "居民2", "居民11")
    assert many == few, (few, many)
