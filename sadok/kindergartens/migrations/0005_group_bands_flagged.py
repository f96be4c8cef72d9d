"""Groups whose age band is not whole years (the rule of `rules.band_problem`, as it
was written with this migration) are flagged for the district office; none is
changed. A separate migration: PostgreSQL cannot update rows in the transaction
that added the column."""

from django.db import migrations

WIDE_KINDS = {"mixed", "special"}


def bands_flag(apps, schema_editor):
    Group = apps.get_model("kindergartens", "Group")
    flagged = []
    for group in Group.objects.all():
        low, high = group.age_from_months, group.age_to_months
        whole = low % 12 == 0 and high % 12 == 0
        wide = group.kind in WIDE_KINDS or group.specialisation_id is not None
        wide = wide or (group.kind == "older" and (low, high) == (60, 84))
        if not whole or not (high - low == 12 or (wide and high - low >= 24)):
            flagged.append(group.pk)
    Group.objects.filter(pk__in=flagged).update(band_review=True)


class Migration(migrations.Migration):
    dependencies = [("kindergartens", "0004_group_band_review_and_reason")]

    operations = [migrations.RunPython(bands_flag, migrations.RunPython.noop)]
