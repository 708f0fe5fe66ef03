"""Files sent with a progress report: at most ten, each 10 MB or less, and only what the bytes
show to be a PDF, JPEG, PNG or Office Open XML file, whatever the name says."""

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10_000_000
MAX_ATTACHMENTS = 10
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
# Photos and scans, recognised by their first bytes rather than their names.
ATTACHMENT_TYPES = {
    b"%PDF": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


def check_files(files: Iterable[UploadedFile]) -> list[tuple[str, str, bytes]]:
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Send at most 10 files at a time.")})
    checked = []
    for upload in files:
        content = upload.read(MAX_ATTACHMENT_BYTES + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"files": _("Each file must be 10 MB or less.")})
        kind = file_type(content)
        if kind is None:
            raise ValidationError(
                {
                    "files": _("“%(name)s” is not a PDF, JPEG, PNG or Office file.")
                    % {"name": upload.name}
                }
            )
        content_type, extension = kind
        stem = Path(str(upload.name)).stem[:180] or "file"
        # The name ends as the content is, so a download opens in the right program.
        checked.append((f"{stem}.{extension}", content_type, content))
    return checked


def file_type(content: bytes) -> tuple[str, str] | None:
    """What the bytes are, whatever the name says: PDF, JPEG, PNG, or an Office Open XML file
    (a zip with Office's content types and the part of a workbook or a document)."""
    for magic, kind in ATTACHMENT_TYPES.items():
        if content.startswith(magic):
            return kind
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None
