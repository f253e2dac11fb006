"""Reading each app's export as it writes it: messages, people, times, replies, media, skips."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from rednote_sim.errors import ContentError
from rednote_sim.importers import chat_reader, detect_format
from rednote_sim.importers.discord import DiscordReader
from rednote_sim.importers.model import ChatMessage
from rednote_sim.importers.telegram import TelegramReader
from rednote_sim.importers.whatsapp import WhatsAppReader, date_order
from tests.support.chats import (
    DISCORD,
    TELEGRAM,
    WHATSAPP_ANDROID,
    WHATSAPP_CHINESE,
    WHATSAPP_IOS,
    iphone_zip,
    load,
    write_json,
)

SHANGHAI = timezone(timedelta(hours=8))


def by_text(messages: list[ChatMessage], start: str) -> ChatMessage:
    return next(m for m in messages if m.text.startswith(start))


# --- Discord ----------------------------------------------------------------------------------


def test_discord_messages_people_replies_and_reactions() -> None:
    reader = DiscordReader(DISCORD)
    messages = list(reader.messages())
    assert reader.info.title == "Language Exchange 语言交换 · #chinese-practice"
    # The member join and the pin are Discord notifications, not things people wrote.
    assert len(messages) == 9
    assert reader.info.skipped == {"notifications (joins, pins, calls…)": 2}
    hello, welcome = messages[0], messages[1]
    assert (hello.author.name, hello.author.handle) == ("Lena", "@lena_l")
    assert hello.author.aliases == ("lena_l",)
    assert hello.reactions == (("❤️", 3), (":wave_cat:", 1))  # a server emoji has no character
    assert welcome.reply_to == hello.source_id
    assert welcome.posted_at == datetime(2025, 1, 14, 10, 0, 53, 417000, tzinfo=SHANGHAI)
    assert welcome.instant - hello.instant == pytest.approx(49.535)


def test_discord_edits_attachments_stickers_and_mentions() -> None:
    messages = list(DiscordReader(DISCORD).messages())
    edited = by_text(messages, "我的中文不太好")
    assert edited.text == "我的中文不太好 but I'm trying 😅"  # the export keeps the last text
    assert edited.posted_at.minute == 1  # and the time it was posted, not edited
    assert by_text(messages, "This is Biscuit").attachments == ("photo",)
    sticker = messages[-1]
    assert (sticker.text, sticker.attachments) == ("", ("sticker",))
    asks = by_text(messages, "哈哈哈")
    assert [(a.name, a.handle) for a in asks.mentioned] == [("Lena", "@lena_l")]


def test_discord_message_without_author_names_the_message_and_its_line(tmp_path: Path) -> None:
    data = load(DISCORD)
    del data["messages"][3]["author"]
    file = write_json(tmp_path / "export.json", data)
    lines = file.read_text(encoding="utf-8").split("\n")
    id_line = lines.index(f'      "id": "{data["messages"][3]["id"]}",') + 1
    with pytest.raises(ContentError) as caught:
        list(DiscordReader(file).messages())
    assert str(caught.value).startswith(
        f"{file}:{id_line - 1}: message {data['messages'][3]['id']}: has no author (fix: "
    )


def test_discord_unknown_timestamp_is_an_error_naming_the_message(tmp_path: Path) -> None:
    data = load(DISCORD)
    data["messages"][1]["timestamp"] = "14.01.2025 10:00"
    file = write_json(tmp_path / "export.json", data)
    with pytest.raises(ContentError, match=r"message 1328771290472640522: timestamp: '14.01.2025"):
        list(DiscordReader(file).messages())


# --- Telegram ---------------------------------------------------------------------------------


def test_telegram_text_parts_mentions_replies_and_service_messages() -> None:
    reader = TelegramReader(TELEGRAM)
    messages = list(reader.messages())
    assert reader.info.title == "中英语言交换 Language Exchange"
    assert reader.info.skipped == {"service messages (joins, pins, calls…)": 2}
    assert [m.source_id for m in messages] == ["2", "3", "4", "5", "6", "8", "9", "10", "11"]
    welcome = messages[1]
    assert welcome.text == "Lena，欢迎！你在哪里学中文？"  # a mention_name part joined in
    assert [(a.key, a.name) for a in welcome.mentioned] == [("user6012345678", "Lena")]
    assert welcome.reply_to == "2"
    assert (welcome.author.name, welcome.author.handle) == ("小王", "user5098765432")
    link = by_text(messages, "推荐")
    assert (
        link.text
        == "推荐一个学英语的账号：https://www.xiaohongshu.com/explore @english_daily 每天都更新"
    )


def test_telegram_dates_media_reactions_and_deleted_accounts() -> None:
    messages = list(TelegramReader(TELEGRAM).messages())
    first = messages[0]
    assert first.posted_at == datetime(2025, 1, 14, 10, 0, 5)  # local time, as Telegram wrote it
    assert first.instant == 1736820005.0  # date_unixtime
    assert first.reactions == (("👍", 2),)
    photo = by_text(messages, "My cat")
    assert photo.attachments == ("photo",)
    assert photo.reactions == (("❤", 3),)  # the custom emoji has no character to show
    kinds = [m.attachments for m in messages if not m.text]
    assert kinds == [("voice message",), ("sticker",)]
    poll = by_text(messages, "你们周末")
    assert poll.attachments == ("poll",)  # the question is its text
    gone = by_text(messages, "早上好 everyone")
    assert (gone.author.name, gone.author.key) == ("Deleted Account", "user7890123456")


def test_telegram_whole_account_export_is_refused_with_how_to_export_one_chat(
    tmp_path: Path,
) -> None:
    file = write_json(tmp_path / "result.json", {"about": "…", "chats": {"about": "…", "list": []}})
    with pytest.raises(ContentError, match=r"whole-account export.*Export chat history"):
        list(TelegramReader(file).messages())


def test_telegram_control_character_escapes_are_read(tmp_path: Path) -> None:
    text = TELEGRAM.read_text(encoding="utf-8").replace("she says 喵", "she says\\x0B喵", 1)
    file = tmp_path / "result.json"
    file.write_text(text, encoding="utf-8")
    photo = by_text(list(TelegramReader(file).messages()), "My cat")
    assert photo.text == "My cat Biscuit 🐱 she says\x0b喵"


# --- WhatsApp ---------------------------------------------------------------------------------


def test_whatsapp_android_month_first_with_narrow_spaces_and_continuations() -> None:
    reader = WhatsAppReader(WHATSAPP_ANDROID)
    messages = list(reader.messages())
    assert reader.info.title == "Wei Zhang"  # from WhatsApp's own file name
    assert reader.info.notes == []  # 1/14/25: the 14 says the month comes first
    assert messages[0].posted_at == datetime(2025, 1, 14, 10, 0)
    assert messages[-1].posted_at == datetime(2025, 1, 15, 20, 30)  # 8:30 PM
    assert by_text(messages, "Thanks, talk").posted_at.hour == 12  # 12:15 PM is noon
    cold = by_text(messages, "I'm in Columbus")
    assert cold.text == "I'm in Columbus, Ohio.\nIt's really cold here today 🥶"
    cat = by_text(messages, "My cat")
    assert cat.attachments == ("photo",)
    assert (
        by_text(messages, "哈哈哈").text == "哈哈哈 好可爱"
    )  # "<This message was edited>" dropped
    assert [m.attachments for m in messages if not m.text] == [("voice message",), ("media",)]
    assert reader.info.skipped == {
        "system lines (joins, encryption notices…)": 1,
        "deleted messages": 1,
    }


def test_whatsapp_iphone_day_first_marks_isolates_system_lines_and_zip(tmp_path: Path) -> None:
    direct = list(WhatsAppReader(WHATSAPP_IOS).messages())
    zipped = WhatsAppReader(iphone_zip(tmp_path))
    assert [m.text for m in zipped.messages()] == [m.text for m in direct]
    assert zipped.info.title == "中英交换群"
    assert zipped.info.skipped == {"system lines (joins, encryption notices…)": 3}
    names = {m.author.name for m in direct}
    assert names == {"Lena", "小王", "+86 138 0013 8000"}  # the group's notices are no one
    mention = by_text(direct, "@Lena")
    assert mention.text == "@Lena 欢迎！你学中文多久了？"  # U+2068/U+2069 removed
    assert direct[2].attachments == ("photo",)  # "‎<attached: …PHOTO….jpg>" behind a mark
    assert by_text(direct, "Thanks!").text == "Thanks! 谢谢"
    assert by_text(direct, "不客气").text == "不客气～\n有问题随时问我\nAsk me anytime!"
    assert direct[-1].attachments == ("sticker",)
    assert direct[0].posted_at == datetime(2025, 1, 14, 10, 1, 12)


def test_whatsapp_chinese_iphone_reads_shangwu_and_xiawu() -> None:
    messages = list(WhatsAppReader(WHATSAPP_CHINESE).messages())
    assert [m.posted_at.hour for m in messages] == [10, 15, 23]  # 上午10 / 下午3 / 晚上11


@pytest.mark.parametrize(
    ("dates", "twelve_hour", "expected"),
    [
        (["14/01/2025"], False, ("dmy", False)),
        (["1/14/25"], True, ("mdy", False)),
        (["2025/1/14"], False, ("ymd", False)),
        (["03/01/2025", "04/01/2025", "01/02/2025"], False, ("dmy", False)),  # day went down
        (["01/03/2025", "01/04/2025", "02/01/2025"], False, ("mdy", False)),
        (["05/06/2025"], False, ("dmy", True)),  # nothing decides: day first…
        (["05/06/2025"], True, ("mdy", True)),  # …unless the clock is 12-hour (US)
    ],
)
def test_whatsapp_date_order_is_worked_out_from_all_the_dates(
    dates: list[str], twelve_hour: bool, expected: tuple[str, bool]
) -> None:
    assert date_order(dates, twelve_hour) == expected


def test_whatsapp_a_guessed_date_order_is_said(tmp_path: Path) -> None:
    file = tmp_path / "chat.txt"
    file.write_text("05/06/2025, 10:00 - Lena: hi\n05/06/2025, 10:01 - Wei: 你好\n", "utf-8")
    reader = WhatsAppReader(file)
    assert [m.posted_at.month for m in reader.messages()] == [6, 6]
    assert "read them as day/month/year" in reader.info.notes[0]


def test_whatsapp_an_impossible_date_is_an_error_naming_its_line(tmp_path: Path) -> None:
    file = tmp_path / "chat.txt"
    file.write_text("14/01/2025, 10:00 - Lena: hi\n31/02/2025, 10:01 - Wei: 你好\n", "utf-8")
    with pytest.raises(ContentError, match=r"chat.txt:2: '31/02/2025' '10:01' is not a date"):
        list(WhatsAppReader(file).messages())


# --- detection by content -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [
        (DISCORD, "discord"),
        (TELEGRAM, "telegram"),
        (WHATSAPP_ANDROID, "whatsapp"),
        (WHATSAPP_IOS, "whatsapp"),
        (WHATSAPP_CHINESE, "whatsapp"),
    ],
)
def test_the_format_is_judged_by_content_not_by_the_name(
    tmp_path: Path, fixture: Path, fmt: str
) -> None:
    misleading = tmp_path / ("export.txt" if fixture.suffix == ".json" else "export.json")
    shutil.copy(fixture, misleading)
    assert detect_format(misleading) == fmt
    assert len(list(chat_reader(misleading, fmt).messages())) >= 3


def test_detection_of_a_zip_rednote_jsonl_minified_discord_and_html(tmp_path: Path) -> None:
    assert detect_format(iphone_zip(tmp_path)) == "whatsapp"
    jsonl = tmp_path / "capture.txt"
    jsonl.write_text('{"session": "s", "seq": 1, "t": 0}\n', "utf-8")
    assert detect_format(jsonl) == "rednote"
    minified = write_json(tmp_path / "one-line", load(DISCORD), indent=None)  # type: ignore[arg-type]
    assert detect_format(minified) == "discord"
    html = tmp_path / "messages.json"
    html.write_text("<!DOCTYPE html>\n<html><body>Telegram</body></html>", "utf-8")
    with pytest.raises(ContentError, match=r"HTML export.*Machine-readable JSON"):
        detect_format(html)


def test_something_else_is_refused_with_how_to_export(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("Shopping list\n- milk\n- 鸡蛋\n", "utf-8")
    with pytest.raises(
        ContentError, match=r"not a chat export rednote-sim reads.*DiscordChatExporter"
    ):
        detect_format(file)


def test_a_byte_that_is_not_utf8_is_an_error_naming_its_line(tmp_path: Path) -> None:
    file = tmp_path / "chat.txt"
    file.write_bytes(b"14/01/2025, 10:00 - Lena: hi\n14/01/2025, 10:01 - Wei: " + b"\xff\n")
    with pytest.raises(ContentError, match=r"chat.txt:2: not valid UTF-8 \(byte 0xff\)"):
        list(WhatsAppReader(file).messages())


def test_a_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    file = tmp_path / "chat.txt"
    file.write_bytes(b"\xef\xbb\xbf" + WHATSAPP_ANDROID.read_bytes())
    assert detect_format(file) == "whatsapp"
    assert len(list(WhatsAppReader(file).messages())) == 10


@pytest.mark.parametrize(
    ("reader", "fixture", "expected"),
    [
        (
            DiscordReader,
            TELEGRAM,
            r':6: not a DiscordChatExporter JSON export \(it has no "channel"',
        ),
        (
            TelegramReader,
            DISCORD,
            r':21: not a Telegram Desktop chat export \(JSON\) \(it has no "id"',
        ),
        (WhatsAppReader, DISCORD, r":1: not a WhatsApp chat line"),
    ],
)
def test_the_wrong_format_named_on_the_command_line_is_one_clear_error(
    reader: type[DiscordReader | TelegramReader | WhatsAppReader], fixture: Path, expected: str
) -> None:
    with pytest.raises(ContentError, match=expected):
        list(reader(fixture).messages())
