"""Posts from where the blog lives: a safe fetcher (``fetcher``), pages and carried HTML read as posts (``pages``),
what feeds, sitemaps and WordPress exports list (``listings``), and the sync that brings them into the corpus
through the engine's add path (``sync``, remembering validators in ``memory``)."""
