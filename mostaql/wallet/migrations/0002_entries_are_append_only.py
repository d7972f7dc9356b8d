"""Ledger entries and transfers are history: PostgreSQL itself refuses to change or delete them.

Row triggers do not fire on TRUNCATE, so test databases can still be emptied between tests. SQLite
(development and tests only) has no such trigger: its flush deletes row by row.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger history is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER wallet_entry_append_only BEFORE UPDATE OR DELETE ON wallet_entry "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    "CREATE TRIGGER wallet_transfer_append_only BEFORE UPDATE OR DELETE ON wallet_transfer "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS wallet_transfer_append_only ON wallet_transfer",
    "DROP TRIGGER IF EXISTS wallet_entry_append_only ON wallet_entry",
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
]
def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)  # the body holds a literal %

    return run


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_UNDO))]
