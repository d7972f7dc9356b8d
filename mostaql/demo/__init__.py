"""The Arabic demo that `make run` loads (`manage.py seed_demo`): development and demos only.

It sits on top of every other app and drives them all through their services; no app imports it.
data/ holds the content (people, projects, wallets, conversations, reviews, reports), loader.py takes
it through the services, timeline.py runs the money moves in date order, images.py draws the pictures.
"""
