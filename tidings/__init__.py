"""Tidings: news articles in, political event data out."""
