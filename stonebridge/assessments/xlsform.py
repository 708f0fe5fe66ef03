"""XLSForm in and out: the spreadsheet format of ODK and KoboToolbox, read with pyxform into
StoneBridge's own description of a questionnaire, and written back with openpyxl.

The columns: `type`, `name`, `label::English (en)`, `label::中文 (zh)`, `hint::English (en)`,
`hint::中文 (zh)`, `relevant`, `required` on the survey sheet; `list_name`, `name` and the labels
on the choices sheet; `form_title`, `form_id`, `default_language` on the settings sheet. Three
columns of StoneBridge's own, which ODK ignores:

- `stonebridge_issue`, `stonebridge_indicator` (survey and choices): the salient issue and
  indicator an answer informs (codes of `risk/data/taxonomy.json`);
- `stonebridge_adverse`: on the survey sheet, a condition in the `relevant` language that marks
  an answer as adverse (`${overtime_hours} > 36`); on the choices sheet, `yes` for an adverse
  choice. The settings sheet's `stonebridge_title_zh` carries the Chinese title.

All or nothing: every problem is reported with its sheet and row, and nothing is built until
there is none. Pure: no database; the taxonomy is passed in.
"""

import io
import re
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from .conditions import ConditionError, parse, references

EN, ZH = "English (en)", "中文 (zh)"
SIMPLE_TYPES = {"integer", "decimal", "date", "text", "file"}
CHOICE_TYPES = {"select_one", "select_multiple"}
GROUP_START = {"begin_group", "begin group"}
GROUP_END = {"end_group", "end group"}
YES = {"yes", "true", "true()", "1"}
NO = {"", "no", "false", "false()", "0"}
SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{EN}",
    f"label::{ZH}",
    f"hint::{EN}",
    f"hint::{ZH}",
    "relevant",
    "required",
    "stonebridge_issue",
    "stonebridge_indicator",
    "stonebridge_adverse",
]
CHOICE_COLUMNS = [
    "list_name",
    "name",
    f"label::{EN}",
    f"label::{ZH}",
    "stonebridge_issue",
    "stonebridge_indicator",
    "stonebridge_adverse",
]
SETTINGS_COLUMNS = ["form_title", "stonebridge_title_zh", "form_id", "default_language"]
PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
# The names pyxform gives a type in its JSON, and the spellings XLSForm accepts for choices.
KINDS = {"select one": "select_one", "select all that apply": "select_multiple"}
CHOICE_TYPE = re.compile(r"^(select_one|select_multiple|select one|select all that apply)\s+(\S+)$")


def split_type(text: str) -> tuple[str, str]:
    """A survey row's type and, for a choice question, its list: `select_one yes_no`."""
    text = " ".join(text.split())
    found = CHOICE_TYPE.match(text)
    if found:
        kind = found.group(1).replace(" ", "_")
        return {"select_all_that_apply": "select_multiple"}.get(kind, kind), found.group(2)
    return text, ""


