"""Marriage fixtures: a registrar of the district office and couples of
synthetic, valid ID numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_id_number
from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.marriage.services import PartyInput

SH = "31"


@pytest.fixture
def registrar(users):
    return user_create(actor="test", username="registrar", password="pass-12345", role=Role.REGISTRAR,
                       scope_code="310117", full_name="王丽", post="松江区婚姻登记处 婚姻登记员")


def party(name: str, birth: dt.date, *, male: bool, province: str = SH, signed: bool = True,
          area: str = "310117") -> PartyInput:
    return PartyInput(name=name, id_number=make_id_number(birth, male=male, area=area), domicile_province=province,
                      signed_no_spouse=signed, signed_no_kinship=signed)


def couple(*, man_birth=dt.date(1995, 3, 4), woman_birth=dt.date(1997, 8, 9), man_province=SH,
           woman_province=SH) -> tuple[PartyInput, PartyInput]:
    return (party("李强", man_birth, male=True, province=man_province),
            party("赵敏", woman_birth, male=False, province=woman_province))
