"""Enrich stage: what we learn about an article beyond its page (its language)."""

from actuel.enrich.language import detect_language, normalize_language

__all__ = ["detect_language", "normalize_language"]
