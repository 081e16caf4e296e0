"""A customer without e-mail (one the hotline looks after) gets the status by SMS: "kommt
heute zwischen … und … Uhr" when the courier sets out, then "zugestellt"."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.tests.pictures import jpeg
from louise.logistics.models import StopKind
from louise.logistics.services import stop_complete
from louise.logistics.tests.journeys import door_delivery_published
from louise.logistics.tracking import order_tracking


def test_without_email_the_status_comes_by_sms(shop, customer, shifts, staff_users, settings,
                                              tmp_path, django_capture_on_commit_callbacks):
    # given: a customer with a phone but no e-mail, her book on a published tour
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOUISE_SMS_BACKEND = "louise.core.sms.FileBackend"
    settings.LOUISE_SMS_FILE_PATH = str(tmp_path / "sms")
    User.objects.filter(pk=customer[0].pk).update(email="")
    order, tour = door_delivery_published(shop, customer, staff_users)
    window = order_tracking(order=order)
    # when: the rider collects the parcel, then delivers it
    with django_capture_on_commit_callbacks(execute=True):
        stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk, rider=tour.shift.rider,
                      parcels=1)
    with django_capture_on_commit_callbacks(execute=True):
        stop_complete(stop_id=tour.stops.get(kind=StopKind.DELIVERY).pk,
                      rider=tour.shift.rider, proof_method="photo",
                      photo=SimpleUploadedFile("tuer.jpg", jpeg()))
    # then: two text messages to her number, none by mail
    texts = [p.read_text() for p in sorted((tmp_path / "sms").iterdir())]
    start, end = (t.astimezone(BERLIN) for t in (window.eta_from, window.eta_until))
    assert texts == [
        f"To: +492041123456\n\nLOUISE: Ihre Bestellung {order.number} kommt heute zwischen "
        f"{start:%H:%M} und {end:%H:%M} Uhr.\n",
        f"To: +492041123456\n\nLOUISE: Ihre Bestellung {order.number} ist zugestellt.\n"]
    assert mail.outbox == []
