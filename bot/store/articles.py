"""Articles seen, their topic scores, and per-source state."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from bot.article import Article, normalise_link
from bot.identity import link_keys, stored_link
from bot.sources.base import SourceState
from bot.store.backend import Connection, Row
from bot.store.base import StoreBase, from_iso, to_iso
from classifiers.base import TopicScore

#: `Backend.lock_keys` topic of the links articles are known by.
LINK_LOCKS = "article link"


def row_to_article(row: Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        link=row["link"],
        published=from_iso(row["published"]),
        fetched_at=from_iso(row["fetched_at"]) or datetime.min,
        version=row["version"],
        language=row["language"],
    )


def _row_to_state(r: Row) -> SourceState:
    return SourceState(
        etag=r["etag"],
        last_modified=r["last_modified"],
        failures=r["failures"],
        next_attempt=from_iso(r["next_attempt"]),
        last_success=from_iso(r["last_success"]),
        last_error=r["last_error"],
        last_error_at=from_iso(r["last_error_at"]),
        polled_before=bool(r["polled_before"]),
        last_items=r["last_items"],
        guids_unreliable=bool(r["guids_unreliable"]),
        moved_from=r["moved_from"],
        moved_to=r["moved_to"],
        gone_url=r["gone_url"],
        gone_at=from_iso(r["gone_at"]),
    )


def _same_article(article: Article, owners: Iterable[tuple[str, str]]) -> bool:
    """A stored article known by the same link is this one, unless both carry guids of one
    feed that differ: the feed itself says they are different items."""
    mine = article.id.startswith("guid:")
    return any(
        not (mine and source == article.source and aid.startswith("guid:"))
        for source, aid in owners
    )


class ArticleMixin(StoreBase):
    # --- source state ---------------------------------------------------------------------

    def source_state(self, source: str) -> SourceState:
        rows = self._query("SELECT * FROM source_state WHERE source = ?", (source,))
        return _row_to_state(rows[0]) if rows else SourceState()

    def all_source_states(self) -> dict[str, SourceState]:
        rows = self._query("SELECT * FROM source_state ORDER BY source")
        return {r["source"]: _row_to_state(r) for r in rows}

    @staticmethod
    def _save_state(conn: Connection, source: str, s: SourceState) -> None:
        conn.execute(
            """INSERT INTO source_state (source, etag, last_modified, failures, next_attempt,
                   last_success, last_error, last_error_at, polled_before, last_items,
                   guids_unreliable, moved_from, moved_to, gone_url, gone_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(source) DO UPDATE SET etag=excluded.etag,
                   last_modified=excluded.last_modified, failures=excluded.failures,
                   next_attempt=excluded.next_attempt, last_success=excluded.last_success,
                   last_error=excluded.last_error, last_error_at=excluded.last_error_at,
                   polled_before=excluded.polled_before, last_items=excluded.last_items,
                   guids_unreliable=excluded.guids_unreliable,
                   moved_from=excluded.moved_from, moved_to=excluded.moved_to,
                   gone_url=excluded.gone_url, gone_at=excluded.gone_at""",
            (
                source,
                s.etag,
                s.last_modified,
                s.failures,
                to_iso(s.next_attempt),
                to_iso(s.last_success),
                s.last_error,
                to_iso(s.last_error_at),
                int(s.polled_before),
                s.last_items,
                int(s.guids_unreliable),
                s.moved_from,
                s.moved_to,
                s.gone_url,
                to_iso(s.gone_at),
            ),
        )

    @staticmethod
    def _existing(conn: Connection, column: str, values: list[str]) -> set[str]:
        """Which of `values` are already stored in `column` (indexed), in few queries."""
        found: set[str] = set()
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            sql = f"SELECT {column} FROM articles WHERE {column} IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in conn.execute(sql, chunk))
        return found

    def save_source_state(self, source: str, state: SourceState) -> None:
        with self._tx() as conn:
            self._save_state(conn, source, state)

    # --- articles -------------------------------------------------------------------------

    def record_articles(
        self,
        articles: Sequence[Article],
        *,
        source: str | None = None,
        state: SourceState | None = None,
        suppress: str | Callable[[Article], str | None] | None = None,
    ) -> list[Article]:
        """Insert unseen articles and the source's new state in one transaction.

        Returns the articles that were new. An article is seen when its id is known, or when
        another article is known by one of its link keys (one story in two feeds of an outlet;
        `bot.identity`). `suppress` records them as not to be alerted, with the reason (e.g. the
        first poll of a new feed), for all of them or per article.
        """
        with self._tx() as conn:
            new = self._unseen(conn, articles)
            if new and self._backend.shared:
                # Another process may be recording one of them under another id (its link in
                # another feed) right now: wait for it by link, then read again.
                self._backend.lock_keys(conn, LINK_LOCKS, [k for a in new for k in link_keys(a)])
                new = self._unseen(conn, new)
            upgraded = self._upgrade_pass(conn, source, articles, new) if source else set()

            def reason(a: Article) -> str | None:
                why = suppress(a) if callable(suppress) else suppress
                return "identity_upgrade" if a.id in upgraded and why != "first_poll" else why

            rows = [
                (
                    a.id,
                    a.source,
                    a.title,
                    a.text,
                    a.link,
                    stored_link(a),
                    to_iso(a.published),
                    to_iso(a.fetched_at),
                    a.version,
                    reason(a),
                )
                for a in new
            ]
            inserted = self._backend.insert_new(
                conn,
                """INSERT INTO articles (id, source, title, text, link, link_norm, published,
                       fetched_at, version, processed, suppressed)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING""",
                rows,
                key="id",
            )
            if len(inserted) < len(new):  # another process recorded some of them just now
                new = [a for a in new if a.id in inserted]
            if source is not None and state is not None:
                self._save_state(conn, source, state)
        return new

    def unseen(self, articles: Sequence[Article]) -> list[Article]:
        """The articles `record_articles` would insert (read-only; nothing is recorded)."""
        with self._backend.connection() as conn:
            return self._unseen(conn, articles)

    def _unseen(self, conn: Connection, articles: Sequence[Article]) -> list[Article]:
        """Unseen by id or link key, and each only once within `articles`."""
        keys = {a.id: link_keys(a) for a in articles}
        seen_ids = self._existing(conn, "id", list(keys))
        owners = self._link_owners(conn, list({k for ks in keys.values() for k in ks}))
        out = []
        for a in articles:
            if a.id in seen_ids or any(_same_article(a, owners.get(k, ())) for k in keys[a.id]):
                continue
            seen_ids.add(a.id)
            for k in keys[a.id]:
                owners.setdefault(k, []).append((a.source, a.id))
            out.append(a)
        return out

    @staticmethod
    def _link_owners(conn: Connection, keys: list[str]) -> dict[str, list[tuple[str, str]]]:
        """(source, id) of the stored articles known by each of `keys`."""
        found: dict[str, list[tuple[str, str]]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            sql = (
                "SELECT link_norm, source, id FROM articles "
                f"WHERE link_norm IN ({','.join('?' * len(chunk))})"
            )
            for key, source, aid in conn.execute(sql, chunk):
                found.setdefault(key, []).append((source, aid))
        return found

    def _upgrade_pass(
        self,
        conn: Connection,
        source: str,
        articles: Sequence[Article],
        new: Sequence[Article],
    ) -> set[str]:
        """Ids of `new` articles the release before `bot.identity` would have taken as seen.

        Runs once per source, on its first parsed document after the upgrade (the migration
        marks every source it found): items that release collapsed were never alerted, so
        storing them now must not alert either, or an unchanged feed would. An item published
        after that source's last poll before the upgrade is news all the same.
        """
        row = conn.execute(
            "SELECT identity_upgrade_pending, last_success FROM source_state WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None or not row[0] or not articles:
            return set()
        conn.execute(
            "UPDATE source_state SET identity_upgrade_pending = 0 WHERE source = ?", (source,)
        )
        before = from_iso(row[1])
        old_ids = {a.id: f"guid:{source}:{a.guid}" for a in new if a.guid}
        old_ids |= {a.id: f"link:{normalise_link(a.link)}" for a in new if not a.guid and a.link}
        bare = {a.id: normalise_link(a.link) for a in new if a.link}
        known_ids = self._existing(conn, "id", list(set(old_ids.values())))
        known_links = self._existing(conn, "link_norm", list(set(bare.values())))
        return {
            a.id
            for a in new
            if (old_ids.get(a.id) in known_ids or bare.get(a.id) in known_links)
            and not (a.published and before and a.published > before)
        }

    def mark_processed(self, article_ids: Sequence[str]) -> None:
        """Processed with no scores and no alerts (a new feed's backlog)."""
        with self._tx() as conn:
            conn.executemany(
                "UPDATE articles SET processed = 1 WHERE id = ?", [(i,) for i in article_ids]
            )

    def unprocessed_articles(self, limit: int = 10_000) -> list[tuple[Article, str | None]]:
        """Articles recorded but not yet classified and matched, oldest first."""
        rows = self._query(
            "SELECT * FROM articles WHERE processed = 0 ORDER BY rowid LIMIT ?", (limit,)
        )
        return [(row_to_article(r), r["suppressed"]) for r in rows]

    def get_article(self, article_id: str) -> Article | None:
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        return row_to_article(rows[0]) if rows else None

    def article_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM articles")[0][0])

    def article_topics(self, article_id: str) -> list[TopicScore]:
        rows = self._query(
            "SELECT * FROM article_topics WHERE article_id = ? ORDER BY topic", (article_id,)
        )
        return [
            TopicScore(
                topic=r["topic"],
                score=r["score"],
                matched=bool(r["matched"]),
                reasons=tuple(json.loads(r["reasons"])),
            )
            for r in rows
        ]

    def iter_articles(self, limit: int | None = None) -> Iterable[Article]:
        """Stored articles for retraining, newest last; the newest `limit` when given (read
        as such, not all of them and then cut)."""
        if limit is None:
            rows = self._query("SELECT * FROM articles ORDER BY rowid")
        else:
            newest = self._query("SELECT * FROM articles ORDER BY rowid DESC LIMIT ?", (limit,))
            rows = newest[::-1]
        for row in rows:
            yield row_to_article(row)

    def write_scores(self, conn: Connection, article_id: str, scores: Iterable[TopicScore]) -> None:
        conn.executemany(
            """INSERT INTO article_topics (article_id, topic, score, matched, reasons)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (article_id, topic) DO UPDATE SET score = excluded.score,
                   matched = excluded.matched, reasons = excluded.reasons""",
            [
                (article_id, s.topic, float(s.score), int(s.matched), json.dumps(list(s.reasons)))
                for s in scores
            ],
        )
