"""Refusals (``channels/addresses/errors.py``): what is not an account address, and the code and message it gets.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest
from django.utils.functional import Promise

from channels.addresses import MAX_ADDRESS_LENGTH, InvalidAddress, normalise_address

INVALID = [
    ("", "facebook", "empty"),
    ("   ", "facebook", "empty"),
    ("\t\n", "x", "empty"),
    ("<>", "website", "empty"),
    ("suomussalmi\x00", "instagram", "control"),
    ("https://x.com/suo\x00mussalmi", "x", "control"),
    ("https://x.com/suomussalmi\nhttps://evil.example", "x", "control"),
    ("x.com/\u202esuomussalmi", "x", "control"),
    ("https://www.suomussalmi.fi/\u200bkirjasto", "website", "control"),
    ("https://www.suomussalmi.fi/kirjasto\u200b", "website", "control"),  # at the end as in the middle
    ("\u200bhttps://www.suomussalmi.fi/kirjasto", "website", "control"),
    ("@suomussalmi\ufeff", "instagram", "control"),
    ("<https://www.suomussalmi.fi\u2060>", "website", "control"),
    ("\u200b", "website", "control"),
    ("https://www.suomussalmi.fi../kirjasto", "website", "invalid_host"),
    ("a" * (MAX_ADDRESS_LENGTH + 1), "instagram", "too_long"),
    ("https://suomussalmi.fi/" + "a" * MAX_ADDRESS_LENGTH, "website", "too_long"),
    ("https://www.facebook.com/Suomussalmen kunta", "facebook", "spaces"),
    ("Suomussalmen kunta", "website", "spaces"),
    ("https://www.suomussalmi.fi/kirjasto palvelut", "website", "spaces"),
    ("https://www.instagram.com/suomussalmi", "facebook", "other_platform"),
    ("https://www.facebook.com/suomussalmi", "website", "other_platform"),
    ("https://www.facebook.com/suomussalmi", "blog", "other_platform"),
    ("https://twitter.com/suomussalmi", "instagram", "other_platform"),
    ("https://youtu.be/dQw4w9WgXcQ", "tiktok", "other_platform"),
    ("suomussalmi.bsky.social", "instagram", "other_platform"),
    ("https://www.suomussalmi.fi", "facebook", "wrong_host"),
    ("instagram.suomussalmi.fi/suomussalmi", "instagram", "wrong_host"),
    ("@suomussalmi", "website", "needs_url"),
    ("suomussalmi", "blog", "needs_url"),
    ("@suomussalmi", "linkedin", "needs_url"),
    ("suomussalmi", "whatsapp", "needs_url"),
    ("@", "instagram", "invalid_handle"),
    ("@suomussalmi-kunta", "instagram", "invalid_handle"),
    ("@" + "a" * 31, "instagram", "invalid_handle"),
    ("@.suomussalmi", "instagram", "invalid_handle"),
    ("@suomussalmi..kunta", "instagram", "invalid_handle"),
    ("@suomussalmi.kunta", "x", "invalid_handle"),
    ("@" + "a" * 16, "x", "invalid_handle"),
    ("https://x.com/suomussalmi-kunta", "x", "invalid_handle"),
    ("@suomussalmi.", "tiktok", "invalid_handle"),
    ("@a", "tiktok", "invalid_handle"),
    ("@ab", "youtube", "invalid_handle"),
    ("@kunt", "facebook", "invalid_handle"),
    ("@suomussalmi_kunta", "bluesky", "invalid_handle"),
    ("@ab", "bluesky", "invalid_handle"),
    ("https://www.youtube.com/channel/UCtooshort", "youtube", "invalid_handle"),
    ("https://wa.me/040123", "whatsapp", "invalid_handle"),
    ("https://www.instagram.com/p/C1a2b3c4d5e/", "instagram", "content"),
    ("https://www.instagram.com/reel/C1a2b3c4d5e/?igsh=abc", "instagram", "content"),
    ("https://www.instagram.com/suomussalmi/p/C1a2b3c4d5e/", "instagram", "content"),
    ("https://x.com/suomussalmi/status/1234567890", "x", "content"),
    ("https://twitter.com/i/web/status/1234567890", "x", "content"),
    ("https://www.facebook.com/Suomussalmi/posts/pfbid0abc", "facebook", "content"),
    ("https://www.facebook.com/permalink.php?story_fbid=1&id=2", "facebook", "content"),
    ("https://www.facebook.com/watch/?v=123", "facebook", "content"),
    ("https://www.facebook.com/Suomussalmi/videos/123456789/", "facebook", "content"),
    ("https://www.facebook.com/groups/puskaradio/posts/123/", "facebook", "content"),
    ("https://fb.watch/abc123/", "facebook", "content"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "content"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube", "content"),
    ("https://www.youtube.com/shorts/abcdefghijk", "youtube", "content"),
    ("https://www.youtube.com/playlist?list=PLabc", "youtube", "content"),
    ("https://www.tiktok.com/@suomussalmi/video/7234567890123456789", "tiktok", "content"),
    ("https://www.threads.net/@suomussalmi/post/C1abc", "threads", "content"),
    ("https://bsky.app/profile/suomussalmi.bsky.social/post/3k2abc", "bluesky", "content"),
    ("https://www.linkedin.com/posts/suomussalmen-kunta_activity-123", "linkedin", "content"),
    ("https://www.linkedin.com/feed/update/urn:li:activity:123/", "linkedin", "content"),
    ("https://whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k/123", "whatsapp", "content"),
    ("https://vm.tiktok.com/ZMabc123/", "tiktok", "short_link"),
    ("https://www.tiktok.com/t/ZTabc/", "tiktok", "short_link"),
    ("https://www.facebook.com/share/1abcDEF/", "facebook", "short_link"),
    ("https://lnkd.in/abc", "linkedin", "short_link"),
    ("https://www.facebook.com/", "facebook", "not_account"),
    ("https://www.facebook.com/profile.php", "facebook", "not_account"),
    ("https://www.facebook.com/marketplace/", "facebook", "not_account"),
    ("https://developers.facebook.com/suomussalmi", "facebook", "not_account"),
    ("https://www.instagram.com/explore/", "instagram", "not_account"),
    ("https://help.instagram.com/123", "instagram", "not_account"),
    ("instagram.com", "instagram", "not_account"),
    ("https://x.com/home", "x", "not_account"),
    ("https://www.youtube.com/results?search_query=suomussalmi", "youtube", "not_account"),
    ("https://www.linkedin.com/feed/", "linkedin", "not_account"),
    ("https://www.tiktok.com/suomussalmi", "tiktok", "not_account"),
    ("https://www.threads.net/suomussalmi", "threads", "not_account"),
    ("https://bsky.app/", "bluesky", "not_account"),
    ("https://chat.whatsapp.com/ABCdef123", "whatsapp", "not_account"),
    ("ftp://suomussalmi.fi", "website", "scheme"),
    ("javascript://alert(1)", "website", "scheme"),
    ("file:///etc/passwd", "website", "scheme"),
    ("javascript:alert(1)", "website", "invalid_url"),
    ("https://user:password@suomussalmi.fi", "website", "invalid_url"),
    ("https://www.facebook.com@evil.example/suomussalmi", "facebook", "invalid_url"),
    ("https://www.suomussalmi.fi/a<b", "website", "invalid_url"),
    ("https://www.suomussalmi.fi/100%", "website", "invalid_url"),
    ("https://suomussalmi.fi/a\\b", "website", "invalid_url"),
    ("https://[::1]/", "website", "invalid_url"),
    ("https://", "website", "invalid_host"),
    ("https://localhost/", "website", "invalid_host"),
    ("https://192.168.0.1/", "website", "invalid_host"),
    ("http://-bad-.fi", "website", "invalid_host"),
    ("https://a..fi", "website", "invalid_host"),
    ("https://suomussalmi_kunta.fi", "website", "invalid_host"),
    ("https://suomussalmi.fi:8080/", "website", "port"),
    ("https://www.suomussalmi.fi", "myspace", "unknown_platform"),
]


@pytest.mark.parametrize(("raw", "platform", "code"), INVALID)
def test_it_refuses_what_is_not_an_account_address(raw, platform, code):
    with pytest.raises(InvalidAddress) as refusal:
        normalise_address(raw, platform)
    assert refusal.value.code == code


def test_refusals_carry_a_lazy_translatable_message():
    with pytest.raises(InvalidAddress) as refusal:
        normalise_address("https://www.instagram.com/p/C1a2b3c4d5e/", "instagram")
    assert isinstance(refusal.value.message, Promise)
    assert isinstance(refusal.value, ValueError)
