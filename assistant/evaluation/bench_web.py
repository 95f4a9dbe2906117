"""``assistant bench --web``: a crowd of leaders on the real web app, arriving together at a fresh start and warm.

For every crowd size N, a new ``assistant serve`` is started on an indexed copy of the evaluation corpus (the seed
post and the fixtures, their vectors from ``eval/fixture-embeddings.npz``, so nothing is embedded). As soon as it
answers its health check, N browser tabs (``web_client.BrowserTab``, Streamlit's own protocol from this process)
open the page at once and each asks its questions, the first as soon as its chat input shows, the next as soon as
the previous answer's text shows: the *fresh* crowd. Then N new tabs do the same on the now loaded server: the
*warm* crowd. Per crowd it reports the time to a usable chat input, answer times, lost questions, errors, how long
the server took to load the engine (from its log), and the CPU shares of server and generator, beside the load
average, since the machine may be shared. Nothing asserts speed.

    result = run_web_bench(WebBenchOptions(sessions=(1, 16)))
    print(markdown_table(result))
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from assistant.evaluation.bench_corpus import QUESTIONS
from assistant.evaluation.bench_startup import _assistant_command, _free_port, _healthy, stop_process
from assistant.evaluation.web_client import BrowserTab, TabResult

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_SESSIONS = (1, 4, 16, 32)
SERVER_START_TIMEOUT_S = 120.0
ENGINE_READY = re.compile(r"Kompas is ready after ([0-9.]+) s")

Log = Callable[[str], None]


@dataclass
class WebBenchOptions:
    sessions: tuple[int, ...] = DEFAULT_SESSIONS
    questions: int = 3  # per tab
    think_s: float = 0.0  # pause before each question: after the chat input shows, after the answer before
    timeout_s: float = 180.0  # longest wait for a chat input or an answer
    first_visit: bool = (
        False  # every tab also fetches the page's ~60 scripts, as a browser with an empty cache
    )
    work_dir: Path | None = None  # default: a temporary folder, removed afterwards
    # Extra environment for the server only, e.g. PYTHONPATH of another checkout to measure its code.
    server_env: dict[str, str] = field(default_factory=dict)


@dataclass
class CrowdRun:
    """One crowd on one server: what its tabs saw, and what it cost."""

    situation: str  # "fresh" (the server just started) or "warm"
    sessions: int
    tabs: list[TabResult]
    seconds: float  # wall time, from arrival to the last tab done
    generator_cpu: float  # CPU seconds of this process (the tabs) over the wall time: share of one core
    server_cpu: float | None  # the same for the server process
    load: list[float]  # load averages (1, 5, 15 min) as the crowd arrived
    engine_load_s: float | None = None  # the server's own figure, from its log (fresh crowds)


@dataclass
class WebBenchResult:
    options: dict[str, object]
    machine: dict[str, object]
    runs: list[CrowdRun] = field(default_factory=list)
    seconds: float = 0.0


def run_web_bench(options: WebBenchOptions, log: Log | None = None) -> WebBenchResult:
    """Build the site once, then for every crowd size start a server and send it a fresh and a warm crowd."""
    log = log or (lambda message: None)
    started = time.perf_counter()
    result = WebBenchResult(options=_options_json(options), machine=_machine())
    work = (
        Path(tempfile.mkdtemp(prefix="kompas-web-bench-")) if options.work_dir is None else options.work_dir
    )
    try:
        site = prepare_site(work / "site")
        log(f"site: {len(list((site / 'corpus').glob('*.md')))} posts indexed in {site}")
        for sessions in sorted(set(options.sessions)):
            with served(site, work / f"serve-{sessions}.log", options.server_env) as server:
                for situation in ("fresh", "warm"):
                    run = asyncio.run(crowd(server, situation, sessions, options))
                    if situation == "fresh":
                        run.engine_load_s = server.engine_load_s()
                    result.runs.append(run)
                    log(summary(run))
    finally:
        if options.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def prepare_site(folder: Path) -> Path:
    """Corpus and data folders holding the evaluation corpus, indexed (its vectors from the committed file)."""
    from assistant.config import Settings
    from assistant.embedders import embeddings_cache_path
    from assistant.embedding_cache import EmbeddingCache
    from assistant.engine import Engine
    from assistant.evaluation import fixture_embeddings

    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    fixtures = REPOSITORY / "eval" / "fixtures"
    for post in [*(REPOSITORY / "corpus").glob("*.md"), *fixtures.glob("*.md")]:
        shutil.copy(post, corpus / post.name)
    settings = Settings(data_dir=folder / "data", corpus_dir=corpus, chroma_host=None)
    cache = EmbeddingCache(embeddings_cache_path(settings))
    try:
        fixture_embeddings.seed(cache, fixture_embeddings.beside(fixtures))
    finally:
        cache.close()
    with Engine(settings) as engine:
        report = engine.ingest(prune=True)
    if report.errors:
        raise report.errors[0]
    return folder


class Server:
    """A running ``assistant serve`` and where its output goes."""

    def __init__(self, process: subprocess.Popen, url: str, log_path: Path):
        self.process = process
        self.url = url
        self.log_path = log_path

    def cpu_s(self) -> float | None:
        return process_cpu_s(self.process.pid)

    def engine_load_s(self, wait_s: float = 30.0) -> float | None:
        """The engine's load time as the server logged it (None if it said nothing within ``wait_s``)."""
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            found = ENGINE_READY.search(self.log_path.read_text(encoding="utf-8", errors="replace"))
            if found:
                return float(found.group(1))
            time.sleep(0.2)
        return None


