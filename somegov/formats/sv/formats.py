# Finland-Swedish dates as people write them: 23.11.2026 kl. 14.05 (Django's own Swedish format is "j F Y").
DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y \\k\\l. G.i"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
