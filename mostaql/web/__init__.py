"""The site's own pages that gather several apps (the home page): the top of the layers."""
