"""The PostgreSQL database a benchmark command writes into: its own, made when missing.

UTF-8 with LC_CTYPE C.UTF-8 from template0, as .ci/run makes mostaql_ci: under "C", trigram
matching finds nothing in Arabic text.
"""

from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections


def _admin_connection():
    import psycopg

    params = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=str(params["PORT"]) if params.get("PORT") else None,
    )
    return psycopg.connect(conninfo, autocommit=True)


def ensure_database(name: str, *, say: Callable[[str], None], reset: bool = False) -> None:
    """Connect to `name` (the default connection's database), creating it first when missing;
    `reset` drops it before."""
    from psycopg import sql

    if reset:
        connections.close_all()
        say(f"--reset: dropping the database {name!r}")
        with _admin_connection() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    try:
        connection.ensure_connection()
        return
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise CommandError(f"Cannot connect to PostgreSQL: {error}") from error
    say(f"creating the database {name!r} (UTF-8, LC_CTYPE C.UTF-8, from template0)")
    with _admin_connection() as admin:
        admin.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )
    connection.close()
    connection.ensure_connection()
