"""The migrations describe the models: a model change without its migration
would leave the database without a constraint the code relies on."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}", pytrace=False)


@pytest.mark.django_db(transaction=True)
def test_keys_the_old_parser_let_through_are_normalised_and_collisions_held() -> None:
    """One certificate, several records (full-width and Arabic-Indic digits, Ukraine
    entered as a foreign country): after the migration each key is normalised, the
    earliest record keeps it, and the later ones are held out of the queue under a
    flag for the district office."""
    import datetime as dt

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("applications", "0009_labels2")]
    after = [("applications", "0010_certificate_once")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Child = old.get_model("applications", "Child")
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    keys = ["UA:I-КВ:１２３４５６", "UA:I-КВ:123456", "УКРАЇНА:IКВ123456", "UA:I-КВ:٦٥٤٣٢١"]
    for n, key in enumerate(keys):
        Child.objects.create(
            last_name="Тест",
            first_name="Дитина",
            born=dt.date(2023, 1, 1),
            certificate_key=key,
            certificate_display=key,
            application_number=f"M{n}",
            lottery=n,
            created_at=at + dt.timedelta(days=n),
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = list(
        new.get_model("applications", "Child")
        .objects.order_by("created_at")
        .values_list("application_number", "certificate_key", "certificate_held")
    )
    assert rows == [
        ("M0", "UA:I-КВ:123456", False),
        ("M1", "UA:I-КВ:123456", True),
        ("M2", "UA:I-КВ:123456", True),
        ("M3", "UA:I-КВ:654321", False),
    ]
    flags = new.get_model("applications", "DuplicateFlag").objects
    assert sorted(
        flags.values_list("child__application_number", "similar_to__application_number")
    ) == [
        ("M1", "M0"),
        ("M2", "M0"),
    ]
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
