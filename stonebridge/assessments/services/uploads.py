"""Files for the records check and its approvals, checked as engagement attachments are: by what
the bytes are, whatever the name says, and by size. They are kept in the database, served only
through `accounts/access.py` and always as a download, never as a page or a program."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from stonebridge.engagement.services.attachments import MAX_ATTACHMENT_BYTES, XLSX, file_type

Upload = UploadedFile
# StoneBridge default: a year of clock records for 2,000 workers is about 40 MB as CSV.
MAX_RECORDS_BYTES = 60_000_000
CSV = ("text/csv", "csv")
DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def _read(upload: Upload, limit: int, field: str) -> bytes:
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {field: _("The file is larger than %(size)d MB.") % {"size": limit // 1_000_000}}
        )
    if not content:
        raise ValidationError({field: _("The file is empty.")})
    return content


def _is_text(content: bytes) -> bool:
    """A CSV file: text in UTF-8 or GB18030 (what Chinese Excel saves), without the zero bytes
    of a program or an image."""
    if b"\x00" in content[:65536]:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_records_file(upload: Upload, *, field: str) -> tuple[str, str, bytes]:
    """A worker, attendance or payroll file: XLSX or CSV, at most MAX_RECORDS_BYTES."""
    content = _read(upload, MAX_RECORDS_BYTES, field)
    kind = file_type(content)
    if kind != XLSX:
        kind = CSV if kind is None and _is_text(content) else None
    if kind is None:
        raise ValidationError(
            {field: _("“%(name)s” is not a CSV or Excel (XLSX) file.") % {"name": upload.name}}
        )
    content_type, extension = kind
    stem = Path(str(upload.name)).stem[:180] or field
    return f"{stem}.{extension}", content_type, content


def check_document(upload: Upload, *, field: str = "document") -> tuple[str, str, bytes]:
    """An approval document: a PDF or a photo of it, 10 MB or less."""
    content = _read(upload, MAX_ATTACHMENT_BYTES, field)
    kind = file_type(content)
    if kind is None or kind[0] not in DOCUMENT_TYPES:
        raise ValidationError(
            {field: _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": upload.name}}
        )
    content_type, extension = kind
    stem = Path(str(upload.name)).stem[:180] or field
    return f"{stem}.{extension}", content_type, content
