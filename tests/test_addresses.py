"""The address normaliser: real-world address forms, refusals, the public check's candidates, and properties.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import contextlib
from urllib.parse import parse_qsl

import pytest
from django.utils.functional import Promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.addresses import (
    HANDLE_PLATFORMS,
    MAX_ADDRESS_LENGTH,
    PLATFORM_SLUGS,
    InvalidAddress,
    candidate_keys,
    detect_platform,
    normalise_address,
)

# Enough examples to find a broken rule, few enough to keep this module at a few seconds; no deadline, so a slow
# CI machine cannot make a property flaky.
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- Real-world forms, per platform family ------------------------------------------------------------------

FACEBOOK = [
    ("https://m.facebook.com/Suomussalmi/?fbclid=IwAR0abc", "facebook.com/suomussalmi"),
    ("https://m.facebook.com/Suomussalmi/?ref=x", "facebook.com/suomussalmi"),
    ("facebook.com/suomussalmi", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/Suomussalmi", "facebook.com/suomussalmi"),
    ("http://facebook.com/Suomussalmi/", "facebook.com/suomussalmi"),
    ("https://web.facebook.com/Suomussalmi?_rdr", "facebook.com/suomussalmi"),
    ("https://fi-fi.facebook.com/Suomussalmi/", "facebook.com/suomussalmi"),
    ("https://touch.facebook.com/Suomussalmi", "facebook.com/suomussalmi"),
    ("https://mbasic.facebook.com/Suomussalmi", "facebook.com/suomussalmi"),
    ("https://fb.com/suomussalmi", "facebook.com/suomussalmi"),
    ("https://www.fb.com/Suomussalmi/about", "facebook.com/suomussalmi"),
    ("https://fb.me/Suomussalmi", "facebook.com/suomussalmi"),
    ("https://m.me/Suomussalmi", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/pg/Suomussalmi/about/", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/pg/Suomussalmi/posts/", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/Suomussalmi/about_contact_and_basic_info", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/Suomussalmi/photos", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/Suomussalmi/?locale=fi_FI", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/Suomussalmi#section", "facebook.com/suomussalmi"),
    ("https://www.facebook.com:443/Suomussalmi", "facebook.com/suomussalmi"),
    ("https://facebook.com//Suomussalmi//", "facebook.com/suomussalmi"),
    ("HTTPS://WWW.FACEBOOK.COM/SUOMUSSALMI", "facebook.com/suomussalmi"),
    ("  https://www.facebook.com/Suomussalmi  ", "facebook.com/suomussalmi"),
    ("<https://www.facebook.com/Suomussalmi>", "facebook.com/suomussalmi"),
    ("https://www.facebook.com/SuomussalmenKirjasto/?__cft__[0]=AZX&__tn__=kC-R", "facebook.com/suomussalmenkirjasto"),
    ("https://www.facebook.com/Suomussalmen-Kunta", "facebook.com/suomussalmen-kunta"),
    ("@suomussalmi", "facebook.com/suomussalmi"),
    ("suomussalmen.kunta", "facebook.com/suomussalmen.kunta"),
    ("https://www.facebook.com/profile.php?id=100064123456789", "facebook.com/profile.php?id=100064123456789"),
    (
        "https://m.facebook.com/profile.php?id=100064123456789&mibextid=ZbWKwL",
        "facebook.com/profile.php?id=100064123456789",
    ),
    ("https://www.facebook.com/profile.php?sk=about&id=100064123456789", "facebook.com/profile.php?id=100064123456789"),
    ("facebook.com/profile.php?id=100064123456789", "facebook.com/profile.php?id=100064123456789"),
    (
        "https://www.facebook.com/people/Suomussalmen-Nuoriso/100064123456789/",
        "facebook.com/profile.php?id=100064123456789",
    ),
    (
        "https://www.facebook.com/pages/Suomussalmen-kunta/123456789012345",
        "facebook.com/profile.php?id=123456789012345",
    ),
    (
        "https://www.facebook.com/p/Suomussalmen-Kirjasto-100064123456789/",
        "facebook.com/profile.php?id=100064123456789",
    ),
    ("https://www.facebook.com/Suomussalmen-kirjasto-106123456789012/", "facebook.com/profile.php?id=106123456789012"),
    ("https://www.facebook.com/100064123456789", "facebook.com/profile.php?id=100064123456789"),
    ("https://www.facebook.com/groups/suomussalmi.puskaradio/", "facebook.com/groups/suomussalmi.puskaradio"),
    ("https://www.facebook.com/groups/123456789/about", "facebook.com/groups/123456789"),
]

INSTAGRAM = [
    ("https://www.instagram.com/suomussalmi/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/?hl=fi", "instagram.com/suomussalmi"),
    ("https://instagram.com/Suomussalmi?igshid=MzRlODBiNWFlZA==", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi?igsh=MWQ1ZGUxMzBkMA==", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/?utm_source=ig_web_button_share_sheet", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/?utm_medium=copy_link", "instagram.com/suomussalmi"),
    ("instagram.com/suomussalmi/?hl=en&locale=en_US", "instagram.com/suomussalmi"),
    ("https://instagram.com/suomussalmi?fbclid=abc", "instagram.com/suomussalmi"),
    ("instagram.com/suomussalmi", "instagram.com/suomussalmi"),
    ("www.instagram.com/suomussalmi", "instagram.com/suomussalmi"),
    ("//www.instagram.com/suomussalmi", "instagram.com/suomussalmi"),
    ("  instagram.com/suomussalmi  ", "instagram.com/suomussalmi"),
    ("https://WWW.INSTAGRAM.COM/SUOMUSSALMI/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi//", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/#", "instagram.com/suomussalmi"),
    ("\u201dhttps://www.instagram.com/suomussalmi\u201d", "instagram.com/suomussalmi"),
    ("https://instagr.am/suomussalmi", "instagram.com/suomussalmi"),
    ("http://instagr.am/suomussalmi/", "instagram.com/suomussalmi"),
    ("https://m.instagram.com/suomussalmi", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/reels/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/tagged/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/guides/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/suomussalmi/channel/", "instagram.com/suomussalmi"),
    ("https://www.instagram.com/@suomussalmi", "instagram.com/suomussalmi"),
    ("@suomussalmi", "instagram.com/suomussalmi"),
    ("suomussalmi", "instagram.com/suomussalmi"),
    ("@Suomussalmi.Kunta", "instagram.com/suomussalmi.kunta"),
    ("suomussalmen_kirjasto", "instagram.com/suomussalmen_kirjasto"),
    ("https://www.instagram.com/kunta_suomussalmi", "instagram.com/kunta_suomussalmi"),
    ("https://www.instagram.com/suomussalmi.kunta.2024", "instagram.com/suomussalmi.kunta.2024"),
    ("https://www.instagram.com/a", "instagram.com/a"),
    ("@x_y.z_", "instagram.com/x_y.z_"),
]

YOUTUBE = [
    ("https://www.youtube.com/@suomussalmi", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@Suomussalmi/videos", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/featured", "youtube.com/@suomussalmi"),
    ("https://m.youtube.com/@suomussalmi/shorts", "youtube.com/@suomussalmi"),
    ("https://youtube.com/@suomussalmi?si=abc123", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/streams", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/playlists", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/community?lb=xyz", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/about", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/live", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi/search?query=kirjasto", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi?sub_confirmation=1", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmi#about", "youtube.com/@suomussalmi"),
    ("youtube.com/@suomussalmi", "youtube.com/@suomussalmi"),
    ("www.youtube.com/@suomussalmi/", "youtube.com/@suomussalmi"),
    ("HTTP://YOUTUBE.COM/@SUOMUSSALMI", "youtube.com/@suomussalmi"),
    ("@suomussalmi", "youtube.com/@suomussalmi"),
    ("suomussalmi", "youtube.com/@suomussalmi"),
    ("https://www.youtube.com/@suomussalmen-kunta", "youtube.com/@suomussalmen-kunta"),
    ("https://www.youtube.com/@suomussalmi.kunta", "youtube.com/@suomussalmi.kunta"),
    ("https://www.youtube.com/@%C3%84%C3%A4ni", "youtube.com/@ääni"),
    ("https://www.youtube.com/c/SuomussalmenKunta", "youtube.com/c/suomussalmenkunta"),
    ("https://www.youtube.com/c/SuomussalmenKunta/videos", "youtube.com/c/suomussalmenkunta"),
    ("https://www.youtube.com/c/Suomussalmi/featured?hl=fi", "youtube.com/c/suomussalmi"),
    ("https://www.youtube.com/user/suomussalmi", "youtube.com/user/suomussalmi"),
    ("https://www.youtube.com/user/Suomussalmi/featured?view_as=subscriber", "youtube.com/user/suomussalmi"),
    ("https://youtube.com/user/suomussalmi?feature=watch", "youtube.com/user/suomussalmi"),
    ("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "youtube.com/channel/ucabcdefghijklmnopqrstuv"),
    ("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw/about", "youtube.com/channel/uc_x5xg1ov2p6uzz5fsm9ttw"),
    ("https://music.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw", "youtube.com/channel/uc_x5xg1ov2p6uzz5fsm9ttw"),
    ("UC_x5XG1OV2P6uZZ5FSM9Ttw", "youtube.com/channel/uc_x5xg1ov2p6uzz5fsm9ttw"),
    ("https://www.youtube.com/SuomussalmenKunta", "youtube.com/suomussalmenkunta"),
]

X = [
    ("https://x.com/suomussalmi", "x.com/suomussalmi"),
    ("https://twitter.com/suomussalmi", "x.com/suomussalmi"),
    ("https://twitter.com/Suomussalmi?ref_src=twsrc%5Egoogle%7Ctwcamp%5Eserp%7Ctwgr%5Eauthor", "x.com/suomussalmi"),
    ("https://mobile.twitter.com/suomussalmi", "x.com/suomussalmi"),
    ("https://m.twitter.com/Suomussalmi/", "x.com/suomussalmi"),
    ("https://www.twitter.com/suomussalmi", "x.com/suomussalmi"),
    ("https://x.com/Suomussalmi/with_replies", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi/media", "x.com/suomussalmi"),
    ("https://twitter.com/suomussalmi/likes", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi/followers", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi/highlights", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi/lists", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi?s=21&t=abcDEF", "x.com/suomussalmi"),
    ("https://x.com/suomussalmi#top", "x.com/suomussalmi"),
    ("https://twitter.com/#!/Suomussalmi", "x.com/suomussalmi"),
    ("http://twitter.com/#!/suomussalmi/", "x.com/suomussalmi"),
    ("https://x.com/@suomussalmi", "x.com/suomussalmi"),
    ("https://x.com//suomussalmi", "x.com/suomussalmi"),
    (" https://x.com/suomussalmi ", "x.com/suomussalmi"),
    ("HTTPS://X.COM/SUOMUSSALMI", "x.com/suomussalmi"),
    ("x.com/suomussalmi", "x.com/suomussalmi"),
    ("twitter.com/suomussalmi", "x.com/suomussalmi"),
    ("@suomussalmi", "x.com/suomussalmi"),
    ("suomussalmi", "x.com/suomussalmi"),
    ("@Ssalmi_Kunta", "x.com/ssalmi_kunta"),
    ("@a", "x.com/a"),
    ("@abcdefghijklmno", "x.com/abcdefghijklmno"),
    ("https://twitter.com/intent/user?screen_name=Suomussalmi", "x.com/suomussalmi"),
    ("https://twitter.com/intent/follow?screen_name=suomussalmi&original_referer=x", "x.com/suomussalmi"),
    ("https://twitter.com/i/user/123456789", "x.com/i/user/123456789"),
    ("https://twitter.com/intent/user?user_id=123456789", "x.com/i/user/123456789"),
    ("x.com/i/user/123456789", "x.com/i/user/123456789"),
]

TIKTOK = [
    ("https://www.tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("https://tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@Suomussalmi?lang=fi-FI", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?is_from_webapp=1&sender_device=pc", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?_t=8abc&_r=1", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?t=abc", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?refer=embed", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?source=h5_m", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi?enter_from=video_detail", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi/?utm_campaign=tt4d_profile_link", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi/?lang=en", "tiktok.com/@suomussalmi"),
    ("https://m.tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("https://fi.tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi/", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi/live", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com/@suomussalmi#", "tiktok.com/@suomussalmi"),
    ("https://www.tiktok.com//@suomussalmi", "tiktok.com/@suomussalmi"),
    ("HTTPS://WWW.TIKTOK.COM/@SUOMUSSALMI", "tiktok.com/@suomussalmi"),
    ("http://www.tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("www.tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("tiktok.com/@suomussalmi", "tiktok.com/@suomussalmi"),
    ("tiktok.com/@suomussalmi/", "tiktok.com/@suomussalmi"),
    ("<https://www.tiktok.com/@suomussalmi>", "tiktok.com/@suomussalmi"),
    ("@suomussalmi", "tiktok.com/@suomussalmi"),
    ("suomussalmi", "tiktok.com/@suomussalmi"),
    ("@suomussalmen.kunta", "tiktok.com/@suomussalmen.kunta"),
    ("@suomussalmi_kunta", "tiktok.com/@suomussalmi_kunta"),
    ("https://www.tiktok.com/@suomussalmi.2", "tiktok.com/@suomussalmi.2"),
    ("https://www.tiktok.com/@Suomussalmi_Nuoret", "tiktok.com/@suomussalmi_nuoret"),
    ("@ab", "tiktok.com/@ab"),
    ("@abcdefghijklmnopqrstuvwx", "tiktok.com/@abcdefghijklmnopqrstuvwx"),
]

LINKEDIN = [
    ("https://www.linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://fi.linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("https://se.linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("https://m.linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("http://linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    ("www.linkedin.com/company/suomussalmen-kunta", "linkedin.com/company/suomussalmen-kunta"),
    (" https://www.linkedin.com/company/suomussalmen-kunta ", "linkedin.com/company/suomussalmen-kunta"),
    ("HTTPS://WWW.LINKEDIN.COM/COMPANY/SUOMUSSALMEN-KUNTA", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com//company//suomussalmen-kunta//", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta#main", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/about/", "linkedin.com/company/suomussalmen-kunta"),
    (
        "https://www.linkedin.com/company/suomussalmen-kunta/posts/?feedView=all",
        "linkedin.com/company/suomussalmen-kunta",
    ),
    ("https://www.linkedin.com/company/suomussalmen-kunta/jobs/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/people/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/life/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/videos/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/events/", "linkedin.com/company/suomussalmen-kunta"),
    ("https://www.linkedin.com/company/suomussalmen-kunta/mycompany/", "linkedin.com/company/suomussalmen-kunta"),
    (
        "https://www.linkedin.com/company/Suomussalmen-Kunta?trk=public_profile",
        "linkedin.com/company/suomussalmen-kunta",
    ),
    (
        "https://www.linkedin.com/company/suomussalmen-kunta?originalSubdomain=fi",
        "linkedin.com/company/suomussalmen-kunta",
    ),
    (
        "https://www.linkedin.com/company/suomussalmen-kunta/?viewAsMember=true",
        "linkedin.com/company/suomussalmen-kunta",
    ),
    ("https://www.linkedin.com/company/12345678/", "linkedin.com/company/12345678"),
    ("https://www.linkedin.com/company/12345678/admin/", "linkedin.com/company/12345678"),
    ("https://www.linkedin.com/school/kajaanin-ammattikorkeakoulu/", "linkedin.com/school/kajaanin-ammattikorkeakoulu"),
    ("https://www.linkedin.com/showcase/kainuun-hyvinvointialue/", "linkedin.com/showcase/kainuun-hyvinvointialue"),
    ("https://www.linkedin.com/in/matti-meikalainen-123abc/", "linkedin.com/in/matti-meikalainen-123abc"),
    ("https://fi.linkedin.com/in/matti-meik%C3%A4l%C3%A4inen", "linkedin.com/in/matti-meikäläinen"),
    ("https://www.linkedin.com/in/matti-meikalainen?lipi=urn%3Ali%3Apage", "linkedin.com/in/matti-meikalainen"),
    ("https://www.linkedin.com/groups/1234567/", "linkedin.com/groups/1234567"),
]

WEBSITE = [
    ("https://www.Suomussalmi.fi/Kirjasto/", "suomussalmi.fi/kirjasto"),
    ("suomussalmi.fi", "suomussalmi.fi"),
    ("https://suomussalmi.fi/", "suomussalmi.fi"),
    ("http://www.suomussalmi.fi", "suomussalmi.fi"),
    ("www.suomussalmi.fi", "suomussalmi.fi"),
    ("  https://www.suomussalmi.fi/kirjasto  ", "suomussalmi.fi/kirjasto"),
    ("https://www.suomussalmi.fi/?utm_source=facebook&utm_medium=social", "suomussalmi.fi"),
    ("https://www.suomussalmi.fi/kirjasto?fbclid=abc#aukioloajat", "suomussalmi.fi/kirjasto"),
    ("https://www.suomussalmi.fi/kirjasto?gclid=x&_ga=2.1", "suomussalmi.fi/kirjasto"),
    ("https://www.suomussalmi.fi/kirjasto?mtm_campaign=x&pk_source=y", "suomussalmi.fi/kirjasto"),
    ("https://www.suomussalmi.fi//kirjasto///tapahtumat/", "suomussalmi.fi/kirjasto/tapahtumat"),
    ("https://www.suomussalmi.fi/p%C3%A4iv%C3%A4hoito", "suomussalmi.fi/päivähoito"),
    ("https://www.suomussalmi.fi/Päivähoito", "suomussalmi.fi/päivähoito"),
    ("https://www.suomussalmi.fi/pa\u0308iva\u0308hoito", "suomussalmi.fi/päivähoito"),
    ("https://www.suomussalmi.fi/a/./b/../c", "suomussalmi.fi/a/c"),
    ("https://www.suomussalmi.fi/%7Ekirjasto", "suomussalmi.fi/~kirjasto"),
    ("https://www.suomussalmi.fi/a%2Fb", "suomussalmi.fi/a%2fb"),
    ("https://www.suomussalmi.fi/a%20b", "suomussalmi.fi/a%20b"),
    ("https://www.suomussalmi.fi/%E4", "suomussalmi.fi/%e4"),
    ("https://www.suomussalmi.fi/?page_id=12&lang=fi", "suomussalmi.fi?page_id=12"),
    ("https://www.suomussalmi.fi/?b=2&a=1", "suomussalmi.fi?a=1&b=2"),
    ("https://www.suomussalmi.fi/search?q=Kirjasto", "suomussalmi.fi/search?q=kirjasto"),
    ("https://www.suomussalmi.fi/?redirect=/kirjasto/", "suomussalmi.fi?redirect=%2fkirjasto%2f"),
    ("https://kainuu.fi/suomussalmi?id=5&utm_content=a", "kainuu.fi/suomussalmi?id=5"),
    ("https://www.suomussalmi.fi:443/", "suomussalmi.fi"),
    ("http://www.suomussalmi.fi:80/kirjasto", "suomussalmi.fi/kirjasto"),
    ("https://www.suomussalmi.fi./kirjasto", "suomussalmi.fi/kirjasto"),
    ("m.suomussalmi.fi", "m.suomussalmi.fi"),
    ("https://visit.suomussalmi.fi/en", "visit.suomussalmi.fi/en"),
    ("https://blogi.suomussalmi.fi/", "blogi.suomussalmi.fi"),
    ("https://suomussalmenkirjasto.blogspot.com/", "suomussalmenkirjasto.blogspot.com"),
    ("https://suomussalmi.wordpress.com/2024/", "suomussalmi.wordpress.com/2024"),
    ("https://SIPILÄ.fi/", "xn--sipil-kra.fi"),
    ("xn--sipil-kra.fi", "xn--sipil-kra.fi"),
]

OTHERS = [  # Bluesky, Threads and WhatsApp
    ("bluesky", "https://bsky.app/profile/suomussalmi.bsky.social", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "https://bsky.app/profile/Suomussalmi.bsky.social/", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "bsky.app/profile/suomussalmi.bsky.social?ref=x", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "https://bsky.app/profile/suomussalmi.bsky.social/follows", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "suomussalmi.bsky.social", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "@suomussalmi.bsky.social", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "@suomussalmi", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "https://suomussalmi.bsky.social", "bsky.app/profile/suomussalmi.bsky.social"),
    ("bluesky", "https://bsky.app/profile/suomussalmi.fi", "bsky.app/profile/suomussalmi.fi"),
    ("bluesky", "@suomussalmi.fi", "bsky.app/profile/suomussalmi.fi"),
    (
        "bluesky",
        "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
        "bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
    ),
    ("bluesky", "did:plc:abcdefghijklmnopqrstuvwx", "bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx"),
    ("threads", "https://www.threads.net/@suomussalmi", "threads.net/@suomussalmi"),
    ("threads", "https://www.threads.com/@suomussalmi", "threads.net/@suomussalmi"),
    ("threads", "https://threads.net/@Suomussalmi?xmt=AQGz", "threads.net/@suomussalmi"),
    ("threads", "https://www.threads.net/@suomussalmi/replies", "threads.net/@suomussalmi"),
    ("threads", "https://www.threads.com/@suomussalmi.kunta?igshid=x", "threads.net/@suomussalmi.kunta"),
    ("threads", "https://threads.com/@suomussalmi/", "threads.net/@suomussalmi"),
    ("threads", "threads.net/@suomussalmi", "threads.net/@suomussalmi"),
    ("threads", "@suomussalmi", "threads.net/@suomussalmi"),
    ("threads", "suomussalmi", "threads.net/@suomussalmi"),
    ("threads", "@suomussalmen_kirjasto", "threads.net/@suomussalmen_kirjasto"),
    (
        "whatsapp",
        "https://whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k",
        "whatsapp.com/channel/0029vafvayy0rgij1ukz3e2k",
    ),
    (
        "whatsapp",
        "https://www.whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k?utm_source=x",
        "whatsapp.com/channel/0029vafvayy0rgij1ukz3e2k",
    ),
    ("whatsapp", "whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k/", "whatsapp.com/channel/0029vafvayy0rgij1ukz3e2k"),
    (
        "whatsapp",
        "https://www.whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k#",
        "whatsapp.com/channel/0029vafvayy0rgij1ukz3e2k",
    ),
    ("whatsapp", "https://wa.me/358401234567", "wa.me/358401234567"),
    ("whatsapp", "https://wa.me/+358401234567", "wa.me/358401234567"),
    ("whatsapp", "https://api.whatsapp.com/send?phone=358401234567&text=Hei", "wa.me/358401234567"),
    ("whatsapp", "https://api.whatsapp.com/send/?phone=%2B358401234567", "wa.me/358401234567"),
    ("whatsapp", "wa.me/message/ABCDEFGHIJ1234", "wa.me/message/abcdefghij1234"),
]


@pytest.mark.parametrize(("raw", "expected"), FACEBOOK)
def test_it_normalises_facebook_addresses(raw, expected):
    assert normalise_address(raw, "facebook") == expected


@pytest.mark.parametrize(("raw", "expected"), INSTAGRAM)
def test_it_normalises_instagram_addresses(raw, expected):
    assert normalise_address(raw, "instagram") == expected


@pytest.mark.parametrize(("raw", "expected"), YOUTUBE)
def test_it_normalises_youtube_addresses(raw, expected):
    assert normalise_address(raw, "youtube") == expected


@pytest.mark.parametrize(("raw", "expected"), X)
def test_it_normalises_x_addresses(raw, expected):
    assert normalise_address(raw, "x") == expected


@pytest.mark.parametrize(("raw", "expected"), TIKTOK)
def test_it_normalises_tiktok_addresses(raw, expected):
    assert normalise_address(raw, "tiktok") == expected


@pytest.mark.parametrize(("raw", "expected"), LINKEDIN)
def test_it_normalises_linkedin_addresses(raw, expected):
    assert normalise_address(raw, "linkedin") == expected


@pytest.mark.parametrize(("raw", "expected"), WEBSITE)
@pytest.mark.parametrize("platform", ["website", "blog"])
def test_it_normalises_website_and_blog_addresses(raw, expected, platform):
    assert normalise_address(raw, platform) == expected


@pytest.mark.parametrize(("platform", "raw", "expected"), OTHERS)
def test_it_normalises_bluesky_threads_and_whatsapp_addresses(platform, raw, expected):
    assert normalise_address(raw, platform) == expected


ALL_VALID = (
    [("facebook", raw, key) for raw, key in FACEBOOK]
    + [("instagram", raw, key) for raw, key in INSTAGRAM]
    + [("youtube", raw, key) for raw, key in YOUTUBE]
    + [("x", raw, key) for raw, key in X]
    + [("tiktok", raw, key) for raw, key in TIKTOK]
    + [("linkedin", raw, key) for raw, key in LINKEDIN]
    + [("website", raw, key) for raw, key in WEBSITE]
    + OTHERS
)


@pytest.mark.parametrize(("platform", "raw", "key"), ALL_VALID)
def test_every_key_in_the_tables_is_its_own_key(platform, raw, key):
    assert normalise_address(key, platform) == key


def test_the_same_page_pasted_in_two_forms_gets_one_key():
    assert normalise_address("facebook.com/suomussalmi", "facebook") == normalise_address(
        "https://m.facebook.com/Suomussalmi/?ref=x", "facebook"
    )


def test_it_strips_tracking_parameters():
    key = normalise_address(
        "https://www.suomussalmi.fi/tapahtumat?utm_source=fb&utm_campaign=kesa&fbclid=x&gclid=y&id=7&hl=fi",
        "website",
    )
    assert key == "suomussalmi.fi/tapahtumat?id=7"


def test_it_keeps_youtube_kinds_of_channel_address_apart():
    keys = {
        normalise_address(raw, "youtube")
        for raw in (
            "https://www.youtube.com/@suomussalmi",
            "https://www.youtube.com/c/suomussalmi",
            "https://www.youtube.com/user/suomussalmi",
            "https://www.youtube.com/suomussalmi",
        )
    }
    assert len(keys) == 4


def test_unicode_and_punycode_domains_get_one_key():
    assert normalise_address("https://sipilä.fi/", "website") == normalise_address("xn--sipil-kra.fi", "website")


# --- Refusals -----------------------------------------------------------------------------------------------

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


@pytest.mark.parametrize(
    "huge",
    [
        "a" * 1_000_000,
        " " * 1_000_000 + "suomus salmi",
        "\x00" * 100_000,
        "https://suomussalmi.fi/" + "%C3%A4" * 100_000,
        "@" * 100_000,
    ],
)
def test_it_refuses_huge_input_quickly(huge):
    with pytest.raises(InvalidAddress):
        normalise_address(huge, "website")
    with pytest.raises(InvalidAddress):
        candidate_keys(huge)


def test_it_strips_surrounding_whitespace_of_any_length():
    assert normalise_address("\n" * 100_000 + " @Suomussalmi \t", "instagram") == "instagram.com/suomussalmi"


# --- Platform detection -------------------------------------------------------------------------------------

DETECTED = [
    ("https://www.facebook.com/suomussalmi", "facebook"),
    ("fb.com/suomussalmi", "facebook"),
    ("https://m.facebook.com/Suomussalmi/?fbclid=x", "facebook"),
    ("https://twitter.com/suomussalmi", "x"),
    ("x.com/suomussalmi", "x"),
    ("https://mobile.twitter.com/suomussalmi", "x"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
    ("https://www.youtube.com/@suomussalmi", "youtube"),
    ("https://m.youtube.com/@suomussalmi", "youtube"),
    ("https://www.linkedin.com/company/suomussalmen-kunta", "linkedin"),
    ("https://fi.linkedin.com/company/suomussalmen-kunta", "linkedin"),
    ("https://instagr.am/suomussalmi", "instagram"),
    ("instagram.com/suomussalmi", "instagram"),
    ("https://www.tiktok.com/@suomussalmi", "tiktok"),
    ("https://vm.tiktok.com/ZMabc123/", "tiktok"),
    ("https://www.threads.net/@suomussalmi", "threads"),
    ("https://www.threads.com/@suomussalmi", "threads"),
    ("https://bsky.app/profile/suomussalmi.bsky.social", "bluesky"),
    ("suomussalmi.bsky.social", "bluesky"),
    ("https://whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k", "whatsapp"),
    ("https://wa.me/358401234567", "whatsapp"),
    ("https://www.suomussalmi.fi", None),
    ("https://notfacebook.com/suomussalmi", None),
    ("https://facebook.com.evil.example/suomussalmi", None),
    ("@suomussalmi", None),
    ("suomussalmi", None),
    ("", None),
    ("\x00", None),
    ("https://", None),
]


@pytest.mark.parametrize(("raw", "platform"), DETECTED)
def test_it_detects_the_platform_from_the_host(raw, platform):
    assert detect_platform(raw) == platform


# --- The public check ---------------------------------------------------------------------------------------

EVERY_HANDLE_KEY = [
    "instagram.com/suomussalmi",
    "x.com/suomussalmi",
    "tiktok.com/@suomussalmi",
    "threads.net/@suomussalmi",
    "youtube.com/@suomussalmi",
    "bsky.app/profile/suomussalmi.bsky.social",
    "facebook.com/suomussalmi",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@suomussalmi", EVERY_HANDLE_KEY),
        ("suomussalmi", EVERY_HANDLE_KEY),
        ("  @Suomussalmi ", EVERY_HANDLE_KEY),
        ("https://m.facebook.com/Suomussalmi/?ref=x", ["facebook.com/suomussalmi"]),
        ("https://www.Suomussalmi.fi/Kirjasto/", ["suomussalmi.fi/kirjasto"]),
        ("suomussalmi.fi", ["suomussalmi.fi"]),
        ("twitter.com/Suomussalmi", ["x.com/suomussalmi"]),
        ("suomussalmi.bsky.social", ["bsky.app/profile/suomussalmi.bsky.social"]),
        ("did:plc:abcdefghijklmnopqrstuvwx", ["bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx"]),
        (
            "@suomussalmi_kunta",
            [
                "instagram.com/suomussalmi_kunta",
                "tiktok.com/@suomussalmi_kunta",
                "threads.net/@suomussalmi_kunta",
                "youtube.com/@suomussalmi_kunta",
            ],
        ),
        ("@abcdefghijklmnopqrstuvwxyz0123456789", ["facebook.com/abcdefghijklmnopqrstuvwxyz0123456789"]),
    ],
)
def test_it_lists_the_keys_an_input_could_mean(raw, expected):
    assert candidate_keys(raw) == expected


def test_a_bluesky_handle_is_checked_on_bluesky_but_not_on_x():
    keys = candidate_keys("@suomussalmi.bsky.social")
    assert "bsky.app/profile/suomussalmi.bsky.social" in keys
    assert not any(key.startswith("x.com/") for key in keys)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("@", "no_platform"),
        ("@!!!", "no_platform"),
        ("Suomussalmen kunta", "spaces"),
        ("suomussalmi\x00", "control"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "content"),
        ("ftp://suomussalmi.fi", "scheme"),
    ],
)
def test_it_refuses_garbage_in_the_public_check(raw, code):
    with pytest.raises(InvalidAddress) as refusal:
        candidate_keys(raw)
    assert refusal.value.code == code


def test_handle_candidates_are_keys_of_their_platforms():
    for platform, key in zip(HANDLE_PLATFORMS, candidate_keys("@suomussalmi"), strict=True):
        assert normalise_address(key, platform) == key
        assert normalise_address("@suomussalmi", platform) == key


# --- Properties ---------------------------------------------------------------------------------------------

TRACKING = {"utm_source", "utm_medium", "fbclid", "gclid", "igshid", "igsh", "si", "ref", "ref_src", "s", "t"}
TRACKING |= {"feature", "mibextid", "_rdr", "hl", "lang", "locale"}


def assert_canonical(key):
    host = key.split("/")[0].split("?")[0]
    assert not key.startswith(("http:", "https:", "//"))
    assert key == key.lower()
    assert not key.endswith("/")
    assert "//" not in key
    assert "#" not in key
    assert not host.startswith("www.")
    assert len(key) <= MAX_ADDRESS_LENGTH
    query = key.partition("?")[2]
    assert not {name for name, _value in parse_qsl(query, keep_blank_values=True)} & TRACKING


tokens = st.sampled_from(
    ["suomussalmi", "Kunta", "a", "_", ".", "-", "~", "@", "%20", "%2F", "%C3%A4", "%e4", "%7E", "ä", "Ö", "1", "!"]
)
segments = st.lists(tokens, min_size=1, max_size=4).map("".join)
paths = st.lists(segments, max_size=4).map("/".join)
query_pairs = st.tuples(
    st.sampled_from([*sorted(TRACKING), "id", "v", "page", "q", "screen_name", "phone", "user_id"]),
    st.sampled_from(["", "1", "358401234567", "Suomussalmi", "a/b/", "%2B358401234567"]),
)
queries = st.lists(query_pairs, max_size=3).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))
hosts = st.sampled_from(
    [
        "facebook.com", "fb.com", "m.facebook.com", "instagram.com", "instagr.am", "x.com", "twitter.com",
        "mobile.twitter.com", "youtube.com", "m.youtube.com", "youtu.be", "fi.linkedin.com", "linkedin.com",
        "tiktok.com", "vm.tiktok.com", "threads.net", "threads.com", "bsky.app", "suomussalmi.bsky.social",
        "whatsapp.com", "wa.me", "api.whatsapp.com", "suomussalmi.fi", "SIPILÄ.fi", "kainuu.fi", "blogi.kunta.fi",
    ]
)  # fmt: skip
urls = st.builds(
    lambda scheme, www, host, path, slash, query, fragment: (
        f"{scheme}{www}{host}/{path}{slash}{'?' + query if query else ''}{fragment}"
    ),
    st.sampled_from(["", "http://", "https://", "HTTPS://", "//"]),
    st.sampled_from(["", "www.", "WWW."]),
    hosts,
    paths,
    st.sampled_from(["", "/", "//"]),
    queries,
    st.sampled_from(["", "#", "#top", "#!/Suomussalmi"]),
)
handles = st.builds(
    lambda at, name: at + name,
    st.sampled_from(["", "@"]),
    st.text(alphabet="abcXYZ019._-ä", min_size=1, max_size=32),
)


@FAST
@given(raw=st.text(max_size=600), platform=st.sampled_from(PLATFORM_SLUGS))
def test_random_text_gives_a_key_or_invalid_address(raw, platform):
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key


@FEW
@given(raw=st.text(min_size=400, max_size=3000, alphabet=st.characters(codec="utf-8")))
def test_long_random_text_never_raises_anything_else(raw):
    for platform in PLATFORM_SLUGS:
        with contextlib.suppress(InvalidAddress):
            normalise_address(raw, platform)
    with contextlib.suppress(InvalidAddress):
        candidate_keys(raw)
    detect_platform(raw)


@FAST
@given(raw=st.one_of(st.text(max_size=300), urls, handles))
def test_the_public_check_gives_keys_or_invalid_address(raw):
    try:
        keys = candidate_keys(raw)
    except InvalidAddress:
        return
    assert keys
    assert len(keys) == len(set(keys))
    for key in keys:
        assert_canonical(key)
        assert candidate_keys(key) == [key]


@FAST
@given(raw=st.one_of(urls, st.text(max_size=200)))
def test_detect_platform_never_raises(raw):
    assert detect_platform(raw) in (None, *PLATFORM_SLUGS)


@FAST
@given(raw=urls, fallback=st.sampled_from(PLATFORM_SLUGS))
def test_normalising_a_url_twice_changes_nothing(raw, fallback):
    platform = detect_platform(raw) or fallback
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key
    assert detect_platform(key) == (platform if platform not in ("website", "blog") else None)


@FAST
@given(raw=handles, platform=st.sampled_from(PLATFORM_SLUGS))
def test_normalising_a_handle_twice_changes_nothing(raw, platform):
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key
    assert "." in raw or key in candidate_keys(raw)
