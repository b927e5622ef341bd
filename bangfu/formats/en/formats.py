"""English formats: the same dates and numbers as the Chinese pages (one style whichever the language)."""

from bangfu.formats.zh_Hans.formats import *  # noqa: F403
