"""The vector index in Chroma, embedded or on a server: the only package that talks to Chroma.

    index = ChromaIndex(settings, embedding_name="e5-small")
    with index.write_lock():
        index.write_post(record, chunks, chunk_vectors, windows, window_vectors)
    hits = index.query_windows(vector, k=40)

One module per job: ``connection`` opens Chroma and recovers from a damaged folder or a refused token;
``locking`` holds the cross-process write lock and the generation stamp readers check; ``records`` turns posts,
chunks and windows into Chroma ids and metadata and back; ``store`` is ``ChromaIndex``, which reads and writes
through them.

Three collections per corpus: ``windows`` (a few sentences each, searched for candidates), ``chunks`` (searched
by ``chunk_similarities`` for the re-ranker's chunk and post signals) and ``posts`` (one record per post, the
mark that its chunks and windows are complete). A post record has a one-number placeholder vector only because
Chroma keeps no record without one; a collection rather than collection metadata because metadata is one small
dict per collection, not a table of thousands of posts that can be read, filtered and replaced one at a time.

llama-index's ``ChromaVectorStore`` is not used for writes: a post is written atomically — all its chunks, its
windows and then its record, under one cross-process lock that bumps the generation — and a vector store adds
and deletes nodes one call at a time with no notion of that.
"""

from assistant.index.records import PostRecord, WindowHit
from assistant.index.store import ChromaIndex

__all__ = ["ChromaIndex", "PostRecord", "WindowHit"]
