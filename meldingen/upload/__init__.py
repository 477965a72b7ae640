"""File upload of meldingen (API.md "File upload"): parse, process in the background, report per row."""
