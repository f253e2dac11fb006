"""Imported people: avatars of one terminal width, languages, pseudonyms, names replaced."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from rich.cells import cell_len

from rednote_sim.errors import UserError
from rednote_sim.importers.anonymize import Anonymizer, trie_pattern
from rednote_sim.importers.model import Author
from rednote_sim.importers.people import (
    AVATARS,
    ME_AVATAR,
    Participant,
    PseudonymBook,
    build_personas,
    find_me,
)


def test_every_avatar_is_one_wide_code_point_without_selector_or_joiner() -> None:
    assert len(set(AVATARS)) == len(AVATARS) >= 40
    for avatar in [*AVATARS, ME_AVATAR]:
        assert len(avatar) == 1, avatar  # so no U+FE0F and no ZWJ sequence
        assert unicodedata.east_asian_width(avatar) == "W", avatar
        assert cell_len(avatar) == 2, avatar
        # Unicode 9 or older: terminals with older width tables agree it is wide.
        assert not (0x1F95F <= ord(avatar) <= 0x1F97F or ord(avatar) >= 0x1F992), avatar


def person(key: str, name: str, *, zh: int = 0, en: int = 0, handle: str = "") -> Participant:
    p = Participant(Author(key, name, handle), first_seq=1)
    p.langs = Counter({"zh": zh, "en": en})
    p.aliases = {name, handle} - {""}
    return p


def test_personas_take_the_language_they_write_and_a_flag_from_it() -> None:
    people = [
        person("1", "Lena", en=5, zh=1, handle="@lena_l"),
        person("2", "小王", zh=6, handle="@wei_zh"),
        person("3", "Photo Person"),  # only photos: the chat's main language
    ]
    personas = list(build_personas(people, source="discord", me_key=None, book=None).values())
    assert [(p.id, p.language, p.country, p.home) for p in personas] == [
        ("p1", "en", "US", "Discord"),
        ("p2", "zh", "CN", "Discord"),
        ("p3", "zh", "CN", "Discord"),
    ]
    assert [p.avatar for p in personas] == list(AVATARS[:3])
    assert personas[0].handle == "@lena_l"


def test_me_is_the_user_persona_and_is_found_by_name_or_handle_in_any_case() -> None:
    people = [person("1", "Lena", en=1, handle="@lena_l"), person("2", "小王", zh=1)]
    assert find_me(people, "LENA_L", "chat.json") == "1"
    assert find_me(people, "@lena_l", "chat.json") == "1"
    personas = build_personas(people, source="telegram", me_key="1", book=None)
    assert (personas["1"].id, personas["1"].avatar) == ("you", ME_AVATAR)
    with pytest.raises(
        UserError, match=r"--me 'Bob': nobody of that name wrote in chat.json.*Lena, 小王"
    ):
        find_me(people, "Bob", "chat.json")
    twins = [person("1", "Alex", handle="@a1"), person("2", "Alex", handle="@a2")]
    with pytest.raises(UserError, match=r"2 people in chat.json go by that name.*@a1, @a2"):
        find_me(twins, "alex", "chat.json")


def test_pseudonyms_are_stable_per_person_and_follow_the_language_they_write() -> None:
    book = PseudonymBook()
    people = [person("1", "Lena", en=2), person("2", "小王", zh=3), person("3", "Maya", en=1)]
    personas = build_personas(people, source="whatsapp", me_key=None, book=book)
    assert [(p.name, p.handle) for p in personas.values()] == [
        ("Alex", "@alex"),
        ("小安", "@xiaoan"),
        ("Avery", "@avery"),
    ]
    assert book.get("2", "zh").name == "小安"  # asked again: the same
    many = PseudonymBook()
    names = [many.get(str(i), "zh").name for i in range(45)]
    assert len(set(names)) == 45  # past the end of the list, numbered: 小安2…


def test_anonymizer_replaces_names_handles_mentions_emails_and_phones() -> None:
    rename = Anonymizer(
        {"Lena L": "Alex", "lena_l": "alex", "小王": "小安", "wei_zh": "xiaoan", "J": "Blake"}
    )
    assert rename("Thanks Lena L!") == "Thanks Alex!"
    assert rename("@Lena L 你好") == "@Alex 你好"
    assert rename("ping @LENA_L and @wei_zh") == "ping @alex and @xiaoan"
    assert rename("小王你好 @小王") == "小安你好 @小安"
    assert rename("@bob, @bob and @carol; @everyone @here") == (
        "@member1, @member1 and @member2; @everyone @here"
    )
    assert rename("write lena@example.com or call +49 151 2345 6789") == (
        "write [email] or call [phone]"
    )
    assert rename("Lena Lx stays, J stays") == "Lena Lx stays, J stays"  # whole words; 1 letter


def test_trie_pattern_prefers_the_longest_name() -> None:
    import re

    pattern = re.compile(trie_pattern(["an", "anna", "anne", "bo"]))
    assert pattern.findall("anna anne an bo ann") == ["anna", "anne", "an", "bo", "an"]
