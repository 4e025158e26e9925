"""The ``cairn`` command line: serve Cairn and administer it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click
import uvicorn

from cairn.core.config import Settings
from cairn.core.runtime import Cairn, StoreHandle, start_cairn, stop_cairn

T = TypeVar("T")


def _settings(data_dir: str | None, mongo_url: str | None, database: str | None) -> Settings:
    settings = Settings.from_env()
    changes: dict[str, object] = {}
    if data_dir:
        changes["data_dir"] = Path(data_dir)
    if mongo_url:
        changes["mongo_url"] = mongo_url
    if database:
        changes["database"] = database
    return settings.with_changes(**changes)


def store_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every command shares: where the data is."""
    command = click.option("--database", help="Database name inside the store (env CAIRN_DATABASE).")(command)
    command = click.option("--mongo-url", help="Use this MongoDB instead of the embedded store "
                                               "(env CAIRN_MONGO_URL).")(command)
    return click.option("--data-dir", help="Folder of the embedded store's data "
                                           "(env CAIRN_DATA_DIR, default ./cairn-data).")(command)


def _with_cairn(settings: Settings, work: Callable[[Cairn], Awaitable[T]]) -> T:
    """Run ``work`` against the store (the running server's, or one started for the command)."""
    os.environ.setdefault("CAIRN_RUN_WORKER", "0")  # one-off commands deliver nothing

    async def run() -> T:
        store = StoreHandle(settings)
        cairn = await start_cairn(settings, await store.url())
        try:
            return await work(cairn)
        finally:
            await stop_cairn(cairn)
            await store.stop()

    return asyncio.run(run())


@click.group()
def main() -> None:
    """Cairn, an open-source customer data platform.

    Run `cairn serve` to start it on the embedded store, then create a source
    (`cairn sources create NAME`) for your website and an admin token
    (`cairn admin create-token`) for the GraphQL API.
    """


@main.command()
@store_options
@click.option("--host", default=None, help="Address to listen on (env CAIRN_HOST, default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (env CAIRN_PORT, default 8000).")
def serve(data_dir: str | None, mongo_url: str | None, database: str | None,
          host: str | None, port: int | None) -> None:
    """Serve the tracking endpoints and the GraphQL API.

    Without --mongo-url (or CAIRN_MONGO_URL) Cairn starts its embedded store with
    its data in --data-dir, and stops it on exit.
    """
    from cairn.core.http.app import create_app

    settings = _settings(data_dir, mongo_url, database)
    settings = settings.with_changes(host=host or settings.host, port=port or settings.port)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    click.echo(f"Cairn on http://{settings.host}:{settings.port}  (GraphQL: /graphql)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


@main.command()
@store_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address of Cairn and the demo shop.")
@click.option("--port", type=int, default=8000, show_default=True, help="Cairn's port.")
@click.option("--site-port", type=int, default=8001, show_default=True, help="The demo shop's port.")
def demo(data_dir: str | None, mongo_url: str | None, database: str | None, host: str, port: int,
         site_port: int) -> None:
    """Run Cairn with a demo shop that embeds the tracker, the consent banner and a
    flow that asks for a rating after a purchase (Ctrl-C stops both)."""
    from cairn.core.demo import serve_demo

    settings = _settings(data_dir, mongo_url, database or "cairn_demo")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve_demo(settings, host=host, port=port, site_port=site_port))
    except KeyboardInterrupt:
        pass


@main.group()
def sources() -> None:
    """Manage event sources (websites, apps, back offices) and their write keys."""


@sources.command("create")
@click.argument("name")
@click.option("--origin", "origins", multiple=True, help="An allowed browser origin (repeatable).")
@store_options
def sources_create(name: str, origins: tuple[str, ...], data_dir: str | None, mongo_url: str | None,
                   database: str | None) -> None:
    """Create a source NAME and print its write key."""
    source = _with_cairn(_settings(data_dir, mongo_url, database),
                         lambda cairn: cairn.sources.create(name, list(origins)))
    click.echo(f"source {source.name} created\nid:        {source.id}\nwrite key: {source.write_key}")


@sources.command("list")
@store_options
def sources_list(data_dir: str | None, mongo_url: str | None, database: str | None) -> None:
    """List the sources with their write keys."""
    for source in _with_cairn(_settings(data_dir, mongo_url, database), lambda cairn: cairn.sources.list()):
        state = "enabled" if source.enabled else "disabled"
        click.echo(f"{source.id}  {source.name}  {source.write_key}  {state}")


@main.group()
def admin() -> None:
    """Administration helpers."""


@admin.command("create-token")
@click.option("--name", default="admin", help="A label to recognise the token by.")
@store_options
def admin_create_token(name: str, data_dir: str | None, mongo_url: str | None, database: str | None) -> None:
    """Create an admin token for the GraphQL API and print it (it is shown only once)."""
    token = _with_cairn(_settings(data_dir, mongo_url, database), lambda cairn: cairn.tokens.create(name))
    click.echo(token)


@main.command()
@store_options
@click.option("--poll-interval", type=float, default=None,
              help="Seconds between looks at the outbox when idle (env CAIRN_WORKER_POLL_INTERVAL, default 1).")
def worker(data_dir: str | None, mongo_url: str | None, database: str | None, poll_interval: float | None) -> None:
    """Process queued events, deliver queued messages and resume delayed flows until Ctrl-C.

    `cairn serve` processes its queued events itself and delivers messages unless
    CAIRN_RUN_WORKER=0; run more of these for more throughput.
    """
    from cairn.core.outbox import serve_worker

    async def work(cairn: Cairn) -> None:
        cairn.intake.start()
        await serve_worker(cairn, poll_interval)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    _with_cairn(_settings(data_dir, mongo_url, database), work)


@main.group()
def profiles() -> None:
    """A customer's rights: export and erase everything stored about them."""


@profiles.command("export")
@click.argument("profile_id")
@store_options
def profiles_export(profile_id: str, data_dir: str | None, mongo_url: str | None, database: str | None) -> None:
    """Print everything stored about a profile as JSON."""
    from cairn.core.privacy import export_profile

    data = _with_cairn(_settings(data_dir, mongo_url, database),
                       lambda cairn: export_profile(cairn.database, profile_id))
    if data is None:
        raise click.ClickException(f"no profile has the id {profile_id!r}")
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@profiles.command("erase")
@click.argument("profile_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@store_options
def profiles_erase(profile_id: str, yes: bool, data_dir: str | None, mongo_url: str | None,
                   database: str | None) -> None:
    """Erase a profile and everything keyed by it; keep an audit record without personal data."""
    from cairn.core.privacy import erase_profile

    if not yes:
        click.confirm(f"Erase profile {profile_id} and all its data?", abort=True)
    report = _with_cairn(_settings(data_dir, mongo_url, database),
                         lambda cairn: erase_profile(cairn.database, profile_id, requested_by="cli"))
    if report is None:
        raise click.ClickException(f"no profile has the id {profile_id!r}")
    click.echo(f"erased (record {report.id}): {report.counts}")
