"""Seed the platforms: those the guideline names (internet pages, Facebook, Instagram, YouTube) and
today's common ones. Reversible: the reverse removes only platforms no channel uses."""

from django.db import migrations

# slug, name, kind, address style, short label, terms of service
PLATFORMS = [
    ("website", "Internetsivut", "website", "url", "WWW", ""),
    ("facebook", "Facebook", "social_network", "handle", "FB", "https://www.facebook.com/legal/terms"),
    ("instagram", "Instagram", "image", "handle", "IG", "https://help.instagram.com/581066165581870"),
    ("youtube", "YouTube", "video", "handle", "YT", "https://www.youtube.com/t/terms"),
    ("x", "X (Twitter)", "social_network", "handle", "X", "https://x.com/tos"),
    ("linkedin", "LinkedIn", "professional", "url", "in", "https://www.linkedin.com/legal/user-agreement"),
    ("tiktok", "TikTok", "video", "handle", "TT", "https://www.tiktok.com/legal/terms-of-service-eea"),
    ("threads", "Threads", "social_network", "handle", "TH", "https://help.instagram.com/769983657850450"),
    ("bluesky", "Bluesky", "social_network", "handle", "BS", "https://bsky.social/about/support/tos"),
    ("whatsapp", "WhatsApp-kanava", "messaging", "url", "WA", "https://www.whatsapp.com/legal/channels-guidelines"),
    ("blog", "Blogi", "blog", "url", "BLOG", ""),
]


def seed(apps, schema_editor):
    Platform = apps.get_model("channels", "Platform")
    for slug, name, kind, style, label, terms in PLATFORMS:
        Platform.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "address_style": style, "short_label": label, "terms_url": terms},
        )


def unseed(apps, schema_editor):
    Platform = apps.get_model("channels", "Platform")
    Platform.objects.filter(slug__in=[p[0] for p in PLATFORMS], channels__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("channels", "0002_registry")]

    operations = [migrations.RunPython(seed, unseed)]
