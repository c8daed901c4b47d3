"""Translation into the site's languages: the backends' common face and the route between two."""
