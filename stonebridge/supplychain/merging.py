"""Two registry records of one firm, made one: what points at the removed facility moves to the
kept one.

The registry knows only its own tables. Apps that hold rows about facilities (risk's evidence,
engagement's relationships and plans) register a `MergeHandler` here in their `ready()`, so the
map never imports them (DESIGN.md, rule 5). `merge.facility_merge` asks every handler for its
conflicts first, then has each move its rows.

A conflict is one buyer holding both facilities the same way (two direct sourcing rows, two
relationships, the same link twice): only one can stay, and staff choose which, by the
conflict's key: KEEP keeps the kept facility's row, REMOVE the removed facility's.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import ForeignObjectRel, Q
from django.utils.translation import gettext as _

from .models import (
    ChainPosition,
    Facility,
    FacilityRef,
    ImportJob,
    ImportOutcome,
    Link,
    MatchDecision,
    Sourcing,
    UpstreamDisclosure,
)

KEEP = "keep"
REMOVE = "remove"

# What a handler reports it did: per organisation id (None for rows of no organisation), a
# count per kind of row ("links moved": 3). Each organisation's log shows only its own counts.
Moved = dict[int | None, Counter[str]]


@dataclass(frozen=True)
class Conflict:
    """One buyer holds both facilities the same way; staff choose which row stays."""

    key: str
    organisation_id: int
    organisation: str
    what: str
    kept: str  # the row on the facility that is kept, described
    removed: str  # the row on the facility that is removed, described


class MergeHandler(Protocol):
    # The relations to Facility it moves, as "app_label.model.field".
    relations: frozenset[str]

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]: ...

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved: ...


_handlers: list[MergeHandler] = []


def register(handler: MergeHandler) -> None:
    """Called from an app's ready(); registering the same kind of handler again replaces it."""
    _handlers[:] = [h for h in _handlers if type(h) is not type(handler)]
    _handlers.append(handler)


def handlers() -> list[MergeHandler]:
    return list(_handlers)


def facility_relations() -> set[str]:
    """Every field in the project that points at a facility."""
    return {
        f"{relation.field.model._meta.label_lower}.{relation.field.name}"
        for relation in Facility._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)  # the reverse side of a relation
    }


def unhandled_relations() -> set[str]:
    """Relations no handler moves: a merge would lose them, so it refuses while any exist."""
    handled = {r for h in _handlers for r in h.relations}
    return facility_relations() - handled


def chosen(choices: Mapping[str, str], conflict: Conflict) -> str:
    choice = choices.get(conflict.key)
    if choice not in (KEEP, REMOVE):
        raise ValidationError(
            _("Choose what to keep for %(what)s of %(organisation)s.")
            % {"what": conflict.what, "organisation": conflict.organisation}
        )
    return choice


def _link_label(link: Link) -> str:
    supplier = link.supplier or _("unknown")
    return f"{supplier} → {link.customer} ({link.get_kind_display()})"


def _remapped(link: Link, keep: Facility, remove: Facility) -> tuple[Any, ...]:
    """The link's identity once the removed facility is the kept one."""
    supplier = keep.pk if link.supplier_id == remove.pk else link.supplier_id
    customer = keep.pk if link.customer_id == remove.pk else link.customer_id
    origin = link.origin_country if supplier is None else ""
    return (link.organisation_id, supplier, customer, link.kind, origin)


