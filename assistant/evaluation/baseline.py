"""The reference: a plain llama-index pipeline on the same posts, scored by the same metrics as our engine.

Default ``SentenceSplitter``, a ``VectorStoreIndex`` in memory with the same embedder, dense top-2. Its "answer"
quotes the two retrieved nodes and it never refuses. The embedder is passed in, and only the retriever is used
(no query engine), so llama-index never resolves a default LLM or embedder: nothing reaches the network.
It answers the last turn of a conversation on its own, as a pipeline without chat memory does.

    baseline = BaselinePipeline(posts, embedder)
    result = baseline.answer(case)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from llama_index.core import Document, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter

from assistant.corpus.model import Post
from assistant.evaluation.gold import GoldCase, squash
from assistant.evaluation.records import CaseResult, CitedPassage

TOP_K = 2
RETRIEVED_K = 10  # how deep recall@k looks
DESCRIPTION = (
    f"plain llama-index: default SentenceSplitter, VectorStoreIndex, dense top-{TOP_K}, quotes its nodes"
)


class BaselinePipeline:
    """Index ``posts`` the llama-index way, once; ``answer`` retrieves for one case.

    With ``persist_dir`` the index is stored there and loaded back next time (the runner passes a folder named
    after the corpus's hash, so stored vectors always belong to these posts).
    """

    def __init__(
        self,
        posts: Sequence[Post],
        embedder: BaseEmbedding,
        top_k: int = TOP_K,
        persist_dir: Path | None = None,
    ):
        if persist_dir is not None and (persist_dir / "docstore.json").exists():
            storage = StorageContext.from_defaults(persist_dir=str(persist_dir))
            self.index = load_index_from_storage(storage, embed_model=embedder)
        else:
            documents = [
                Document(text=p.text, metadata={"post": p.slug, "title": p.title}, id_=p.slug) for p in posts
            ]
            nodes = SentenceSplitter().get_nodes_from_documents(documents)
            self.index = VectorStoreIndex(nodes, embed_model=embedder)
            if persist_dir is not None:
                self.index.storage_context.persist(persist_dir=str(persist_dir))
        self.top_k = top_k
        self.retriever = self.index.as_retriever(similarity_top_k=max(top_k, RETRIEVED_K))

    def answer(self, case: GoldCase) -> CaseResult:
        """Retrieve for the case's last turn and quote the first ``top_k`` nodes, numbered in rank order."""
        started = time.perf_counter()
        found = self.retriever.retrieve(case.question)
        latency_ms = (time.perf_counter() - started) * 1000
        retrieved = tuple(
            CitedPassage(n, str(hit.node.metadata.get("post", "")), text, (text,))
            for n, hit in enumerate(found, start=1)
            for text in [hit.node.get_content()]
        )
        citations = retrieved[: self.top_k]
        answer = "\n\n".join(f"“{squash(c.passage)}” [{c.n}]" for c in citations)
        return CaseResult(
            case, answer, False, citations, round(latency_ms, 2), case.question, retrieved=retrieved
        )
