import datetime as dt

import pytest

from conftest import make_id_number
from minzheng.core.personal_data import decrypt


@pytest.fixture
def resident(make_person):
    """A registered resident of 谷阳居委会 (岳阳街道) and their plain ID number."""
    person = make_person("王建华", dt.date(1975, 3, 8))
    return person, decrypt(person.id_number_enc)


@pytest.fixture
def stranger_id():
    """A valid ID number of nobody in the registry."""
    return make_id_number(dt.date(1982, 11, 2))
