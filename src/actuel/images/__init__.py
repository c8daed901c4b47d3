"""Outlets' images kept as local, resized, safe copies (the site never hotlinks them)."""
