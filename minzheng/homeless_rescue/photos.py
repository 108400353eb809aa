"""A person's photo back from its sealed file (AES-GCM bound to the photo's token,
``core.personal_data.seal_bytes``): a file swapped on disk fails to open."""

from __future__ import annotations

import io

from minzheng.core.personal_data import unseal_bytes
from minzheng.homeless_rescue.models import PersonPhoto


def photo_bytes(photo: PersonPhoto) -> io.BytesIO:
    with photo.file.open("rb") as handle:
        return io.BytesIO(unseal_bytes(handle.read(), f"homeless_rescue:{photo.token}"))
