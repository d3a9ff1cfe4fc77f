from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelineConfig(AppConfig):
    """The guideline: versioned, sectioned text that staff read and acknowledge (above channels, below approvals)."""

    name = "guideline"
    verbose_name = _("Guideline")
