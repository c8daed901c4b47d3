"""The JSON API (v1)."""

from actuel.convertors import register

register()  # {x:id} and {x:page} known before any route is built
