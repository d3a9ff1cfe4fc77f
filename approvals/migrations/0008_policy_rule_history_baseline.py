"""Give every policy rule without history a first record of its values as they stand, so the rule's change
history (*Muutoshistoria*) shows what each later change changed. The rules were loaded by data migrations, which
keep no history. Reversible: the reverse removes only these first records."""

from django.db import migrations
from django.utils import timezone

REASON = "Sääntö sellaisena kuin se oli, kun muutoshistoria alkoi"
FIELDS = [
    "id",
    "code",
    "title",
    "title_en",
    "explanation",
    "explanation_en",
    "sections",
    "source",
    "source_en",
    "stage",
    "kind",
    "is_good_practice",
    "is_active",
    "disabled_reason",
    "position",
    "automatic_check",
]


def forwards(apps, schema_editor):
    PolicyRule = apps.get_model("approvals", "PolicyRule")
    Historical = apps.get_model("approvals", "HistoricalPolicyRule")
    HistoricalPlatforms = apps.get_model("approvals", "HistoricalPolicyRule_platforms")
    with_history = set(Historical.objects.values_list("id", flat=True))
    now = timezone.now()
    for rule in PolicyRule.objects.exclude(pk__in=with_history).prefetch_related("platforms"):
        record = Historical.objects.create(
            **{field: getattr(rule, field) for field in FIELDS},
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for platform in rule.platforms.all():
            HistoricalPlatforms.objects.create(history=record, policyrule_id=rule.pk, platform_id=platform.pk)


def backwards(apps, schema_editor):
    Historical = apps.get_model("approvals", "HistoricalPolicyRule")
    HistoricalPlatforms = apps.get_model("approvals", "HistoricalPolicyRule_platforms")
    first = Historical.objects.filter(history_change_reason=REASON, history_user__isnull=True)
    HistoricalPlatforms.objects.filter(history__in=first).delete()
    first.delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0007_policy_rule_disabled_reason")]

    operations = [migrations.RunPython(forwards, backwards)]
