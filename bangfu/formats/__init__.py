"""Date and number formats per language (FORMAT_MODULE_PATH): one date style, Y-m-d, in both
languages, so a page reads the same whichever language is chosen (docs/i18n.md)."""