@dataclass(frozen=True)
class ChoiceSpec:
    name: str
    label_en: str
    label_zh: str
    adverse: bool = False
    issue: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    name: str
    kind: str
    label_en: str
    label_zh: str
    hint_en: str = ""
    hint_zh: str = ""
    required: bool = False
    relevant: str = ""
    issue: str = ""
    indicator: str = ""
    adverse_when: str = ""
    list_name: str = ""
    choices: tuple[ChoiceSpec, ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    name: str
    label_en: str
    label_zh: str
    relevant: str = ""
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    title_en: str
    title_zh: str
    form_id: str
    default_language: str = EN
    sections: tuple[SectionSpec, ...] = ()

    def questions(self) -> list[QuestionSpec]:
        return [q for section in self.sections for q in section.questions]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}"
        return _("%(sheet)s, row %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


class XLSFormError(ValueError):
    """Every problem found, each with its sheet and row; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


@dataclass
class Checker:
    taxonomy: Mapping[str, Collection[str]]
    errors: list[RowError] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, message: str) -> None:
        self.errors.append(RowError(sheet, row, message))

    def issue_of(self, sheet: str, row: int, values: Mapping[str, str]) -> tuple[str, str]:
        issue = values.get("stonebridge_issue", "").strip()
        indicator = values.get("stonebridge_indicator", "").strip()
        if issue and issue not in self.taxonomy:
            self.add(sheet, row, _("“%(code)s” is not an issue code.") % {"code": issue})
        if indicator:
            owners = [code for code, codes in self.taxonomy.items() if indicator in codes]
            if not owners:
                self.add(
                    sheet, row, _("“%(code)s” is not an indicator code.") % {"code": indicator}
                )
            elif issue and owners[0] != issue:
                self.add(
                    sheet,
                    row,
                    _("Indicator “%(indicator)s” belongs to issue “%(issue)s”.")
                    % {"indicator": indicator, "issue": owners[0]},
                )
            elif not issue:
                issue = owners[0]
        return issue, indicator

    def condition(self, sheet: str, row: int, column: str, text: str, known: set[str]) -> None:
        if not text.strip():
            return
        try:
            unknown = references(parse(text)) - known
        except ConditionError as error:
            self.add(sheet, row, f"{column}: {error}")
            return
        for name in sorted(unknown):
            self.add(
                sheet,
                row,
                _("%(column)s refers to “%(name)s”, which is not a question above.")
                % {"column": column, "name": name},
            )


def text_in(values: Mapping[str, Any], key: str, language: str) -> str:
    """A label or hint in one language, from the raw row (`label::English (en)`)."""
    return str(values.get(f"{key}::{language}", "") or "").strip()


def check_rows(
    survey: list[dict[str, Any]], choices: list[dict[str, Any]], checker: Checker
) -> None:
    lists: dict[str, set[str]] = {}
    # Rows of adverse choices that name no issue: their question must name one.
    unlinked: dict[str, list[int]] = {}
    for index, values in enumerate(choices):
        row = index + 2
        if not values:
            continue
        list_name, name = values.get("list_name", ""), values.get("name", "")
        if not list_name or not name:
            checker.add("choices", row, _("Give the list_name and the name."))
            continue
        if name in lists.setdefault(list_name, set()):
            checker.add(
                "choices", row, _("“%(name)s” appears twice in this list.") % {"name": name}
            )
        lists[list_name].add(name)
        if not text_in(values, "label", EN) or not text_in(values, "label", ZH):
            checker.add("choices", row, _("Give the label in English and in Chinese."))
        adverse = str(values.get("stonebridge_adverse", "")).strip().lower()
        if adverse not in YES | NO:
            checker.add("choices", row, _("stonebridge_adverse must be yes or empty."))
        issue, _indicator = checker.issue_of("choices", row, values)
        if adverse in YES and not issue:
            unlinked.setdefault(list_name, []).append(row)
    known: set[str] = set()
    depth = 0
    for index, values in enumerate(survey):
        row = index + 2
        if not values:
            continue
        kind, list_name = split_type(str(values.get("type", "")))
        name = str(values.get("name", "")).strip()
        if kind in GROUP_END:
            depth -= 1
            if depth < 0:
                checker.add("survey", row, _("end_group without begin_group."))
                depth = 0
            continue
        if kind in GROUP_START:
            depth += 1
            if depth > 1:
                checker.add("survey", row, _("Groups inside groups are not supported."))
            checker.condition("survey", row, "relevant", values.get("relevant", ""), known)
        elif kind not in SIMPLE_TYPES | CHOICE_TYPES:
            checker.add(
                "survey",
                row,
                _("Type “%(type)s” is not supported: use %(types)s.")
                % {
                    "type": values.get("type", ""),
                    "types": "select_one, select_multiple, integer, decimal, date, text, "
                    "file, begin_group, end_group",
                },
            )
            continue
        elif kind in CHOICE_TYPES and list_name.strip() not in lists:
            checker.add(
                "survey",
                row,
                _("No list “%(list)s” on the choices sheet.") % {"list": list_name.strip()},
            )
        if not name:
            checker.add("survey", row, _("Give the name."))
            continue
        if name in known:
            checker.add("survey", row, _("“%(name)s” is used twice.") % {"name": name})
        if kind in GROUP_START:
            continue
        if not text_in(values, "label", EN) or not text_in(values, "label", ZH):
            checker.add("survey", row, _("Give the label in English and in Chinese."))
        if str(values.get("required", "")).strip().lower() not in YES | NO:
            checker.add("survey", row, _("required must be yes or no."))
        checker.condition("survey", row, "relevant", values.get("relevant", ""), known)
        known.add(name)
        checker.condition(
            "survey", row, "stonebridge_adverse", values.get("stonebridge_adverse", ""), known
        )
        issue, _indicator = checker.issue_of("survey", row, values)
        if not issue and str(values.get("stonebridge_adverse", "")).strip():
            checker.add("survey", row, _("Give the stonebridge_issue an adverse answer raises."))
        if not issue and kind in CHOICE_TYPES:
            for choice_row in unlinked.get(list_name, []):
                checker.add(
                    "choices",
                    choice_row,
                    _("Give the stonebridge_issue this adverse answer raises, here or on %(name)s.")
                    % {"name": name},
                )
    if depth:
        checker.add("survey", None, _("A begin_group has no end_group."))


def label(element: Mapping[str, Any], key: str, language: str) -> str:
    value = element.get(key, "")
    if isinstance(value, dict):
        return str(value.get(language, "")).strip()
    return str(value).strip() if language == EN else ""


def build_question(element: Mapping[str, Any], taxonomy: Checker) -> QuestionSpec:
    bind = element.get("bind", {})
    kind = KINDS.get(element["type"], element["type"])
    values = {k: str(v) for k, v in element.items() if k.startswith("stonebridge_")}
    issue, indicator = taxonomy.issue_of("survey", 0, values)
    choices = tuple(
        ChoiceSpec(
            name=str(choice["name"]),
            label_en=label(choice, "label", EN),
            label_zh=label(choice, "label", ZH),
            adverse=str(choice.get("stonebridge_adverse", "")).strip().lower() in YES,
            issue=taxonomy.issue_of("choices", 0, choice)[0],
            indicator=str(choice.get("stonebridge_indicator", "")).strip(),
        )
        for choice in element.get("choices", [])
    )
    return QuestionSpec(
        name=element["name"],
        kind=kind,
        label_en=label(element, "label", EN),
        label_zh=label(element, "label", ZH),
        hint_en=label(element, "hint", EN),
        hint_zh=label(element, "hint", ZH),
        required=str(bind.get("required", "")).strip().lower() in YES,
        relevant=str(bind.get("relevant", "")).strip(),
        issue=issue,
        indicator=indicator,
        adverse_when=values.get("stonebridge_adverse", "").strip(),
        list_name=str(element.get("list_name", "")) if choices else "",
        choices=choices,
    )


def build(form: Mapping[str, Any], settings: Mapping[str, Any], checker: Checker) -> FormSpec:
    sections: list[SectionSpec] = []
    loose: list[QuestionSpec] = []

    def close_loose() -> None:
        if loose:
            sections.append(SectionSpec("", "", "", "", tuple(loose)))
            loose.clear()

    for element in form.get("children", []):
        if element.get("type") == "group":
            if element.get("name") == "meta" and element.get("control", {}).get("bodyless"):
                continue
            close_loose()
            sections.append(
                SectionSpec(
                    name=element["name"],
                    label_en=label(element, "label", EN),
                    label_zh=label(element, "label", ZH),
                    relevant=str(element.get("bind", {}).get("relevant", "")).strip(),
                    questions=tuple(
                        build_question(child, checker) for child in element.get("children", [])
                    ),
                )
            )
        else:
            loose.append(build_question(element, checker))
    close_loose()
    return FormSpec(
        title_en=str(form.get("title", "")).strip(),
        title_zh=str(settings.get("stonebridge_title_zh", "")).strip(),
        form_id=str(form.get("id_string", "")).strip(),
        default_language=str(settings.get("default_language", EN)).strip() or EN,
        sections=tuple(sections),
    )


def read(content: bytes, *, taxonomy: Mapping[str, Collection[str]]) -> FormSpec:
    """The questionnaire an XLSForm describes; XLSFormError with every row's problem."""
    checker = Checker(taxonomy)
    try:
        workbook = get_xlsform(io.BytesIO(content))
    # A file that only starts like a workbook (a broken zip, a part missing) is no XLSForm.
    except (PyXFormError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise XLSFormError(
            [RowError("XLSForm", None, _("This is not a readable XLSForm file."))]
        ) from error
    check_rows(list(workbook.survey or []), list(workbook.choices or []), checker)
    if checker.errors:
        raise XLSFormError(checker.errors)
    settings = (workbook.settings or [{}])[0]
    if not str(settings.get("form_title", "")).strip():
        raise XLSFormError([RowError("settings", 2, _("Give the form_title."))])
    try:
        form = workbook_to_json(
            workbook_dict=workbook,
            form_name="data",
            default_language=str(settings.get("default_language", EN)),
            warnings=[],
        )
    except PyXFormError as error:
        found = PYXFORM_ROW.search(str(error))
        row = int(found.group(1)) if found else None
        raise XLSFormError([RowError("survey", row, str(error))]) from error
    return build(form, settings, checker)


def write(spec: FormSpec) -> bytes:
    """The questionnaire as an XLSForm workbook, in the columns `read` takes."""
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    choices = workbook.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    written: set[str] = set()
    for section in spec.sections:
        if section.name:
            survey.append(
                row_of(
                    SURVEY_COLUMNS,
                    "begin_group",
                    section.name,
                    section.label_en,
                    section.label_zh,
                    relevant=section.relevant,
                )
            )
        for question in section.questions:
            kind = question.kind
            if question.choices:
                list_name = question.list_name or question.name
                kind = f"{kind} {list_name}"
                if list_name not in written:
                    written.add(list_name)
                    for choice in question.choices:
                        choices.append(choice_row(list_name, choice))
            survey.append(
                row_of(
                    SURVEY_COLUMNS,
                    kind,
                    question.name,
                    question.label_en,
                    question.label_zh,
                    hint_en=question.hint_en,
                    hint_zh=question.hint_zh,
                    relevant=question.relevant,
                    required="yes" if question.required else "",
                    issue=question.issue,
                    indicator=question.indicator,
                    adverse=question.adverse_when,
                )
            )
        if section.name:
            survey.append(["end_group"])
    settings = workbook.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append([spec.title_en, spec.title_zh, spec.form_id, spec.default_language])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(columns: list[str], kind: str, name: str, en: str, zh: str, **rest: str) -> list[str]:
    values = dict.fromkeys(columns, "")
    values.update(
        {
            "type": kind,
            "name": name,
            f"label::{EN}": en,
            f"label::{ZH}": zh,
            f"hint::{EN}": rest.get("hint_en", ""),
            f"hint::{ZH}": rest.get("hint_zh", ""),
            "relevant": rest.get("relevant", ""),
            "required": rest.get("required", ""),
            "stonebridge_issue": rest.get("issue", ""),
            "stonebridge_indicator": rest.get("indicator", ""),
            "stonebridge_adverse": rest.get("adverse", ""),
        }
    )
    return [values[column] for column in columns]


def choice_row(list_name: str, choice: ChoiceSpec) -> list[str]:
    return [
        list_name,
        choice.name,
        choice.label_en,
        choice.label_zh,
        choice.issue,
        choice.indicator,
        "yes" if choice.adverse else "",
    ]
