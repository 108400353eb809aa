"""Fixed-width columns into numpy (``core.copy_out``, packed binary values): values exact, a NULL refused. PostgreSQL only."""

import numpy as np
import pytest
from django.db import connection

from minzheng.core.copy_out import copy_out_arrays


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's")


@pytest.mark.django_db
def test_fixed_width_columns_arrive_exactly(postgresql):
    big = 2**62 + 7
    ids, flags, small = copy_out_arrays(
        "SELECT v::int8, (v %% 2 = 0), w::int4 FROM (VALUES (%s::int8, -5), (-1, 0), (4, 2147483647)) t(v, w)",
        [big], ["int8", "bool", "int4"])
    assert ids.tolist() == [big, -1, 4] and ids.dtype == np.int64
    assert flags.tolist() == [False, False, True]
    assert small.tolist() == [-5, 0, 2147483647] and small.dtype == np.int32


@pytest.mark.django_db
def test_no_rows_and_a_null(postgresql):
    (empty,) = copy_out_arrays("SELECT 1::int8 WHERE false", [], ["int8"])
    assert len(empty) == 0
    with pytest.raises(RuntimeError):
        copy_out_arrays("SELECT NULL::int8 UNION ALL SELECT 1::int8", [], ["int8"])
