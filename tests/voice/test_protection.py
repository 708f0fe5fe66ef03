"""What protects a worker who files a grievance: encryption at rest with a rotatable key that
fails loudly when wrong, no plaintext anywhere in the database, photos without EXIF."""

import io
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from PIL import ExifTags, Image

from stonebridge.encryption import WrongKey
from stonebridge.voice.media import clean_photo
from stonebridge.voice.models import Attachment, Case, Message, Sender

from .conftest import submit

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PHONE = "13912345678"
DESCRIPTION = "车间粉尘很大，班长不给口罩，我咳嗽两个月了。"


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "gray")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (24.0, 41.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (118.0, 22.0, 10.0),
    }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def named_case(channel):
    case, _ = submit(
        channel,
        description=DESCRIPTION,
        anonymous=False,
        contact_name="王小明",
        contact_phone=PHONE,
        topic="safety",
        consent_sensitive=True,
        photo=photo_with_gps(),
    )
    Message.objects.create(case=case, sender=Sender.WORKER, body="我电话是" + PHONE)
    return case


def test_a_photo_loses_its_exif_and_gps_data():
    original = photo_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    cleaned = clean_photo(original)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
    assert b"PhoneMaker" not in cleaned


def all_stored_values():
    """Every value in every table, read with raw SQL."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # Table names come from the database itself, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    yield table, value


def test_the_raw_database_holds_no_plaintext_of_a_phone_number_or_description(channel):
    named_case(channel)
    needles = [PHONE, DESCRIPTION, "王小明"]
    found = []
    for table, value in all_stored_values():
        if isinstance(value, memoryview | bytes | bytearray):
            text = bytes(value).decode("utf-8", "replace")
        else:
            text = str(value)
        found += [(table, needle) for needle in needles if needle in text]
    assert found == []
    # …while the application, holding the key, reads them back.
    case = Case.objects.get()
    assert (case.contact_phone, case.description) == (PHONE, DESCRIPTION)


def test_a_wrong_key_fails_loudly_instead_of_returning_ciphertext(channel):
    named_case(channel)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        with pytest.raises(WrongKey):
            Case.objects.get()
        with pytest.raises(WrongKey):
            Attachment.objects.get()


def test_rotating_the_key_rewrites_every_encrypted_field_with_the_new_key(channel):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        case = named_case(channel)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        out = StringIO()
        call_command("rotate_field_key", batch=1, stdout=out)
    assert "voice.Case: 1 rows" in out.getvalue()
    assert "voice.Message: 1 rows" in out.getvalue()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        case = Case.objects.get()
        assert (case.description, case.contact_name, case.contact_phone) == (
            DESCRIPTION,
            "王小明",
            PHONE,
        )
        assert Message.objects.get().body == "我电话是" + PHONE
        assert Attachment.objects.get().content.startswith(b"\xff\xd8")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]), pytest.raises(WrongKey):
        Case.objects.get()


@override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_a_proxy_each_worker_has_their_own_intake_limit(rf):
    from stonebridge.voice import limits

    def attempt(address):
        return limits.allow(
            rf.post("/v/x/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=address), "submit"
        )

    assert all(attempt("203.0.113.77") for _ in range(limits.LIMITS["submit"]))
    assert not attempt("203.0.113.77")
    assert attempt("198.51.100.9")


def test_a_tiny_file_that_unpacks_into_a_huge_picture_is_refused():
    picture = Image.new("1", (9400, 9400), 0)
    data = io.BytesIO()
    picture.save(data, format="PNG", optimize=True)
    with pytest.raises(ValidationError):
        clean_photo(data.getvalue())
