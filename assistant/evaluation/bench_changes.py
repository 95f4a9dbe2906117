"""What a change to the corpus costs in ``assistant bench``: the first answer after adding a post, and
re-indexing a post after one paragraph changed, for our engine and for the plain llama-index pipeline."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterable

from assistant.corpus.model import Post, Section

# The edited post of the edit re-index figure: one paragraph of a 2,000-word post changes.
EDITED_POST_WORDS = 2000


def first_answer_after_adding_a_post(engine, answerer, question: str) -> dict[str, float]:
    """Add one post (the opening section of the first post under a new name: small, so the write is quick at
    every size) and time the first answer after it: what the write made stale is brought up to date inside it."""
    posts = engine.corpus.scan().posts
    first = posts[min(posts)]
    added = dataclasses.replace(
        first, slug=f"{first.slug}-nieuw", title=f"{first.title} (nieuw)", sections=first.sections[:1]
    )
    started = time.perf_counter()
    engine.add_post(added)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    answerer.ask(question)
    first_answer_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    answerer.ask(question)
    next_answer_ms = (time.perf_counter() - started) * 1000
    return {
        "add_post_s": round(write_s, 3),
        "first_answer_after_write_ms": round(first_answer_ms, 1),
        "next_answer_after_write_ms": round(next_answer_ms, 1),
    }


def edit_reindex(settings, words: int = EDITED_POST_WORDS) -> dict[str, float]:
    """Add a post of ``words`` words, change one paragraph, and time re-indexing it, with the real embedder as
    the engine makes it (whatever it keeps between runs included), on this size's index."""
    from assistant.engine import Engine

    engine = Engine(settings)
    engine.embedder.get_query_embedding("opwarmen")  # loading the model is not part of an edit
    post = long_post(engine.corpus.scan().posts.values(), words)
    started = time.perf_counter()
    engine.add_post(post)
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    engine.add_post(edited(post), replace=True)
    edit_s = time.perf_counter() - started
    engine.remove(post.slug)
    engine.close()
    return {
        "long_post_words": post.word_count,
        "long_post_add_s": round(add_s, 3),
        "edit_reindex_s": round(edit_s, 3),
    }


def long_post(posts: Iterable[Post], words: int) -> Post:
    """A post of at least ``words`` words (if the posts have as many) made of their sections, in order."""
    sections: list[Section] = []
    for section in (section for post in posts for section in post.sections):
        sections.append(section)
        if sum(len(p.split()) for s in sections for p in s.paragraphs) >= words:
            break
    return Post(slug="bench-lange-blog", title="Een lange blog om te bewerken", sections=tuple(sections))


def edited(post: Post) -> Post:
    """The post with one paragraph in its middle section changed, as a coach fixes a passage."""
    middle = len(post.sections) // 2
    section = post.sections[middle]
    paragraphs = (f"{section.paragraphs[0]} Dat vraagt moed, en het loont.", *section.paragraphs[1:])
    sections = list(post.sections)
    sections[middle] = Section(section.heading, paragraphs)
    return dataclasses.replace(post, sections=tuple(sections))


def environment(settings) -> dict[str, str]:
    """The environment that points a child process at this run's index and corpus, and nowhere else."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    environment.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir),
        ASSISTANT_CORPUS_DIR=str(settings.corpus_dir),
        ASSISTANT_EMBEDDER=settings.embedder,
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    return environment


def baseline_after_write(pipeline, case) -> dict[str, float]:
    """llama-index's own way to add a document to a built index (``insert``), then the first answer."""
    from llama_index.core import Document

    first = pipeline.index.docstore.docs[next(iter(pipeline.index.docstore.docs))]
    started = time.perf_counter()
    pipeline.index.insert(
        Document(text=first.get_content(), id_="bench-nieuw", metadata={"post": "bench-nieuw"})
    )
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    pipeline.answer(case)
    first_answer_ms = (time.perf_counter() - started) * 1000
    return {"add_post_s": round(write_s, 3), "first_answer_after_write_ms": round(first_answer_ms, 1)}


def baseline_edit_reindex(posts: list[Post], words: int = EDITED_POST_WORDS) -> dict[str, float]:
    """llama-index's way to re-index a changed document (``refresh_ref_docs``), with the real embedder."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from assistant.embedders import E5SmallEmbedding

    real = E5SmallEmbedding()
    real.get_query_embedding("opwarmen")
    post = long_post(posts, words)
    index = VectorStoreIndex.from_documents(
        [Document(text=post.text, id_=post.slug)], embed_model=real, transformations=[SentenceSplitter()]
    )
    change = edited(post)
    started = time.perf_counter()
    index.refresh_ref_docs([Document(text=change.text, id_=change.slug)])
    return {"long_post_words": post.word_count, "edit_reindex_s": round(time.perf_counter() - started, 3)}
