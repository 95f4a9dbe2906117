"""Kompas: answers school leaders' questions from De Onderwijskapitein's blog posts, with citations."""

__version__ = "0.1.0"