class ChainHandler:
    """The map's own rows: links, direct sourcing, references, match answers, import outcomes,
    disclosed upstream, tiers."""

    relations = frozenset(
        {
            "supplychain.link.supplier",
            "supplychain.link.customer",
            "supplychain.sourcing.facility",
            "supplychain.chainposition.facility",
            "supplychain.facilityref.facility",
            "supplychain.matchdecision.candidate",
            "supplychain.importoutcome.facility",
            "supplychain.upstreamdisclosure.site",
            "supplychain.upstreamdisclosure.supplier",
            "supplychain.upstreamdisclosure.customer",
        }
    )

    def _link_pairs(self, keep: Facility, remove: Facility) -> list[tuple[Link, Link]]:
        """Links that become the same link: (the kept facility's, the removed facility's)."""
        touching = Link.objects.filter(
            Q(supplier__in=[keep, remove]) | Q(customer__in=[keep, remove])
        ).select_related("organisation", "supplier", "customer")
        on_keep: dict[tuple[Any, ...], Link] = {}
        on_remove: list[Link] = []
        for link in touching:
            if remove.pk in (link.supplier_id, link.customer_id):
                on_remove.append(link)
            else:
                on_keep[_remapped(link, keep, remove)] = link
        return [
            (on_keep[key], link)
            for link in on_remove
            if (key := _remapped(link, keep, remove)) in on_keep
        ]

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]:
        found = []
        on_keep = {
            row.organisation_id: row
            for row in Sourcing.objects.filter(facility=keep).select_related("organisation")
        }
        for b in Sourcing.objects.filter(facility=remove, organisation_id__in=list(on_keep)):
            a = on_keep[b.organisation_id]
            found.append(
                Conflict(
                    key=f"sourcing:{a.pk}:{b.pk}",
                    organisation_id=a.organisation_id,
                    organisation=str(a.organisation),
                    what=_("direct sourcing"),
                    kept=_sourcing_label(a),
                    removed=_sourcing_label(b),
                )
            )
        for kept_link, removed_link in self._link_pairs(keep, remove):
            found.append(
                Conflict(
                    key=f"link:{kept_link.pk}:{removed_link.pk}",
                    organisation_id=kept_link.organisation_id,
                    organisation=str(kept_link.organisation),
                    what=_("the link %(link)s") % {"link": _link_label(kept_link)},
                    kept=_link_details(kept_link),
                    removed=_link_details(removed_link),
                )
            )
        return found

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved:
        moved: Moved = {}

        def count(organisation_id: int | None, what: str, n: int = 1) -> None:
            if n:
                moved.setdefault(organisation_id, Counter())[what] += n

        for conflict in self.conflicts(keep=keep, remove=remove):
            kind, kept_pk, removed_pk = conflict.key.split(":")
            rows = Sourcing.objects.all() if kind == "sourcing" else Link.objects.all()
            # REMOVE: the removed facility's row stays, moved onto the kept facility below.
            gone = kept_pk if chosen(choices, conflict) == REMOVE else removed_pk
            rows.filter(pk=gone).delete()
            count(conflict.organisation_id, f"{kind} rows merged")
        # A link between the two facilities would be a facility supplying itself.
        between = Link.objects.filter(
            Q(supplier=keep, customer=remove) | Q(supplier=remove, customer=keep)
        )
        for organisation_id in between.values_list("organisation_id", flat=True):
            count(organisation_id, "links between the two removed")
        between.delete()
        for link in Link.objects.filter(Q(supplier=remove) | Q(customer=remove)):
            if link.supplier_id == remove.pk:
                link.supplier = keep
            if link.customer_id == remove.pk:
                link.customer = keep
            link.save(update_fields=["supplier", "customer"])
            count(link.organisation_id, "links moved")
        for row in Sourcing.objects.filter(facility=remove):
            count(row.organisation_id, "sourcing moved")
        Sourcing.objects.filter(facility=remove).update(facility=keep)
        for organisation_id in FacilityRef.objects.filter(facility=remove).values_list(
            "organisation_id", flat=True
        ):
            count(organisation_id, "references moved")
        FacilityRef.objects.filter(facility=remove).update(facility=keep)
        self._merge_decisions(keep, remove, count)
        # What an import did to the removed record it did to the firm: its undo then sees the
        # kept record, and refuses while rows it did not create refer to it.
        ImportOutcome.objects.filter(facility=remove).update(facility=keep)
        self._merge_disclosures(keep, remove, count)
        self._merge_reviews(keep, remove)
        # Derived: rebuilt for every chain that held either facility once the merge is done.
        ChainPosition.objects.filter(facility=remove).delete()
        return moved

    def _merge_disclosures(self, keep: Facility, remove: Facility, count: Any) -> None:
        """A supplier's disclosed upstream follows the firm. A disclosure that becomes one the
        supplier already made gives its buyers to that one; one that would have the firm supply
        itself goes."""
        touching = Q(site=remove) | Q(supplier=remove) | Q(customer=remove)
        for disclosure in UpstreamDisclosure.objects.filter(touching):
            for field in ("site", "supplier", "customer"):
                if getattr(disclosure, f"{field}_id") == remove.pk:
                    setattr(disclosure, f"{field}_id", keep.pk)
            count(disclosure.organisation_id, "disclosed links moved")
            same = UpstreamDisclosure.objects.filter(
                organisation_id=disclosure.organisation_id,
                supplier_id=disclosure.supplier_id,
                customer_id=disclosure.customer_id,
                kind=disclosure.kind,
            ).exclude(pk=disclosure.pk)
            other = same.first()
            if disclosure.supplier_id == disclosure.customer_id:
                disclosure.delete()
            elif other is not None:
                known = set(other.shares.values_list("buyer_id", flat=True))
                disclosure.shares.exclude(buyer_id__in=known).update(disclosure=other)
                disclosure.delete()
            else:
                disclosure.save(update_fields=["site", "supplier", "customer"])

    def _merge_reviews(self, keep: Facility, remove: Facility) -> None:
        """Imports waiting for answers offer the kept record where they offered the removed one
        (once, if they offered both), so a person can still answer them."""
        waiting = ImportJob.objects.select_for_update().filter(status=ImportJob.Status.NEEDS_REVIEW)
        for job in waiting:
            changed = False
            for entry in job.review:
                ids = [c["id"] for c in entry["candidates"]]
                if remove.pk not in ids:
                    continue
                changed = True
                if keep.pk in ids:
                    entry["candidates"] = [c for c in entry["candidates"] if c["id"] != remove.pk]
                else:
                    for candidate in entry["candidates"]:
                        if candidate["id"] == remove.pk:
                            candidate.update(id=keep.pk, name=str(keep))
            if changed:
                job.save(update_fields=["review"])

    def _merge_decisions(self, keep: Facility, remove: Facility, count: Any) -> None:
        """A person's answer about a row stays; where someone answered the same row for both
        facilities, "it is this firm" wins over "it is not", as both are now one firm."""
        for decision in MatchDecision.objects.filter(candidate=remove):
            other = MatchDecision.objects.filter(
                organisation_id=decision.organisation_id,
                row_key=decision.row_key,
                candidate=keep,
            ).first()
            if other is None:
                decision.candidate = keep
                decision.save(update_fields=["candidate"])
            elif decision.same and not other.same:
                other.delete()
                decision.candidate = keep
                decision.save(update_fields=["candidate"])
            else:
                decision.delete()
            count(decision.organisation_id, "match answers moved")


def _sourcing_label(row: Sourcing) -> str:
    share = (
        ""
        if row.share_of_output is None
        else " · " + _("%(share)s of its output") % {"share": f"{row.share_of_output:.0%}"}
    )
    value = "" if row.annual_value is None else f" · {row.annual_value:,.0f} {row.currency}"
    return f"{row.annual_volume:,.0f} m³{value}{share}"


def _link_details(link: Link) -> str:
    parts = [
        link.product,
        link.get_stone_type_display() if link.stone_type else "",
        f"{link.share:.0%}" if link.share is not None else "",
        f"{link.volume:,.0f} m³" if link.volume is not None else "",
    ]
    return " · ".join(p for p in parts if p) or _("no details")


register(ChainHandler())