@contextmanager
def served(site: Path, log_path: Path, extra_env: dict[str, str]) -> Iterator[Server]:
    """``assistant serve`` on ``site`` on a free port, from the moment it answers its health check until the block
    ends; its output goes to ``log_path``."""
    port = _free_port()
    command = [*_assistant_command(), "serve", "--port", str(port)]
    command += ["--data-dir", str(site / "data"), "--corpus-dir", str(site / "corpus")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")} | extra_env
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    with log_path.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            server = Server(process, f"http://127.0.0.1:{port}", log_path)
            started = time.perf_counter()
            while not _healthy(f"{server.url}/_stcore/health"):
                if process.poll() is not None or time.perf_counter() - started > SERVER_START_TIMEOUT_S:
                    raise RuntimeError(f"assistant serve did not start: {log_path.read_text()[-500:]}")
                time.sleep(0.02)
            yield server
        finally:
            stop_process(process)


async def crowd(server: Server, situation: str, sessions: int, options: WebBenchOptions) -> CrowdRun:
    """``sessions`` new tabs arriving at once, each asking its own questions; what they saw and what it cost."""
    load = [round(x, 2) for x in os.getloadavg()]
    limits = httpx.Limits(max_connections=2 * sessions)
    async with httpx.AsyncClient(timeout=options.timeout_s, limits=limits, trust_env=False) as http:
        tabs = [
            BrowserTab(
                server.url,
                questions_for(index, options.questions),
                http=http,
                think_s=options.think_s,
                timeout_s=options.timeout_s,
                first_visit=options.first_visit,
            )
            for index in range(sessions)
        ]
        server_cpu, own_cpu = server.cpu_s(), _own_cpu_s()
        arrived = time.perf_counter()
        results = await asyncio.gather(*(tab.run(arrived) for tab in tabs))
        seconds = time.perf_counter() - arrived
        own_cpu = _own_cpu_s() - own_cpu
        server_now = server.cpu_s()
    return CrowdRun(
        situation=situation,
        sessions=sessions,
        tabs=list(results),
        seconds=round(seconds, 2),
        generator_cpu=round(own_cpu / seconds, 3),
        server_cpu=round((server_now - server_cpu) / seconds, 3)
        if server_cpu is not None and server_now is not None
        else None,
        load=load,
    )


def questions_for(tab: int, count: int) -> list[str]:
    """A tab's own questions: different from each other, and spread over the list across tabs."""
    return [
        QUESTIONS[(tab * count + offset) % len(QUESTIONS)] for offset in range(min(count, len(QUESTIONS)))
    ]


def process_cpu_s(pid: int) -> float | None:
    """User and system CPU seconds of a process so far (Linux's /proc), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---- figures and the report -----------------------------------------------------------------------------------


def figures(run: CrowdRun) -> dict[str, object]:
    """The row of one crowd: medians, maxima and percentiles over its tabs."""
    inputs = [t.input_s for t in run.tabs if t.input_s is not None]
    answers = [s for t in run.tabs for s in t.answers_s]
    return {
        "situation": run.situation,
        "sessions": run.sessions,
        "input_median_s": _round(statistics.median(inputs)) if inputs else None,
        "input_max_s": _round(max(inputs)) if inputs else None,
        "inputs_missing": sum(t.input_s is None for t in run.tabs),
        "answered": len(answers),
        "asked": sum(t.asked for t in run.tabs),
        "planned": sum(len(t.answers_s) + len(t.lost) for t in run.tabs),
        "answer_p50_s": _round(percentile(answers, 50)),
        "answer_p95_s": _round(percentile(answers, 95)),
        "first_answer_s": _round(min((t.input_s or 0) + t.answers_s[0] for t in run.tabs if t.answers_s))
        if answers
        else None,
        "lost": sum(len(t.lost) for t in run.tabs),
        "errors": sum(len(t.errors) for t in run.tabs),
        "engine_load_s": run.engine_load_s,
        "generator_cpu": run.generator_cpu,
        "server_cpu": run.server_cpu,
        "load": run.load,
        "seconds": run.seconds,
    }


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile, nearest rank (so with few values it is one of them)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary(run: CrowdRun) -> str:
    row = figures(run)
    return (
        f"{row['situation']} x{row['sessions']}: chat input {row['input_median_s']} / {row['input_max_s']} s, "
        f"{row['answered']}/{row['asked']} answered, p50/p95 {row['answer_p50_s']} / {row['answer_p95_s']} s, "
        f"{row['lost']} lost, {row['errors']} errors, engine {row['engine_load_s']} s, "
        f"generator {row['generator_cpu']:.0%} server {row['server_cpu'] or 0:.0%} CPU, load {row['load']}"
    )


TABLE_HEADER = (
    "| situation | sessions | chat input median / max s | answers | answer p50 / p95 s | lost | errors "
    "| engine load s | first answer s | server / generator CPU | load average |\n"
    "|---|---:|---|---|---|---:|---:|---:|---:|---|---|"
)


def markdown_table(result: WebBenchResult) -> str:
    rows = [TABLE_HEADER]
    for run in result.runs:
        row = figures(run)
        missing = f" ({row['inputs_missing']} never)" if row["inputs_missing"] else ""
        rows.append(
            f"| {row['situation']} | {row['sessions']} | {_s(row['input_median_s'])} / {_s(row['input_max_s'])}"
            f"{missing} | {row['answered']} / {run.sessions * result.options['questions']} "
            f"| {_s(row['answer_p50_s'])} / {_s(row['answer_p95_s'])} | {row['lost']} | {row['errors']} "
            f"| {_s(row['engine_load_s'])} | {_s(row['first_answer_s'])} "
            f"| {_share(row['server_cpu'])} / {_share(row['generator_cpu'])} "
            f"| {' '.join(f'{x:.2f}' for x in row['load'])} |"
        )
    return "\n".join(rows)


def markdown_report(result: WebBenchResult) -> str:
    machine, options = result.machine, result.options
    visit = (
        "a first visit (every tab fetches the page's scripts)" if options["first_visit"] else "cached scripts"
    )
    pace = f"{options['think_s']:g} s after" if options["think_s"] else "as soon as"
    lines = [
        "# Kompas web app under a crowd",
        "",
        f"{machine['date']}, {machine['cpus']} cores, Python {machine['python']}; {visit}; "
        f"{options['questions']} questions per session, the first {pace} the chat input shows, each next one "
        f"{pace} the answer before it shows; {len(QUESTIONS)} different questions spread over the sessions. "
        "Times from the crowd's arrival; CPU as a share of one core over the crowd's wall time; load average as "
        f"the crowd arrived. `assistant bench --web` (took {result.seconds:.0f} s).",
        "",
        markdown_table(result),
    ]
    for title, kind in (("Errors", "errors"), ("Other warnings on the page", "warnings")):
        seen = sorted({e for run in result.runs for tab in run.tabs for e in getattr(tab, kind)})
        if seen:
            lines += ["", f"{title}:", "", *(f"- {e}" for e in seen[:20])]
    return "\n".join(lines) + "\n"


def write_reports(result: WebBenchResult, folder: Path) -> dict[str, Path]:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    paths = {"md": folder / "web.md", "json": folder / "web.json"}
    paths["md"].write_text(markdown_report(result), encoding="utf-8")
    data = asdict(result)
    data["figures"] = [figures(run) for run in result.runs]
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths


def _options_json(options: WebBenchOptions) -> dict[str, object]:
    data = asdict(options)
    data["work_dir"] = str(options.work_dir) if options.work_dir else None
    return data


def _machine() -> dict[str, object]:
    import platform

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _s(value: object) -> str:
    return "–" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
