"""Name the check of each automatic rule, and add the rule that the periodic review is not overdue (§4).

Reversible: the reverse clears the checks and removes the added rule (refused once answers refer to it).
"""

from django.db import migrations

CHECKS = {
    "decision-recorded": "decision_recorded",
    "listed-in-registry": "responsible_person_active",
    "rights-authorised": "rights_authorised",
    "maintainers-defined": "maintainers_with_hours",
    "holiday-cover": "holiday_cover",
    "commitment-signed": "commitments_signed",
    "two-administrators": "two_administrators",
    "access-reviewed": "access_reviewed",
    "content-exported": "content_exported",
}

REVIEW_RULE = {
    "code": "review-on-time",
    "sections": "4",
    "stage": "ongoing",
    "kind": "automatic",
    "automatic_check": "review_not_overdue",
    "title": "Kanavan määräaikaiskatselmointi ei ole myöhässä",
    "title_en": "The channel's periodic review is not overdue",
    "explanation": "Palvelua ylläpidetään, päivitetään ja seurataan säännöllisesti. Vastuuhenkilö katselmoi "
    "kanavan määräajoin; myöhässä oleva katselmointi näkyy kojelaudalla.",
    "explanation_en": "The service is maintained, updated and monitored regularly. The responsible person "
    "reviews the channel at intervals; an overdue review shows on the dashboard.",
    "position": 85,
    "is_good_practice": False,
    "is_active": True,
}


def forwards(apps, schema_editor):
    PolicyRule = apps.get_model("approvals", "PolicyRule")
    for code, check in CHECKS.items():
        PolicyRule.objects.filter(code=code).update(automatic_check=check)
    PolicyRule.objects.update_or_create(code=REVIEW_RULE["code"], defaults=REVIEW_RULE)


def backwards(apps, schema_editor):
    PolicyRule = apps.get_model("approvals", "PolicyRule")
    PolicyRule.objects.filter(code=REVIEW_RULE["code"]).delete()
    PolicyRule.objects.filter(code__in=CHECKS).update(automatic_check="")


class Migration(migrations.Migration):
    dependencies = [("approvals", "0004_policy_rule_checks_reviews_reminders")]

    operations = [migrations.RunPython(forwards, backwards)]
