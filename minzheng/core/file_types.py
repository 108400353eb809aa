"""What kind of file an upload is, by its first bytes (never by its name or
the browser's word): photos of people and of work done (homeless rescue,
home adaptations, supervision), and evidence that may also be a PDF.

A file is refused, with the reason in Chinese, when it is empty, larger than
the caller's limit, or not one of the allowed kinds."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# (first bytes, MIME type, suffix)
PHOTO_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png", "png"), (b"\xff\xd8\xff", "image/jpeg", "jpg"))
PDF_TYPES = ((b"%PDF-", "application/pdf", "pdf"),)
EVIDENCE_TYPES = (*PHOTO_TYPES, *PDF_TYPES)
LABELS = {PHOTO_TYPES: "PNG或JPEG图片", EVIDENCE_TYPES: "PDF、PNG或JPEG文件"}


def upload_type(content: bytes, *, what: str, max_bytes: int,
                types: tuple[tuple[bytes, str, str], ...] = PHOTO_TYPES) -> tuple[str, str]:
    """The (MIME type, suffix) of ``content``; ``ValidationError`` naming
    ``what`` (照片, 完工照片, 佐证材料 …) when it is empty, too large or of
    another kind."""
    if not content:
        raise ValidationError(f"上传的{what}为空")
    if len(content) > max_bytes:
        raise ValidationError(f"{what}不能超过{max_bytes // (1024 * 1024)}MB")
    for magic, mime, suffix in types:
        if content.startswith(magic):
            return mime, suffix
    raise ValidationError(f"{what}只能是{LABELS.get(types, '允许的文件类型')}")
