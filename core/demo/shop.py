"""The demo shop: a small website that embeds the Cairn tracker with the two-line snippet.

Pages: home, product list, product page (``product-viewed`` on load, "Buy" sends
``order-completed``). A "Sign in" button identifies the visitor as a demo customer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from cairn.core.demo.catalog import PRODUCTS, product

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True))


def shop_app(cairn_url: str, write_key: str) -> Starlette:
    """The shop's ASGI app, sending its events to the Cairn at ``cairn_url`` with ``write_key``."""
    site = {"cairn_url": cairn_url.rstrip("/"), "write_key": write_key}

    def page(template: str, status: int = 200, **values: Any) -> Response:
        html = _templates.get_template(template).render(**site, **values)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    async def home(request: Request) -> Response:
        return page("home.html", products=PRODUCTS[:2])

    async def products(request: Request) -> Response:
        return page("products.html", products=PRODUCTS)

    async def product_page(request: Request) -> Response:
        found = product(request.path_params["slug"])
        if found is None:
            return page("missing.html", status=404)
        return page("product.html", product=found)

    return Starlette(routes=[
        Route("/", home),
        Route("/products", products),
        Route("/products/{slug}", product_page),
    ])
