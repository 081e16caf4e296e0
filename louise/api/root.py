"""The one versioned API; each app contributes a router from its `api.py`."""

from ninja import NinjaAPI

from louise.accounts.api import router as accounts_router
from louise.catalog.api import router as catalog_router
from louise.geo.api import router as geo_router
from louise.logistics.api import router as logistics_router
from louise.orders.api import router as orders_router
from louise.orders.api_lockers import router as lockers_router
from louise.orders.api_service import router as service_router

from . import errors

api = NinjaAPI(
    title="LOUISE API",
    version="1",
    description="Stadtlogistik für Bottrop: Geschäfte, Bestellungen, Transportaufträge, Touren.",
    docs_url="/docs",
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/", catalog_router)
api.add_router("/", geo_router)
api.add_router("/", orders_router)
api.add_router("/", lockers_router)
api.add_router("/", service_router)
api.add_router("/", logistics_router)
