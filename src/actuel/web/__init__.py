"""The public site, its feeds, comments and admin."""

from actuel.convertors import register

register()  # {x:id} and {x:page} known before any route is built
