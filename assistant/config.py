"""The one configuration object: ``ASSISTANT_*`` environment variables, a ``.env`` file, then defaults.

Nothing else in the package reads the environment; front ends build a ``Settings`` and pass it down.

    settings = Settings(data_dir="/tmp/kompas")   # explicit values win over env and .env
    settings = load_settings()                      # the same, with a bad value reported as a ConfigError
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

# What the blog is about, in a few phrases (Dutch and English, as leaders ask in both): a question far from all of
# them and from everything the posts say is refused (see relevance.py). Another coach's blog has another field.
BLOG_FIELD = """\
Leidinggeven aan een school: de schoolleider, directeur of teamleider en het team.
Samenwerken met leraren en collega's: vertrouwen, feedback, overleg, vergaderingen en conflicten.
Contact met ouders, leerlingen, het bestuur en de inspectie.
Het werk en de organisatie van een school: onderwijs, personeel, roosters, geld, regels en beleid.
De eigen rol van de leider: keuzes maken, veranderingen leiden, werkdruk, groei en welzijn.
Leading a school: the school leader, principal or team leader and the team.
Working with teachers and colleagues: trust, feedback, consultation, meetings and conflicts.
Dealing with parents, pupils, the school board and the inspectorate.
The work and organisation of a school: education, staff, timetables, money, rules and policy.
The leader's own role: making choices, leading change, workload, growth and wellbeing."""


class Settings(BaseSettings):
    """Everything that can be configured, with the defaults a fresh machine needs (no key, no network)."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    corpus_dir: Path = Field(Path("corpus"), description="Folder of posts: the source of truth.")
    data_dir: Path = Field(Path("data"), description="Index, lock, generation stamp and app state.")
    embedder: str = Field("e5-small", description="e5-small | openai:<model> | fastembed:<model>")
    dictionary_dir: Path = Field(
        Path("/usr/share/dictd"),
        description="Where FreeDict's English-Dutch dictionaries are (Debian: dict-freedict-eng-nld, "
        "dict-freedict-nld-eng); without them English questions are translated only into the posts' nearest words.",
    )

    chroma_host: str | None = Field(None, description="Use a Chroma server instead of the embedded folder.")
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_token: SecretStr | None = Field(None, description="Token for a Chroma server with auth on.")
    collection_prefix: str = Field("kompas", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,40}$")

    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ASSISTANT_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("ASSISTANT_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model for written answers.")
    llm_timeout_s: float = Field(30.0, gt=0)
    llm_passages: int = Field(15, ge=1, le=40, description="Passages the LLM is given to answer from.")

    max_post_bytes: int = Field(2_000_000, gt=0, description="Largest post file accepted.")
    max_post_words: int = Field(30_000, gt=0, description="Longest post accepted, in words.")
    lock_timeout_s: float = Field(120.0, gt=0, description="How long a writer waits for the index lock.")
    embed_batch_size: int = Field(
        16, gt=0, description="Texts per call to the embedder (and per step of the progress bar)."
    )
    # Chroma refuses a call with more records than its max_batch_size (5461 for the embedded store).
    index_batch_size: int = Field(
        1000, gt=0, le=5000, description="Records per call to Chroma when the index reads or writes many."
    )

    admin_password: SecretStr | None = Field(
        None,
        description="Password of the coach's page (Beheer) in the web app; unset, the page stays closed.",
    )
    max_upload_bytes: int = Field(2_000_000, gt=0, description="Largest file the coach's page accepts.")
    max_upload_files: int = Field(10, gt=0, description="Most files the coach's page takes in one upload.")
    login_attempts_per_minute: int = Field(
        20,
        gt=0,
        description="Login attempts on the coach's page per minute from one client, all its browser sessions "
        "together.",
    )
    login_attempts_per_session: int = Field(
        5, gt=0, description="Login attempts on the coach's page per minute from one browser session."
    )
    login_hours: float = Field(
        12, gt=0, le=24 * 30, description="How long the coach stays logged in (the login cookie's lifetime)."
    )
    login_secret: SecretStr | None = Field(
        None,
        description="Signs the coach's login cookie; unset, a random one is kept in the data folder. Give app "
        "instances behind one address the same one.",
    )

    allow_private_urls: bool = Field(
        False,
        description="Let `assistant add URL` and `assistant sync` fetch addresses on loopback, private, "
        "link-local and cloud-metadata networks (off: only the public internet; the tests turn it on).",
    )
    fetch_timeout_s: float = Field(
        20.0,
        gt=0,
        description="Longest a fetch of one page, feed or sitemap may take, all redirects included.",
    )
    max_listing_bytes: int = Field(
        50_000_000, gt=0, description="Largest feed, sitemap or WordPress export accepted."
    )

    max_question_chars: int = Field(1000, gt=0, description="Longest question answered.")
    blog_field: str = Field(
        BLOG_FIELD,
        description="What the blog is about: phrases, one per line or separated by ';'. Questions far from "
        "all of them and from the posts are refused.",
    )
    max_answer_tokens: int = Field(500, gt=0, description="Longest answer the LLM may write, in tokens.")
    questions_per_minute: int = Field(
        10, gt=0, description="Questions one browser session may ask per minute."
    )

    log_retention_days: int = Field(
        90,
        ge=0,
        description="Days the question log (questions and feedback) is kept; older entries are deleted. "
        "0 turns the log off: nothing is recorded and what was recorded is deleted.",
    )

    @field_validator("blog_field")
    @classmethod
    def _some_phrase(cls, value: str) -> str:
        if not field_phrases(value):
            raise ValueError("describe the blog's field in at least one phrase")
        return value

    @field_validator("embedder")
    @classmethod
    def _known_embedder_family(cls, value: str) -> str:
        if value != "e5-small" and not value.startswith(("openai:", "fastembed:")):
            raise ValueError(f"unknown embedder {value!r}: use e5-small, openai:<model> or fastembed:<model>")
        return value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None


def field_phrases(description: str) -> list[str]:
    """The phrases of a field's description (``blog_field``): one per line, or separated by semicolons."""
    return [phrase.strip() for phrase in re.split(r"[;\n]", description) if phrase.strip()]


def load_settings(**values: object) -> Settings:
    """``Settings(**values)`` for the front ends: a value that does not validate becomes a ``ConfigError`` that
    names its variable and says what is accepted, one line instead of pydantic's report."""
    try:
        return Settings(**values)
    except ValidationError as error:
        raise ConfigError("; ".join(_describe(problem) for problem in error.errors())) from None


def _describe(problem: dict) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] != "value_error":  # our validators name the value themselves; pydantic's do not
        message += f" (got {problem['input']!r})"
    if not problem["loc"]:
        return message
    field = str(problem["loc"][0]).upper()  # a field, or an alias that is already a variable's name
    variable = field if field.startswith(("ASSISTANT_", "OPENAI_")) else f"ASSISTANT_{field}"
    return f"{variable}: {message}"
