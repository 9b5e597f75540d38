from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config, parse_config
from bot.config_types import parse_duration
from bot.errors import ConfigError

TOPICS = """\
topics:
  - id: NATO
    name: {da: NATO, en: NATO}
    keywords: [nato]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.problems


def test_shipped_config_is_valid() -> None:
    config = load_config(Path(__file__).resolve().parents[1] / "config.yaml")
    assert [t.id for t in config.topics] == ["NATO", "COVID-19", "Afghanistan"]
    assert {"DR Seneste nyt", "Politiken", "Berlingske"} <= {f.name for f in config.feeds}
    assert config.db_path.is_absolute()


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("30s", 30.0), ("5m", 300.0), ("1h30m", 5400.0), ("2d", 172800.0)],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


def test_problem_names_key_path_and_line() -> None:
    text = TOPICS + (
        "feeds:\n"
        "  - name: DR\n"
        "    url: https://www.dr.dk/rss\n"
        "  - name: TV 2\n"
        "    url: https://feeds.tv2.dk/rss\n"
        "  - name: Politiken\n"
        "    url: https://politiken.dk/rss\n"
        "    interval: every five minutes\n"
    )
    assert problems(text) == ["feeds[2].interval: must be a duration like 5m (line 12)"]


def test_every_problem_is_reported() -> None:
    text = TOPICS + (
        "feeds:\n"
        "  - name: DR\n"
        "    url: ftp://dr.dk\n"
        "    intreval: 5m\n"
        "    charset: klingon-8\n"
        "storage:\n"
        "  pathh: x\n"
    )
    got = problems(text)
    assert "feeds[0].url: must be an http:// or https:// URL (line 7)" in got
    assert "feeds[0].intreval: unknown setting (line 8)" in got
    assert "feeds[0].charset: unknown charset 'klingon-8' (line 9)" in got
    assert "storage.pathh: unknown setting (line 11)" in got


def test_bad_yaml_says_where() -> None:
    (problem,) = problems("topics:\n  - id: NATO\n    keywords: [nato\n")
    assert problem.startswith("not valid YAML")
    assert "line 4" in problem


def test_missing_and_duplicate_topics() -> None:
    assert problems("feeds: []\n") == ["topics: is required (line 1)"]
    dup = TOPICS + "  - id: nato\n    name: {da: x, en: x}\n    keywords: [y]\n"
    assert any("duplicate 'nato'" in p for p in problems(dup))


def test_token_never_in_config() -> None:
    text = TOPICS + "telegram:\n  token_env: 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\n"
    (problem,) = problems(text)
    assert problem.startswith("telegram.token_env: holds a bot token")
    assert "AAHdq" not in problem


def test_yaml_is_loaded_safely() -> None:
    assert problems(TOPICS + "x: !!python/object/apply:os.system ['true']\n")[0].startswith(
        "not valid YAML"
    )


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(TOPICS + "storage:\n  path: db/x.sqlite3\n")
    config = load_config(tmp_path / "c.yaml")
    assert config.db_path == tmp_path / "db" / "x.sqlite3"


def test_check_config_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(TOPICS)
    assert main(["check-config", "--config", str(good)]) == 0
    assert "configuration is valid" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(TOPICS + "feeds:\n  - name: x\n    url: https://x.dk\n    interval: soon\n")
    assert main(["check-config", "--config", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "feeds[0].interval: must be a duration like 5m (line 8)" in err
    assert main(["check-config", "--config", str(tmp_path / "missing.yaml")]) == 3


def test_storage_url_names_sqlite_or_postgres_and_the_environment_overrides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = "topics:\n  - id: NATO\n    name: {da: NATO, en: NATO}\n    keywords: [nato]\n"
    monkeypatch.delenv("TOPICBOT_STORAGE_URL", raising=False)
    plain = parse_config(base, base_dir=tmp_path)
    assert plain.db_path == tmp_path / "data/topicbot.sqlite3" and plain.postgres_url is None
    lite = parse_config(base + "storage:\n  url: sqlite:///x/t.db\n", base_dir=tmp_path)
    assert lite.store_url == str(tmp_path / "x/t.db")
    with pytest.raises(ConfigError, match=r"storage.url: must be sqlite:///.*\(line 6\)"):
        parse_config(base + "storage:\n  url: mysql://h/db\n")
    monkeypatch.setenv("TOPICBOT_STORAGE_URL", "postgresql://bot@db:5432/topicbot")
    pg = parse_config(base + "storage:\n  path: ignored.db\n", base_dir=tmp_path)
    assert pg.store_url == pg.postgres_url == "postgresql://bot@db:5432/topicbot"
    assert pg.database_exists()


def test_classifier_languages_and_related_terms() -> None:
    config = parse_config(
        TOPICS + "    related: [rutte, kampgruppe*]\nclassifier:\n  languages: [da, NB]\n"
    )
    assert config.classifier.languages == ["da", "nb"]
    assert config.topic_rules()[0].related == ("rutte", "kampgruppe*")
    assert parse_config(TOPICS).classifier.languages == ["da"]
    (problem,) = problems(TOPICS + "classifier:\n  languages: [danish]\n")
    assert problem.startswith("classifier.languages: ") and "danish" in problem
    (problem,) = problems(TOPICS + "    related: ['']\n")
    assert problem == "topics[0].related[0]: must not be an empty term (line 5)"


def test_related_pair_alerts_parses_and_reaches_the_rules() -> None:
    assert (
        parse_config(TOPICS + "    related_pair_alerts: true\n")
        .topic_rules()[0]
        .related_pair_alerts
    )
    assert not parse_config(TOPICS).topic_rules()[0].related_pair_alerts
    (problem,) = problems(TOPICS + "    related_pair_alerts: maybe\n")
    assert problem.startswith("topics[0].related_pair_alerts: ")


def test_topic_others_parse_and_reach_the_rules() -> None:
    config = parse_config(TOPICS + "    others: [' influenza* ', mpox]\n")
    assert config.topic_rules()[0].others == ("influenza*", "mpox")
    assert parse_config(TOPICS).topic_rules()[0].others == ()
    (problem,) = problems(TOPICS + "    others: ['*']\n")
    assert problem.startswith("topics[0].others[0]: ")


def test_a_term_listed_twice_is_refused_with_its_list_and_line() -> None:
    (problem,) = problems(TOPICS.replace("[nato]", "[nato, alliancen, ' NATO ']"))
    assert problem == "topics[0].keywords: 'NATO' is listed twice (line 4)"
    (problem,) = problems(TOPICS + "    related: [kfor*, isaf, kfor*]\n")
    assert problem == "topics[0].related: 'kfor*' is listed twice (line 5)"
    # the keywords' own problem only, not every term that must be one of them
    text = TOPICS.replace("[nato]", "[nato, nato]") + "    named_once: [nato]\n"
    assert problems(text) == ["topics[0].keywords: 'nato' is listed twice (line 4)"]


def test_keywords_named_once_parse_and_must_be_keywords() -> None:
    text = TOPICS.replace("[nato]", "[nato, artikel 5]")
    rules = parse_config(text + "    named_once: [' artikel 5 ']\n").topic_rules()
    assert rules[0].named_once == ("artikel 5",)
    assert parse_config(TOPICS).topic_rules()[0].named_once == ()
    (problem,) = problems(text + "    named_once: [artikel 4]\n")
    assert problem == (
        "topics[0].named_once: 'artikel 4' is not one of this topic's keywords (line 5)"
    )


def test_keywords_valid_until_a_day_parse_and_must_be_keywords() -> None:
    text = TOPICS.replace("[nato]", "[nato, stoltenberg]")
    rules = parse_config(text + "    until:\n      stoltenberg: 2024-09-30\n").topic_rules()
    assert rules[0].until == (("stoltenberg", date(2024, 9, 30)),)
    assert parse_config(TOPICS).topic_rules()[0].until == ()
    (problem,) = problems(text + "    until:\n      stoltenbrg: 2024-09-30\n")
    assert problem == "topics[0].until: 'stoltenbrg' is not one of this topic's keywords (line 5)"
    since = parse_config(text + "    since: {stoltenberg: 2015-01-01}\n").topic_rules()[0]
    assert since.since == (("stoltenberg", date(2015, 1, 1)),) and since.until == ()
    (problem,) = problems(text + "    since: {rutte: 2024-10-01}\n")
    assert problem == "topics[0].since: 'rutte' is not one of this topic's keywords (line 5)"
    # a term in office: both days, the first before the last
    window = "    since: {stoltenberg: 2014-03-28}\n    until: {stoltenberg: 2024-09-30}\n"
    both = parse_config(text + window).topic_rules()[0]
    assert both.since == (("stoltenberg", date(2014, 3, 28)),) and both.until
    (problem,) = problems(text + window.replace("2014-03-28", "2025-01-01"))
    assert "'stoltenberg': 'since' is after 'until'" in problem
    (problem,) = problems(text + "    until:\n      stoltenberg: last autumn\n")
    assert problem.startswith("topics[0].until.stoltenberg: must be a valid date")
    assert problem.endswith("(line 6)")


def test_topic_names_are_read_in_one_place_with_danish_as_the_fallback() -> None:
    config = parse_config(
        "topics:\n"
        "  - {id: NATO, name: {da: Nato-alliancen, en: NATO}, keywords: [nato]}\n"
        "  - {id: Klima, name: {da: Klima, en: Climate}, keywords: [klima]}\n"
    )
    assert config.topic_names("en") == {"NATO": "NATO", "Klima": "Climate"}
    assert config.topic_names("da") == {"NATO": "Nato-alliancen", "Klima": "Klima"}
    assert config.topic_names("de") == config.topic_names("da")  # no German names: Danish
    assert list(config.topic_names("en")) == ["NATO", "Klima"]  # configured order


@pytest.mark.parametrize("term", ["nato*topmøde", "covid *krisen", "corona ** pas"])
def test_a_star_inside_a_word_is_refused_not_matched_literally(term: str) -> None:
    """Such a `*` used to be a literal star that never matches: a rule that silently does
    nothing. Only a word's end or the term's start may carry one."""
    (problem,) = problems(TOPICS + f"    exclude:\n      - corona-øl\n      - '{term}'\n")
    assert problem == (
        f"topics[0].exclude[1]: {term!r}: a '*' may only end a word or begin the term (line 7)"
    )
    assert parse_config(TOPICS + "    exclude: ['pakistan* taliban', '*krisen']\n")
