"""The table of StoneBridge defaults: what it ships with, the one accessor, and changes that are
checked and audited."""

import pytest
from django.core.exceptions import ValidationError

from stonebridge.audit.models import Entry
from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Default, Key
from stonebridge.engagement import flags, practices


def test_every_default_is_in_the_table_as_stonebridge_ships_it(db):
    rows = {row.key: row for row in Default.objects.all()}
    assert sorted(rows) == sorted(Key.values)
    assert all(row.value == row.stonebridge_default for row in rows.values())
    assert (rows[Key.SURVEY_MIN_ANSWERS].floor, rows[Key.COVENANT_MIN_MEMBERS].floor) == (5, 3)


def test_the_pure_rules_default_to_the_values_the_table_ships_with(db):
    """The pure rules take the value in use as a parameter; called without it, they must judge
    as the table does before anyone changes it."""
    shipped = dict(Default.objects.values_list("key", "stonebridge_default"))
    assert shipped[Key.GRACE_DAYS] == flags.GRACE_DAYS
    assert shipped[Key.SHORT_LEAD_DAYS] == practices.SHORT_LEAD_DAYS
    assert shipped[Key.LATE_CHANGE_DAYS] == practices.LATE_CHANGE_DAYS
    assert shipped[Key.LONG_PAYMENT_DAYS] == practices.LONG_PAYMENT_DAYS
    assert shipped[Key.BELOW_COST_PERCENT] == practices.BELOW_COST_PERCENT


def test_each_default_says_what_it_means_in_english_and_chinese(db):
    from django.utils import translation

    row = Default.objects.get(key=Key.GRACE_DAYS)
    assert str(row) == "Days past due before silence counts as ignored"
    assert "raises the red flag “Refuses to engage”" in row.meaning
    with translation.override("zh-hans"):
        assert str(row) == "逾期多少天仍无回应即视为不予理会"
        assert "拒绝配合改进" in row.meaning


def test_the_accessor_reads_the_value_staff_set(set_default):
    assert defaults.value(Key.GRACE_DAYS) == 30
    set_default(Key.GRACE_DAYS, 45)
    assert defaults.value(Key.GRACE_DAYS) == 45
    assert Default.objects.get(key=Key.GRACE_DAYS).stonebridge_default == 30


def test_an_unknown_key_is_a_programming_error(db):
    with pytest.raises(KeyError):
        defaults.value("grace_weeks")


def test_a_change_is_audited_with_the_value_before_and_after(set_default):
    set_default(Key.DUE_SOON_DAYS, 7)
    entry = Entry.objects.get(verb="defaults.changed")
    assert entry.actor.email == "staff@stonebridge.example"
    assert entry.organisation is None
    assert entry.changes == {"key": "due_soon_days", "value": [3, 7]}
    assert entry.target_label == "Days of notice before an action is due"
    row = Default.objects.get(key=Key.DUE_SOON_DAYS)
    assert (row.updated_by, row.updated_at is not None) == (entry.actor, True)


def test_setting_the_same_value_again_changes_nothing(set_default):
    set_default(Key.DUE_SOON_DAYS, 3)
    assert not Entry.objects.filter(verb="defaults.changed").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (Key.SURVEY_MIN_ANSWERS, 4, "This cannot be below 5"),
        (Key.COVENANT_MIN_MEMBERS, 2, "This cannot be below 3"),
        (Key.GRACE_DAYS, 0, "greater than or equal to 1"),
        (Key.IMPORT_ASK_SCORE, 101, "A score goes up to 100."),
    ],
)
def test_a_value_out_of_bounds_is_refused_on_its_field(set_default, key, value, message):
    before = defaults.value(key)
    with pytest.raises(ValidationError) as refused:
        set_default(key, value)
    assert message in refused.value.message_dict["value"][0]
    assert defaults.value(key) == before
    assert not Entry.objects.filter(verb="defaults.changed").exists()


def test_a_minimum_group_size_may_be_raised(set_default):
    set_default(Key.SURVEY_MIN_ANSWERS, 10)
    set_default(Key.COVENANT_MIN_MEMBERS, 4)
    assert (defaults.value(Key.SURVEY_MIN_ANSWERS), defaults.value(Key.COVENANT_MIN_MEMBERS)) == (
        10,
        4,
    )
