"""The one versioned API; each domain contributes a router from a module of this package."""

from ninja import NinjaAPI
from ninja.operation import Operation

from . import errors
from .accounts import router as accounts_router
from .catalog import router as catalog_router
from .geo import router as geo_router
from .lockers import router as lockers_router
from .logistics import router as logistics_router
from .orders import router as orders_router
from .services import router as service_router


class LouiseAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return errors.document_validation_errors(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The handler's name, unique across the API, so ids survive moving a module."""
        return operation.view_func.__name__


api = LouiseAPI(
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
