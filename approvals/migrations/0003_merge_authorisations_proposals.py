# Joins the two first migrations of approvals, written side by side (authorisations and proposals).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_authorisations"),
        ("approvals", "0002_seed_policy_rules"),
    ]

    operations = []
