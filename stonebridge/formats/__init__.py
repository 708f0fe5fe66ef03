"""One way to write a date in each language, on every page, notice and e-mail (issue 13):
"30 Nov 2026" in English, never the US "11/30/2026" nor an ISO date; "2026年11月30日" in
Chinese. Django reads these before its own formats for the language (FORMAT_MODULE_PATH)."""
