"""Set up the application's database role (ADR 0012): run as the owner of the tables, after every migrate.

The owner (who runs the migrations) owns every table; the application connects as a role that

- holds no attribute beyond LOGIN (NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS), so it
  cannot create roles, cannot use ``COPY … PROGRAM`` (no ``pg_execute_server_program``) and, not owning a
  table, cannot ``ALTER TABLE … DISABLE TRIGGER``;
- may SELECT, INSERT, UPDATE and DELETE the application's tables, but only SELECT and INSERT the
  Logboek (``audit_logregel``), and use the sequences.

Idempotent: it creates the role when missing, sets its password when one is given, and (re)grants.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

#: The tables the application role may only read and append to.
ALLEEN_TOEVOEGEN = ("audit_logregel",)


class Command(BaseCommand):
    help = "Maak of herstel de databaserol van de applicatie (alleen SELECT en INSERT op het logboek)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rol", help="Naam van de rol waarmee de applicatie verbindt, bijvoorbeeld meldpunt_app.")
        parser.add_argument(
            "--wachtwoord-env",
            default="",
            help="Naam van de omgevingsvariabele met het wachtwoord van de rol (nooit op de opdrachtregel).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rol = options["rol"]
        wachtwoord = os.environ.get(options["wachtwoord_env"], "") if options["wachtwoord_env"] else ""
        if options["wachtwoord_env"] and not wachtwoord:
            raise CommandError(f"De omgevingsvariabele {options['wachtwoord_env']} is leeg.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            eigenaar, database = cursor.fetchone()
            if rol == eigenaar:
                raise CommandError("De applicatierol moet een andere rol zijn dan de eigenaar van de tabellen.")
            naam = sql.Identifier(rol)
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [rol])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(naam))
            cursor.execute(
                sql.SQL(
                    "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
                ).format(naam)
            )
            if wachtwoord:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(naam, sql.Literal(wachtwoord)))
            cursor.execute(
                sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), naam)
            )
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(naam))
            cursor.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(naam))
            cursor.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(naam)
            )
            cursor.execute(
                sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}").format(naam)
            )
            cursor.execute(sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(naam))
            for tabel in ALLEEN_TOEVOEGEN:
                cursor.execute(sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(tabel), naam))
        self.stdout.write(f"Rol {rol}: SELECT/INSERT op het logboek, geen eigenaar, geen beheerrechten.")
