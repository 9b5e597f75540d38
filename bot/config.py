"""The operator's one file, `config.yaml`, validated with every default stated here.

Errors name the key path and the YAML line (``feeds[2].interval: must be a duration like 5m
(line 31)``) because an operator editing a long file needs to know where to look.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from bot.config_messages import LineMap, validation_problems, yaml_problem
from bot.config_topics import TopicConfig
from bot.config_types import FROM_FILE, ConfigModel, Duration, OptionalDuration
from bot.errors import ConfigError
from classifiers.base import TopicRule

DEFAULT_CONFIG_ENV = "TOPICBOT_CONFIG"
#: Overrides `storage.url` (a PostgreSQL password belongs in the environment, not the file).
STORAGE_URL_ENV = "TOPICBOT_STORAGE_URL"
DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"


class FeedConfig(ConfigModel):
    name: str = Field(min_length=1)
    url: str
    #: How often the feed is polled.
    interval: Duration = 300.0
    #: Force a charset when an outlet declares the wrong one (`windows-1252`).
    charset: str | None = None
    enabled: bool = True
    #: Alert on the items already in the feed the first time it is polled (default: no).
    alert_on_first_poll: bool | None = None
    #: Fetch each new item's web page and extract its main text (for headline-only feeds
    #: such as DR's), within the same size and time limits as feeds.
    full_text: bool = False

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError("must be an http:// or https:// URL")
        return v

    @field_validator("charset")
    @classmethod
    def _known_charset(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            return codecs.lookup(v).name
        except LookupError:
            raise ValueError(f"unknown charset {v!r}") from None


class FolderConfig(ConfigModel):
    path: Path
    name: str | None = None
    glob: str = "*.txt"
    interval: Duration = 60.0
    enabled: bool = True

    @property
    def source_name(self) -> str:
        return self.name or f"folder:{self.path.name}"


class FetchConfig(ConfigModel):
    connect_timeout: Duration = 10.0
    read_timeout: Duration = 20.0
    #: Whole-request deadline, so a server trickling bytes cannot hold a poll forever.
    total_timeout: Duration = 60.0
    #: Cap on the decoded body; larger feeds are refused.
    max_bytes: int = Field(default=10_000_000, gt=0)
    max_redirects: int = Field(default=5, ge=0)
    #: Feeds fetched at once.
    concurrency: int = Field(default=20, gt=0)
    #: Processes that parse the documents of feeds polled for the first time (0: a thread).
    #: A first start with thousands of new feeds is bound by feedparser's CPU.
    parse_workers: int = Field(default=0, ge=0)
    #: Where a site's operator can read who we are; part of the default User-Agent.
    contact_url: str = "https://github.com/topicbot/topicbot"
    #: Default: ``topicbot/0.1 (+<contact_url>; Danish news alerts)``. A custom one must name
    #: topicbot: robots.txt groups for topicbot are matched on it.
    user_agent: str = ""
    #: Longest wait between retries of a failing feed (backoff doubles up to this).
    max_backoff: Duration = 6 * 3600.0
    #: Fetch targets on loopback, private, link-local and other internal addresses for feed
    #: content (item pages, redirects). Off by default: whoever writes a feed's items could
    #: otherwise make the bot read the network it runs in (cloud metadata at 169.254.169.254,
    #: admin pages on 127.0.0.1, intranet hosts) and put what it finds into alerts. Turn on
    #: only when every feed and every site its items link to is trusted (an intranet install).
    #: The feed URLs written in `feeds:` are always fetched as written.
    allow_private_networks: bool = False
    #: Pause between two full-text page requests to one host (one request at a time per host);
    #: a robots.txt Crawl-delay that is longer wins.
    page_pause: OptionalDuration = 1.0

    @field_validator("contact_url")
    @classmethod
    def _contact_is_url(cls, v: str) -> str:
        if not re.match(r"^(https?://|mailto:)\S+$", v):
            raise ValueError("must be an http(s):// or mailto: URL")
        return v

    @model_validator(mode="after")
    def _user_agent_names_us(self) -> FetchConfig:
        if not self.user_agent:
            ua = f"topicbot/0.1 (+{self.contact_url}; Danish news alerts)"
            object.__setattr__(self, "user_agent", ua)
        elif "topicbot" not in self.user_agent.lower():
            raise ValueError("user_agent must name topicbot (robots.txt rules are matched on it)")
        return self


class StorageConfig(ConfigModel):
    #: SQLite file; relative paths are resolved against the config file's folder.
    path: Path = Path("data/topicbot.sqlite3")
    #: The database as a URL, instead of `path`: ``sqlite:///data/topicbot.sqlite3`` or
    #: ``postgresql://user@host:5432/db`` (several topicbot processes on one database).
    #: $TOPICBOT_STORAGE_URL overrides it.
    url: str | None = None
    #: PostgreSQL: how long a process holds a feed it polls; when a process dies mid-poll,
    #: another one polls the feed after this (longer than fetch.total_timeout).
    poll_lease: Duration = 120.0

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.strip()
        if v.startswith(("postgresql://", "postgres://")):
            return v
        if v.startswith("sqlite:///") and len(v) > len("sqlite:///"):
            return v
        raise ValueError("must be sqlite:///path/to/file or postgresql://user@host:port/db")


class TelegramConfig(ConfigModel):
    #: Name of the environment variable holding the bot token (never the token itself).
    token_env: str = "TOPICBOT_TELEGRAM_TOKEN"
    #: Bot API server; change it for a self-hosted Bot API server.
    api_url: str = DEFAULT_TELEGRAM_API
    #: Chat ids allowed to use operator commands (/status, /reload).
    admins: list[int] = []
    #: Language for new chats (`da` or `en`).
    default_language: Literal["da", "en"] = "da"
    #: HTTP client for Bot API calls: `lean` (topicbot's keep-alive client, ~4x less CPU per
    #: alert) or `httpx` (PTB's default). With a proxy in the environment httpx is used.
    http_client: Literal["lean", "httpx"] = "lean"
    #: Send alerts as paid broadcasts (Bot API 7.11 `allow_paid_broadcast`): up to 1,000
    #: messages per second instead of 30, charged in Telegram Stars (README).
    paid_broadcast: bool = False

    @field_validator("token_env")
    @classmethod
    def _not_a_token(cls, v: str) -> str:
        if re.match(r"^\d+:[A-Za-z0-9_-]{20,}$", v):
            raise ValueError("holds a bot token; put the token in the environment instead")
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", v):
            raise ValueError("must be the name of an environment variable, like TOPICBOT_TOKEN")
        return v

    def token(self) -> str | None:
        value = os.environ.get(self.token_env, "").strip()
        return value or None


class ClassifierConfig(ConfigModel):
    #: `hybrid` (model and keyword rules combined), `model` or `keywords`.
    mode: Literal["hybrid", "model", "keywords"] = "hybrid"
    #: Trained model file; created at first start from the shipped seed examples.
    model_path: Path = Path("data/model.skops")
    #: How often the model is retrained from stored articles (0 turns it off).
    retrain_interval: OptionalDuration = 86400.0
    #: Fewest stored articles before retraining from them is worth it.
    retrain_min_articles: int = Field(default=500, ge=0)
    #: Languages (ISO 639-1) the model was trained for and may judge on its own; in any other
    #: language only keyword rules alert (Norwegian and Swedish read like Danish to the model).
    languages: list[str] = Field(default=["da"], min_length=1)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, v: list[str]) -> list[str]:
        cleaned = [c.strip().lower() for c in v]
        bad = [c for c in cleaned if not re.fullmatch(r"[a-z]{2,3}", c)]
        if bad:
            raise ValueError(f"not ISO 639-1 language codes: {', '.join(bad)}")
        return cleaned


class AlertsConfig(ConfigModel):
    #: Alert on items already present the first time a feed is polled.
    alert_on_first_poll: bool = False
    #: Alerts are not sent for articles published longer ago than this.
    max_age: Duration = 3 * 86400.0


class OpsConfig(ConfigModel):
    """The optional operations endpoint (/healthz, /metrics), off unless enabled."""

    enabled: bool = False
    #: Loopback by default: metrics are not for the internet.
    host: str = "127.0.0.1"
    port: int = Field(default=9464, ge=0, le=65535)
    #: /healthz fails when no source has been polled successfully for this long.
    stale_after: Duration = 3600.0


class Config(ConfigModel):
    topics: list[TopicConfig] = Field(min_length=1)
    feeds: list[FeedConfig] = []
    folders: list[FolderConfig] = []
    fetch: FetchConfig = FetchConfig()
    storage: StorageConfig = StorageConfig()
    telegram: TelegramConfig = TelegramConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    alerts: AlertsConfig = AlertsConfig()
    ops: OpsConfig = OpsConfig()
    #: Where the file was read from; relative paths resolve against its folder.
    base_dir: Path = Path(".")

    @model_validator(mode="after")
    def _unique(self) -> Config:
        problems = []
        for label, names in (
            ("topics", [t.id.casefold() for t in self.topics]),
            ("feeds", [f.name for f in self.feeds]),
        ):
            seen: set[str] = set()
            for i, n in enumerate(names):
                if n in seen:
                    problems.append(f"{label}[{i}]: duplicate {n!r}")
                seen.add(n)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def topic_names(self, language: str) -> dict[str, str]:
        """Topic id -> display name in `language`, in the configured order."""
        return {t.id: t.display_name(language) for t in self.topics}

    def topic_rules(self) -> tuple[TopicRule, ...]:
        return tuple(
            TopicRule(
                id=t.id,
                keywords=tuple(t.keywords),
                exclude=tuple(t.exclude),
                related=tuple(t.related),
                others=tuple(t.others),
                model_alone=t.model_alone,
                related_pair_alerts=t.related_pair_alerts,
                named_once=tuple(t.named_once),
                until=tuple(t.until.items()),
                since=tuple(t.since.items()),
            )
            for t in self.topics
        )

    def topic(self, topic_id: str) -> TopicConfig | None:
        for t in self.topics:
            if t.id == topic_id:
                return t
        return None

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.base_dir / path)

    @property
    def postgres_url(self) -> str | None:
        """The PostgreSQL database, or None for SQLite."""
        url = self.storage.url
        return url if url and url.startswith(("postgresql://", "postgres://")) else None

    @property
    def db_path(self) -> Path:
        """The SQLite file (`storage.url` ``sqlite:///…`` or `storage.path`)."""
        url = self.storage.url
        if url and url.startswith("sqlite:///"):
            return self.resolve(Path(url.removeprefix("sqlite:///")))
        return self.resolve(self.storage.path)

    @property
    def store_url(self) -> str:
        """What `Store.open` opens: the PostgreSQL URL, else the SQLite file."""
        return self.postgres_url or str(self.db_path)

    def database_exists(self) -> bool:
        """False for a SQLite file not created yet (read-only commands must not create it);
        a PostgreSQL database is asked when opened."""
        return self.postgres_url is not None or self.db_path.exists()

    @property
    def model_path(self) -> Path:
        return self.resolve(self.classifier.model_path)


# --- loading -------------------------------------------------------------------------------


def parse_config(text: str, *, source: str = "config.yaml", base_dir: Path | None = None) -> Config:
    """Validate YAML text; raises ConfigError listing every problem with key path and line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([yaml_problem(exc)], source) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(["(top level): must be a mapping of settings"], source)
    if "base_dir" in data:
        raise ConfigError(["base_dir: is not a setting"], source)
    lines = LineMap(root)
    if env_url := os.environ.get(STORAGE_URL_ENV, "").strip():
        storage = data.get("storage")
        storage = storage if isinstance(storage, dict) else {}
        data = {**data, "storage": {**storage, "url": env_url}}
    try:
        return Config.model_validate(
            {**data, "base_dir": base_dir or Path(".")}, context={FROM_FILE: True}
        )
    except ValidationError as exc:
        raise ConfigError(validation_problems(exc, lines), source) from None


def default_config_path() -> Path:
    return Path(os.environ.get(DEFAULT_CONFIG_ENV) or "config.yaml")


def load_config(path: Path | str | None = None) -> Config:
    """Read and validate the config file (default: $TOPICBOT_CONFIG or ./config.yaml)."""
    p = Path(path) if path else default_config_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"no config file at {p} (pass --config PATH)"], str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read: {exc}"], str(p)) from None
    return parse_config(text, source=str(p), base_dir=p.resolve().parent)
