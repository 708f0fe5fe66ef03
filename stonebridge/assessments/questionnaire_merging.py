"""Questionnaire answers follow a merge of two registry records (supplychain/merging.py): answers
given for the removed facility are answers for the kept one. Their evidence moves with risk's
own handler."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from stonebridge.supplychain.merging import Conflict, Moved
from stonebridge.supplychain.models import Facility

from .models import Submission


class QuestionnaireHandler:
    relations = frozenset(
        {"assessments.submission.facilities", "assessments.submission_facilities.facility"}
    )

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]:
        return []  # a submission for both sites simply covers the one that stays

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved:
        moved: Moved = {}
        for submission in Submission.objects.filter(facilities=remove):
            submission.facilities.remove(remove)
            submission.facilities.add(keep)
            moved.setdefault(submission.organisation_id, Counter())[
                "questionnaire answers moved"
            ] += 1
        return moved
