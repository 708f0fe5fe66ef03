"""What a request may carry: numbers the database can hold and text without NUL characters.

SQLite and PostgreSQL keep ids in 64 bits, PostgreSQL's `integer` and `smallint` columns in 32
and 16, and PostgreSQL text cannot hold a NUL character. A value beyond these would pass every
check and fail in the database, as a server error; it is refused here, where it comes in, with
the field it came in: a 422 with field errors from the API, a field error on a form, a 404 for a
URL that names nothing (an id beyond 64 bits, a NUL in the path).

- `Id`, `PositiveInteger`, `PositiveSmallInteger`, `Quantity`, `LargeQuantity`, `DateTime`:
  numbers and times the columns hold, for API schemas and parameters;
- `Input`: the base of every API request body, refusing NUL in any text it holds;
- `Parser`: the API's query-string reader, refusing NUL in any parameter;
- `IdConverter`: `<id:...>` in page URLs, an integer of at most 64 bits;
- `refuse_nul_in_url`: middleware answering 404 to a URL holding a NUL;
- `IdChoiceField`, `IdMultipleChoiceField`: a form's choice of rows by id, beyond 64 bits an
  invalid choice.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.parser import Parser as JsonParser
from pydantic import AfterValidator, field_validator

from .errors import page_not_found

MAX_ID = 2**63 - 1  # bigint, and SQLite's INTEGER
MAX_INTEGER = 2**31 - 1  # PostgreSQL `integer` (PositiveIntegerField)
MAX_SMALL = 2**15 - 1  # PostgreSQL `smallint` (PositiveSmallIntegerField)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PositiveInteger = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
PositiveSmallInteger = Annotated[int, Field(ge=0, le=MAX_SMALL)]


def column_decimal(max_digits: int, decimal_places: int) -> Any:
    """A number that fits a DecimalField(max_digits, decimal_places); PostgreSQL refuses a larger
    one ("numeric field overflow")."""
    largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places
    return Annotated[Decimal, Field(ge=-largest, le=largest)]


Quantity = column_decimal(12, 2)  # volumes, readings, targets, amounts
LargeQuantity = column_decimal(14, 2)  # annual values


def _in_utc(value: datetime) -> datetime:
    # Python accepts UTC offsets up to ±23:59, PostgreSQL only up to ±15:59: compare in UTC.
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError(_("This date and time is out of range.")) from error


DateTime = Annotated[datetime, AfterValidator(_in_utc)]

NUL = "\x00"


def holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, list | tuple | set):
        return any(holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    return False


def nul_message() -> str:
    return _("Text may not contain a NUL character.")


class Input(Schema):
    """The base of every API request body."""

    @field_validator("*", mode="after")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        if holds_nul(value):
            raise ValueError(nul_message())
        return value


class Parser(JsonParser):
    """Query strings as django-ninja reads them, with a NUL in a parameter refused on its field."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        errors = [
            {"loc": ("query", key), "msg": nul_message(), "type": "value_error"}
            for key, values in data.lists()
            if holds_nul(key) or holds_nul(values)
        ]
        if errors:
            raise ValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


class IdConverter:
    """A page URL's id: digits that fit in 64 bits; anything longer matches no page (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


Handler = Callable[[HttpRequest], HttpResponse]


def refuse_nul_in_url(get_response: Handler) -> Handler:
    """A URL with a NUL names nothing: 404 before any view reads it. The API reads its own query
    strings (`Parser`), so that a parameter's refusal names the parameter."""

    def middleware(request: HttpRequest) -> HttpResponse:
        in_path = NUL in request.path
        in_query = not request.path.startswith("/api/") and holds_nul(list(request.GET.lists()))
        if in_path or in_query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            return page_not_found(request, ValueError(request.path))
        return get_response(request)

    return middleware


def _beyond_ids(value: object) -> bool:
    """A posted id too large for any id column: no row can have it."""
    text = str(value).strip()
    return text.isdigit() and int(text) > MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A form's choice of one row by id, where an id beyond 64 bits is an invalid choice rather
    than a database error."""

    def to_python(self, value: Any) -> Any:
        if _beyond_ids(value):
            raise DjangoValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A form's choice of several rows by id, each held to 64 bits as `IdChoiceField`."""

    def _check_values(self, value: Any) -> Any:
        for item in value:
            if _beyond_ids(item):
                raise DjangoValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)  # type: ignore[misc]
