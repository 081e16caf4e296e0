"""Returned direct debits (R-transactions): from the bank's camt.054 notification or marked
by hand. A return re-opens the debit's entries for the next run, tells the customer, and
after the town's number of returns blocks new orders until the hotline clears them.

A file is read whole before anything is booked: another creditor's account, malformed XML
or an unknown end-to-end id refuses the file with its reason, and nothing changes.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from lxml import etree

from louise.accounts.access import ON_BEHALF, require_role, visible_to
from louise.accounts.audit import audit_record
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid, NotFound
from louise.geo.models import Town
from louise.geo.towns import town_managed

from .collection import billing_settings_of
from .models import BillingSettings, Debit, DebitLine, DebitStatus, ReturnsCleared
from .notifications import return_notice_queue

# What a bank may send: no entities, no network, no huge trees.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Returned:
    end_to_end_id: str
    reason: str


def _text(node: etree._Element, path: str) -> str:
    found = node.xpath(path)
    return str(found[0]).strip() if found else ""


def camt_parse(content: bytes, *, iban: str) -> list[Returned]:
    """The returns a camt.054 file (any version) reports for the account `iban`."""
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise Invalid(f"Die Datei ist kein gültiges XML ({exc.msg}).", field="file",
                      code="bad_xml") from exc
    if "camt.054" not in (etree.QName(root).namespace or ""):
        raise Invalid("Die Datei ist keine camt.054-Benachrichtigung der Bank.", field="file",
                      code="not_camt054")
    notices = root.xpath("//*[local-name()='Ntfctn']")
    if not notices:
        raise Invalid("Die Datei enthält keine Benachrichtigung (Ntfctn).", field="file",
                      code="not_camt054")
    found = []
    for notice in notices:
        account = _text(notice, "./*[local-name()='Acct']/*[local-name()='Id']"
                                "/*[local-name()='IBAN']/text()").replace(" ", "")
        if account != iban:
            raise Invalid(f"Die Datei betrifft das Konto {account or '(ohne IBAN)'}, nicht "
                          f"das Gläubigerkonto dieser Stadt ({iban}).", field="file",
                          code="other_creditor")
        for tx in notice.xpath(".//*[local-name()='TxDtls'][*[local-name()='RtrInf']]"):
            e2e = _text(tx, "./*[local-name()='Refs']/*[local-name()='EndToEndId']/text()")
            reason = _text(tx, "./*[local-name()='RtrInf']/*[local-name()='Rsn']"
                               "/*[local-name()='Cd']/text()")
            if not e2e:
                raise Invalid("Eine Rückbuchung der Datei hat keine End-to-End-ID.",
                              field="file", code="bad_camt")
            found.append(Returned(e2e, reason[:4] or "MS03"))
    return found


def _debit_return(debit: Debit, reason: str, at: datetime) -> None:
    debit.status, debit.return_reason, debit.returned_at = DebitStatus.RETURNED, reason, at
    debit.save(update_fields=["status", "return_reason", "returned_at"])
    DebitLine.objects.filter(debit=debit).update(standing=False)  # the entries are open again
    return_notice_queue(debit)


@transaction.atomic
def camt_import(*, town_id: int, content: bytes, by: User | None = None,
                now: datetime | None = None) -> list[Debit]:
    """Book every return of the file, or none: see the module's note. A debit already
    returned is skipped, so importing a file twice books it once."""
    town = (town_managed(by=by, pk=town_id) if by is not None
            else Town.objects.select_for_update().get(pk=town_id))
    creditor = billing_settings_of(town)
    returns = camt_parse(content, iban=creditor.iban)
    debits = {d.end_to_end_id: d for d in Debit.objects.select_for_update().filter(
        run__town=town, end_to_end_id__in=[r.end_to_end_id for r in returns])}
    if unknown := [r.end_to_end_id for r in returns if r.end_to_end_id not in debits]:
        raise Invalid(f"Unbekannte End-to-End-ID „{unknown[0]}“: keine Lastschrift von "
                      f"{town.name}. Es wurde nichts gebucht.", field="file",
                      code="unknown_end_to_end_id")
    booked = []
    for item in returns:
        debit = debits[item.end_to_end_id]
        if debit.status != DebitStatus.RETURNED:
            _debit_return(debit, item.reason, now or timezone.now())
            booked.append(debit)
    if by is not None:
        for debit in booked:
            audit_record(by=by, action="Rücklastschrift (camt.054)", obj=debit,
                         town_id=town.pk, note=debit.return_reason)
    return booked


@transaction.atomic
def debit_return_by_hand(*, by: User, debit_id: int, reason: str,
                         now: datetime | None = None) -> Debit:
    """The operator books a return the bank told otherwise (letter, portal)."""
    require_role(by, Role.OPERATOR)
    debit = Debit.objects.select_for_update().filter(pk=debit_id).first()
    if debit is None:
        raise NotFound("Diese Lastschrift gibt es nicht.")
    town_managed(by=by, pk=debit.run.town_id)
    reason = reason.strip().upper()
    if not (len(reason) == 4 and reason.isalnum()):
        raise Invalid("Bitte den vierstelligen Rückgabegrund der Bank angeben (z. B. AC04, "
                      "MD06).", field="reason")
    if debit.status == DebitStatus.RETURNED:
        raise Conflict("Diese Lastschrift ist schon als zurückgegeben gebucht.")
    _debit_return(debit, reason, now or timezone.now())
    audit_record(by=by, action="Rücklastschrift (von Hand)", obj=debit,
                 town_id=debit.run.town_id, note=reason)
    return debit


def _returns_open(customer_ids: Iterable[int]) -> tuple[Counter[int], dict[int, set[int]]]:
    """Per customer, the returned debits since the hotline last cleared them, and the towns
    that debited the customers who have any (every checkout asks: a customer without
    returns costs two small queries, not a read of every debit they ever had)."""
    ids = list(customer_ids)
    cleared = dict(ReturnsCleared.objects.filter(customer_id__in=ids).values("customer_id")
                   .annotate(last=Max("at")).values_list("customer_id", "last"))
    returned: Counter[int] = Counter()
    for customer_id, at in Debit.objects.filter(
            customer_id__in=ids, status=DebitStatus.RETURNED).values_list("customer_id",
                                                                         "returned_at"):
        last = cleared.get(customer_id)
        if last is None or at > last:
            returned[customer_id] += 1
    towns: dict[int, set[int]] = defaultdict(set)
    if returned:
        for customer_id, town_id in (Debit.objects.filter(customer_id__in=list(returned))
                                     .values_list("customer_id", "run__town_id").distinct()):
            towns[customer_id].add(town_id)
    return returned, towns


def returns_open(customer: User) -> int:
    """Returned debits since the hotline last cleared the customer."""
    return _returns_open([customer.pk])[0][customer.pk]


def _blocked(customer_ids: Iterable[int]) -> set[int]:
    """Those of the customers with too many returns (the lowest limit of the towns that
    debited them), in three queries."""
    returned, towns = _returns_open(customer_ids)
    limits = dict(BillingSettings.objects.filter(
        town_id__in={t for pk in returned for t in towns[pk]})
        .values_list("town_id", "block_after_returns"))
    return {pk for pk, count in returned.items()
            if count >= min((limits[t] for t in towns[pk] if t in limits), default=1)}


def orders_blocked(customer: User) -> bool:
    """Too many returns: no new orders until the hotline clears them."""
    return customer.pk in _blocked([customer.pk])


def blocked_in(town: Town) -> list[User]:
    """The customers of the town's debits whose returns block new orders, for the console's
    list."""
    returned = set(Debit.objects.filter(run__town=town, status=DebitStatus.RETURNED)
                   .values_list("customer_id", flat=True))
    return list(User.objects.filter(pk__in=_blocked(returned - {None})).order_by("pk"))


@transaction.atomic
def returns_clear(*, by: User, town_id: int, customer_id: int, note: str = ""
                  ) -> ReturnsCleared:
    """The hotline (or the operator) of a town that debited the customer has settled the
    returns with them (paid otherwise, new account): new orders are possible again. Any
    other town's staff do not know the customer's debits (`NotFound`); audited."""
    require_role(by, *ON_BEHALF)
    town = visible_to(Town, by).filter(pk=town_id).first()
    if town is None:
        raise NotFound("Diese Stadt gibt es nicht.")
    customer = User.objects.filter(
        pk=customer_id, debits__run__town=town, debits__status=DebitStatus.RETURNED).first()
    if customer is None:
        raise NotFound("Für diese Kundin / diesen Kunden gibt es in dieser Stadt keine "
                       "Rücklastschrift.")
    if not note.strip():
        raise Invalid("Bitte kurz notieren, wie die Rücklastschriften geklärt wurden.",
                      field="note")
    if not orders_blocked(customer):
        raise Conflict("Die Bestellungen dieser Kundin / dieses Kunden sind nicht gesperrt.",
                       code="not_blocked")
    cleared = ReturnsCleared.objects.create(customer=customer, by=by, note=note.strip()[:200])
    audit_record(by=by, action="Rücklastschriften geklärt", obj=cleared, town_id=town.pk,
                 note=cleared.note)
    return cleared
