"""Every text a reader sees, in Danish and English: chat answers, alert labels, the console's
alerts and the /stats chart.

Kept in one table so a translation is reviewed side by side and a missing one is a test failure,
not a KeyError in production. Texts are Telegram HTML: `t()` escapes every value it
interpolates, because values come from users (topic names they typed) and from feeds. The
console and the chart use only texts without values or markup.
"""

from __future__ import annotations

import html
from typing import Final

LANGUAGES: Final = ("da", "en")
DEFAULT_LANGUAGE: Final = "da"

_TEXTS: Final[dict[str, dict[str, str]]] = {
    # --- alerts (Telegram and console) ---
    "alert_why": {"da": "Hvorfor", "en": "Why"},
    "alert_watch": {"da": "dit ord", "en": "your word"},
    "alert_also": {"da": "Også hos", "en": "Also at"},
    "alert_undated": {"da": "udateret", "en": "undated"},
    # --- the /stats chart ---
    "chart_articles": {"da": "artikler", "en": "articles"},
    "chart_no_articles": {"da": "ingen artikler", "en": "no articles"},
    # --- chat commands: descriptions for setMyCommands and /help ---
    "cmd_start": {"da": "Kom i gang og vælg emner", "en": "Get started and choose topics"},
    "cmd_topics": {"da": "Vis emner (tryk for at følge)", "en": "Show topics (tap to follow)"},
    "cmd_subscribe": {
        "da": "Følg emner, fx /subscribe nato",
        "en": "Follow topics, e.g. /subscribe nato",
    },
    "cmd_unsubscribe": {"da": "Stop med at følge emner", "en": "Stop following topics"},
    "cmd_mysubs": {"da": "Vis hvad du følger", "en": "Show what you follow"},
    "cmd_pause": {"da": "Sæt beskeder på pause", "en": "Pause alerts"},
    "cmd_resume": {"da": "Genoptag beskeder", "en": "Resume alerts"},
    "cmd_stop": {"da": "Stop og slet chattens data", "en": "Stop and delete this chat's data"},
    "cmd_help": {"da": "Hjælp", "en": "Help"},
    "cmd_lang": {"da": "Sprog: /lang da eller /lang en", "en": "Language: /lang da or /lang en"},
    "cmd_status": {"da": "Driftsstatus (operatør)", "en": "Service status (operator)"},
    "cmd_reload": {
        "da": "Genindlæs konfigurationen (operatør)",
        "en": "Reload the config (operator)",
    },
    # --- answers ---
    "welcome": {
        "da": "Hej! Jeg giver besked, når danske nyhedsmedier skriver om de emner, du følger.\n\n"
        "Tryk på et emne for at følge det (✅ = følger). Alle kommandoer: /help",
        "en": "Hi! I send an alert when Danish news outlets write about the topics you follow."
        "\n\nTap a topic to follow it (✅ = following). All commands: /help",
    },
    "topics": {
        "da": "<b>Emner</b> – tryk for at følge eller stoppe:\n{lines}",
        "en": "<b>Topics</b> – tap to follow or stop following:\n{lines}",
    },
    "subscribed": {"da": "Du følger nu: {topics}.", "en": "You now follow: {topics}."},
    "already_subscribed": {
        "da": "Du fulgte allerede: {topics}.",
        "en": "You already followed: {topics}.",
    },
    "unsubscribed": {
        "da": "Du følger ikke længere: {topics}.",
        "en": "You no longer follow: {topics}.",
    },
    "not_subscribed": {"da": "Du fulgte ikke: {topics}.", "en": "You did not follow: {topics}."},
    "unknown_topic": {
        "da": "Ukendt emne: {unknown}. Gyldige emner: {valid}.",
        "en": "Unknown topic: {unknown}. Valid topics: {valid}.",
    },
    "subscribe_usage": {
        "da": "Skriv hvilke emner, fx <code>/subscribe nato</code>. Gyldige emner: {valid}.",
        "en": "Say which topics, e.g. <code>/subscribe nato</code>. Valid topics: {valid}.",
    },
    "unsubscribe_usage": {
        "da": "Skriv hvilke emner, fx <code>/unsubscribe nato</code>. Du følger: {topics}.",
        "en": "Say which topics, e.g. <code>/unsubscribe nato</code>. You follow: {topics}.",
    },
    "too_many_topics": {
        "da": "Det var for meget på én gang. Gyldige emner: {valid}.",
        "en": "That was too much at once. Valid topics: {valid}.",
    },
    "mysubs": {"da": "Du følger: {topics}.", "en": "You follow: {topics}."},
    "mysubs_none": {
        "da": "Du følger ingen emner endnu. Brug /topics eller /subscribe.",
        "en": "You follow no topics yet. Use /topics or /subscribe.",
    },
    "mysubs_paused": {
        "da": "Beskeder er sat på pause – /resume starter dem igen.",
        "en": "Alerts are paused – /resume starts them again.",
    },
    "paused": {
        "da": "Beskeder er sat på pause. Skriv /resume for at få dem igen.",
        "en": "Alerts are paused. Send /resume to get them again.",
    },
    "resumed": {"da": "Beskeder er genoptaget.", "en": "Alerts are resumed."},
    "stopped": {
        "da": "Farvel! Denne chats abonnementer og data er slettet. Skriv /start for at begynde "
        "forfra.",
        "en": "Goodbye! This chat's subscriptions and data are deleted. Send /start to begin "
        "again.",
    },
    "help": {
        "da": "<b>Kommandoer</b>\n{commands}\n\nEmner kan skrives med id, dansk eller engelsk "
        "navn, store eller små bogstaver.",
        "en": "<b>Commands</b>\n{commands}\n\nTopics can be given by id, Danish or English "
        "name, in any case.",
    },
    "lang_set": {"da": "Sproget er nu dansk.", "en": "The language is now English."},
    "lang_usage": {
        "da": "Brug <code>/lang da</code> eller <code>/lang en</code>.",
        "en": "Use <code>/lang da</code> or <code>/lang en</code>.",
    },
    "unknown_command": {
        "da": "Den kommando kender jeg ikke. Se /help.",
        "en": "I don't know that command. See /help.",
    },
    "text_hint": {
        "da": "Jeg forstår kun kommandoer. Prøv /topics eller /help.",
        "en": "I only understand commands. Try /topics or /help.",
    },
    "not_admin": {
        "da": "Beklager, kun gruppens administratorer kan ændre indstillingerne her.",
        "en": "Sorry, only this group's administrators can change the settings here.",
    },
    "operator_only": {
        "da": "Den kommando er kun for botens operatører.",
        "en": "That command is for the bot's operators only.",
    },
    "error": {
        "da": "Noget gik galt. Prøv igen om lidt.",
        "en": "Something went wrong. Please try again shortly.",
    },
    "toggled_on": {"da": "Du følger nu {topic}", "en": "You now follow {topic}"},
    "toggled_off": {"da": "Du følger ikke længere {topic}", "en": "You no longer follow {topic}"},
    "button_gone": {
        "da": "Den knap virker ikke længere.",
        "en": "That button no longer works.",
    },
    "feedback_thanks": {"da": "Tak for din feedback", "en": "Thanks for your feedback"},
    # --- watch words, /test, /stats (issue 7) ---
    "cmd_watch": {
        "da": "Følg et ord, fx /watch Lynetteholm",
        "en": "Watch a word, e.g. /watch Lynetteholm",
    },
    "cmd_unwatch": {"da": "Stop med at følge et ord", "en": "Stop watching a word"},
    "cmd_test": {
        "da": "Prøv en tekst, fx /test Nato-topmøde",
        "en": "Try a text, e.g. /test Nato summit",
    },
    "cmd_stats": {"da": "Graf over artikler pr. emne", "en": "Chart of articles per topic"},
    "watch_added": {
        "da": "Du får nu besked, når nyheder nævner »{phrase}«.",
        "en": "You will now get an alert when news mentions »{phrase}«.",
    },
    "watch_already": {
        "da": "Du følger allerede »{phrase}«.",
        "en": "You already watch »{phrase}«.",
    },
    "watch_list": {
        "da": "Dine ord ({count}/{limit}): {phrases}.",
        "en": "Your words ({count}/{limit}): {phrases}.",
    },
    "watch_usage": {
        "da": "Skriv et ord eller en frase, fx <code>/watch Lynetteholm</code> eller "
        "<code>/watch vindmølle*</code> (* til sidst = ord der begynder sådan). "
        "Du kan følge op til {limit} ord.",
        "en": "Give a word or phrase, e.g. <code>/watch Lynetteholm</code> or "
        "<code>/watch vindmølle*</code> (* at the end = words starting like that). "
        "You can watch up to {limit} words.",
    },
    "watch_full": {
        "da": "Du følger allerede {limit} ord, det er grænsen. Fjern et med /unwatch.",
        "en": "You already watch {limit} words, the limit. Remove one with /unwatch.",
    },
    "watch_bad_empty": {"da": "Skriv et ord efter /watch.", "en": "Put a word after /watch."},
    "watch_bad_long": {
        "da": "Højst {limit} tegn pr. ord eller frase.",
        "en": "At most {limit} characters per word or phrase.",
    },
    "watch_bad_chars": {
        "da": "Kun bogstaver, tal, mellemrum, bindestreg og apostrof – og evt. * til sidst.",
        "en": "Only letters, digits, spaces, hyphens and apostrophes – and maybe * at the end.",
    },
    "watch_bad_short": {
        "da": "For kort: mindst 2 bogstaver (3 før *).",
        "en": "Too short: at least 2 letters (3 before *).",
    },
    "unwatch_done": {
        "da": "Du følger ikke længere: {phrases}.",
        "en": "No longer watching: {phrases}.",
    },
    "unwatch_unknown": {
        "da": "Du følger ikke »{phrase}«. Dine ord: {phrases}.",
        "en": "You don't watch »{phrase}«. Your words: {phrases}.",
    },
    "unwatch_usage": {
        "da": "Skriv hvilket ord, fx <code>/unwatch Lynetteholm</code>, eller "
        "<code>/unwatch alle</code>. Dine ord: {phrases}.",
        "en": "Say which word, e.g. <code>/unwatch Lynetteholm</code>, or "
        "<code>/unwatch all</code>. Your words: {phrases}.",
    },
    "test_usage": {
        "da": "Skriv en tekst efter /test, fx <code>/test Nato-topmøde i Vilnius</code>.",
        "en": "Put a text after /test, e.g. <code>/test Nato summit in Vilnius</code>.",
    },
    "test_result": {
        "da": "<b>Test</b> (sprog: {language})\n{lines}",
        "en": "<b>Test</b> (language: {language})\n{lines}",
    },
    "test_topic": {
        "da": "{mark} {topic}: {score}{terms}",
        "en": "{mark} {topic}: {score}{terms}",
    },
    "test_watch": {"da": "✅ »{phrase}« (dit ord)", "en": "✅ »{phrase}« (your word)"},
    "test_nothing": {
        "da": "Ingen emner eller ord matcher.",
        "en": "No topic or word matches.",
    },
    "stats_caption": {
        "da": "Artikler pr. emne pr. dag, seneste {days} dage",
        "en": "Articles per topic per day, last {days} days",
    },
    "stats_unavailable": {
        "da": "Grafer er ikke tilgængelige på denne server.",
        "en": "Charts are not available on this server.",
    },
    # --- end of issue 7 block ---
    # --- operator ---
    "status": {
        "da": "<b>Status</b>\n<b>Kilder</b>\n{sources}\n\n<b>Udbakke</b>: {pending} venter, "
        "{sent} sendt, {failed} fejlet\n<b>Chats</b>: {chats}\n<b>Abonnenter</b>\n{subscribers}",
        "en": "<b>Status</b>\n<b>Sources</b>\n{sources}\n\n<b>Outbox</b>: {pending} waiting, "
        "{sent} sent, {failed} failed\n<b>Chats</b>: {chats}\n<b>Subscribers</b>\n{subscribers}",
    },
    "status_source": {
        "da": "• {name}: sidst OK {success} ({items} emner){error}",
        "en": "• {name}: last OK {success} ({items} items){error}",
    },
    "status_source_error": {"da": "; fejl {when}: {error}", "en": "; error {when}: {error}"},
    "status_never": {"da": "aldrig", "en": "never"},
    "status_none": {"da": "(ingen)", "en": "(none)"},
    "reload_ok": {
        "da": "Konfigurationen er genindlæst: {topics} emner, {feeds} feeds, {folders} mapper.",
        "en": "The configuration is reloaded: {topics} topics, {feeds} feeds, {folders} folders.",
    },
    "reload_note": {"da": "Bemærk: {note}", "en": "Note: {note}"},
    "reload_failed": {
        "da": "Konfigurationen er ugyldig og blev ikke indlæst (den gamle kører videre):\n"
        "{problems}",
        "en": "The configuration is invalid and was not loaded (the old one keeps running):\n"
        "{problems}",
    },
    # --- delivery modes: /digest, /quiet, digests (issue 7) ---
    "cmd_digest": {
        "da": "Samlet overblik: /digest dagligt 08:00, /digest timevis, /digest fra",
        "en": "Digest: /digest daily 08:00, /digest hourly, /digest off",
    },
    "cmd_quiet": {
        "da": "Stille timer: /quiet 22-07 [lydløs|hold], /quiet fra",
        "en": "Quiet hours: /quiet 22-07 [silent|hold], /quiet off",
    },
    "digest_usage": {
        "da": "Skriv fx <code>/digest dagligt 08:00</code> (ét overblik om dagen), "
        "<code>/digest timevis</code> eller <code>/digest fra</code> (hver nyhed med det samme).",
        "en": "Write e.g. <code>/digest daily 08:00</code> (one digest a day), "
        "<code>/digest hourly</code> or <code>/digest off</code> (every article at once).",
    },
    "digest_now_instant": {
        "da": "Du får hver nyhed med det samme.",
        "en": "You get every article at once.",
    },
    "digest_now_hourly": {
        "da": "Du får et samlet overblik hver hele time.",
        "en": "You get one digest every full hour.",
    },
    "digest_now_daily": {
        "da": "Du får et samlet overblik hver dag kl. {time}.",
        "en": "You get one digest every day at {time}.",
    },
    "quiet_usage": {
        "da": "Skriv fx <code>/quiet 22-07</code> (beskeder kommer lydløst om natten), "
        "<code>/quiet 22-07 hold</code> (de venter til kl. 07) eller <code>/quiet fra</code>.",
        "en": "Write e.g. <code>/quiet 22-07</code> (alerts arrive silently at night), "
        "<code>/quiet 22-07 hold</code> (they wait until 07:00) or <code>/quiet off</code>.",
    },
    "quiet_now_silent": {
        "da": "Stille timer {start}–{end}: beskeder kommer uden lyd.",
        "en": "Quiet hours {start}–{end}: alerts arrive without sound.",
    },
    "quiet_now_hold": {
        "da": "Stille timer {start}–{end}: beskeder venter til kl. {end}.",
        "en": "Quiet hours {start}–{end}: alerts wait until {end}.",
    },
    "quiet_now_off": {"da": "Ingen stille timer.", "en": "No quiet hours."},
    "digest_header": {
        "da": "📰 <b>Overblik</b> · {count} nyheder · {when}",
        "en": "📰 <b>Digest</b> · {count} articles · {when}",
    },
    "digest_part": {"da": " ({part}/{parts})", "en": " ({part}/{parts})"},
    # --- end of delivery modes block ---
}


def normalise_language(language: str | None) -> str:
    """A supported language code; anything else falls back to Danish."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(language: str | None, key: str, /, **values: object) -> str:
    """The text for `key` in `language`, with `values` HTML-escaped and filled in.

    Values wrapped in `Markup` are inserted as they are (already valid HTML).
    """
    template = _TEXTS[key][normalise_language(language)]
    if not values:
        return template
    return template.format(
        **{
            k: v if isinstance(v, Markup) else html.escape(str(v), quote=False)
            for k, v in values.items()
        }
    )


class Markup(str):
    """A string that is already Telegram HTML and must not be escaped again."""


def keys() -> list[str]:
    return list(_TEXTS)


def has_all_languages() -> bool:
    return all(set(v) == set(LANGUAGES) for v in _TEXTS.values())
