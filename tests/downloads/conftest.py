"""The downloads are tried on the grievance cases: a list each persona sees differently."""

from ..voice.conftest import channel, facility  # noqa: F401 (fixtures)
