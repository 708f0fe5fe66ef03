"""Reading a downloaded list back, as a person opening it in a spreadsheet would see it."""

import csv
import io

import openpyxl


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark for Chinese"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[object]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def downloaded(client, url: str, fmt: str) -> list[list[object]]:
    """The rows of a list's download (headers first), after checking it is a file."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Disposition"].startswith("attachment"), url
    assert response["Content-Disposition"].rstrip('"').endswith(f".{fmt}")
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)
