"""Every form view hands its form to a service through `submit`; a button that no form carries
goes through `attempt`. Neither catches a service's refusal by hand."""

import ast
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from stonebridge.pages import attempt, submit

ROOT = Path(__file__).resolve().parent.parent / "stonebridge"
VIEWS = sorted(
    [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/workspace.py"),
        *ROOT.glob("*/actions.py"),
        *ROOT.glob("*/imports.py"),
    ]
)


class NoteForm(forms.Form):
    note = forms.CharField()


def post(data: dict[str, str]) -> object:
    return RequestFactory().post("/", data)


def refuse(error: ValidationError):
    def service(**values: object) -> object:
        raise error

    return service


def test_submit_returns_what_the_service_made_from_the_cleaned_data():
    request = post({"note": "checked on site"})
    form = NoteForm(request.POST)
    made = submit(request, form, lambda data: {"made from": data["note"]})
    assert made == {"made from": "checked on site"}
    assert form.errors == {}


def test_a_refusal_naming_a_field_lands_on_that_field():
    request = post({"note": "checked on site"})
    form = NoteForm(request.POST)
    service = refuse(ValidationError({"note": "Say who checked."}))
    assert submit(request, form, lambda data: service(**data)) is None
    assert form.errors["note"] == ["Say who checked."]
    assert form.non_field_errors() == []


def test_a_refusal_naming_no_field_of_the_form_lands_on_the_form():
    request = post({"note": "checked on site"})
    form = NoteForm(request.POST)
    plain = refuse(ValidationError("The plan is closed."))
    assert submit(request, form, lambda data: plain(**data)) is None
    assert form.non_field_errors() == ["The plan is closed."]
    other = NoteForm(request.POST)
    elsewhere = refuse(ValidationError({"due_on": "Too late."}))
    assert submit(request, other, lambda data: elsewhere(**data)) is None
    assert other.non_field_errors() == ["Too late."]
    assert "note" not in other.errors


def test_nothing_is_asked_of_the_service_without_a_valid_post():
    called = []
    for request in (RequestFactory().get("/"), post({"note": ""})):
        form = NoteForm(request.POST or None)
        assert submit(request, form, called.append) is None
    assert called == []


def test_attempt_gives_the_result_or_the_refusal_in_one_line():
    assert attempt(lambda: "done") == ("done", "")
    refusal = ValidationError(["The import is undone already.", "Nothing changed."])
    assert attempt(refuse(refusal)) == (None, "The import is undone already. Nothing changed.")


def _hand_written(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
            if "ValidationError" in names:
                found.append(f"line {node.lineno}: except ValidationError")
        if isinstance(node, ast.Lambda):
            for call in ast.walk(node.body):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "append"
                ):
                    found.append(f"line {node.lineno}: a lambda captures its result in a list")
    return found


def test_views_hand_forms_and_buttons_to_the_shared_helpers():
    assert VIEWS
    problems = {
        str(path.relative_to(ROOT)): found
        for path in VIEWS
        if (found := _hand_written(ast.parse(path.read_text())))
    }
    assert problems == {}
