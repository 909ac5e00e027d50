"""The shape-independent view of a dump (cleaner.view): marks taken off the signal
text, and the lines of one sentence joined into one block, whatever wrote them."""

from __future__ import annotations

import pytest

from cleaner.view import signal_text, soft_break, units
from cleaner.segments import split_lines


# a dump of text nodes shows sentences going on at line breaks again and again
FRAGMENTS = "Intro \nlink\n, more text \nhere\n. And \nmore\n. Then \nthis\n and \nthat\n.\n\n"


def blocks(text: str) -> list[str]:
    return [u.text for u in units(split_lines(text), text)]


@pytest.mark.parametrize("line, expected", [
    ("  * [Video](/video/ \"Video\")", ("Video", True, 0)),
    ("## **What changes on Monday**", ("What changes on Monday", False, 2)),
    ("            + Log In", ("Log In", True, 0)),
    ("o Osprey sails at 6:10", ("Osprey sails at 6:10", True, 0)),
    ("> Quoted from the report.", ("Quoted from the report.", False, 0)),
    ("See [the report][3] and ![chart](/c.png) now.", ("See the report and now.", False, 0)),
    ("1. First item", ("First item", True, 0)),
])
def test_signal_text_takes_the_marks_off(line: str, expected: tuple[str, bool, int]) -> None:
    text, bullet, heading, _, _ = signal_text(line)
    assert (text, bullet, heading) == expected


def test_link_share_counts_link_text() -> None:
    assert signal_text("* [Council approves bike lanes](/news/1)")[3] == len("Council approves bike lanes")
    assert signal_text("The council approved the lanes on Monday.")[3] == 0


def test_one_text_node_per_line_is_one_sentence() -> None:
    # BeautifulSoup's get_text("\n"): a line per text node, each with its own spaces
    text = ("The \nharbor ferry\n will add two early sailings from \nPier 4\n, the authority said.\n\n\n"
            "By \nDana Okafor\n | March 4, 2025\n")
    assert blocks(FRAGMENTS + text)[-2:] == ["The harbor ferry will add two early sailings from Pier 4, the authority said.",
                            "By Dana Okafor | March 4, 2025"]


def test_sentence_pieces_join_across_blank_lines_in_a_fragmented_dump() -> None:
    text = (FRAGMENTS +
            "LONDON—Japan's \nHitachi\n Ltd.  \n\n\n is the preferred bidder, a person said.\n\n"
            "by\n\n\n  Gisela Telis\n\n\n    on \n26 October 2012\n")
    assert blocks(text)[-2:] == ["LONDON—Japan's Hitachi Ltd. is the preferred bidder, a person said.",
                                "by Gisela Telis on 26 October 2012"]


def test_wrapped_paragraph_joins_in_lower_case() -> None:
    text = ("So finally you're testing your frontend code? Great! The more you\n"
            "write tests, the more confident you are. That's where code coverage might\n"
            "help.\n")
    assert blocks(text) == [" ".join(text.split())]


def test_lower_case_labels_stay_apart() -> None:
    # tag labels of a headline list start lower case, but the list does not end like a sentence
    text = ("frankenstorm 11:32 PM 0 Instacane Brings Us Photos of Frankenstorm\n"
            "squee 11:30 PM 0 This Cat's Costume Is Better Than Yours\n"
            "twins 9:15 PM 0 Twins Get Perfect Scores\n")
    assert len(blocks(text)) == 3


def test_list_items_and_headings_stand_alone() -> None:
    assert not soft_break("Riders should know a few things", "  * The ticket office opens at 5:45")
    assert not soft_break("## What changes", "the authority published the timetable.")
    assert not soft_break("The council met on Monday.", "It voted on the budget.")
    assert soft_break("That's where code coverage might", "help.")


def test_a_comment_header_is_not_joined_to_the_comment_above() -> None:
    text = "I was reading through the articles on\nRanjit | 11/6/2012 3:07:08 AM\n"
    assert len(blocks(text)) == 2


def test_table_columns_and_glue_are_marked() -> None:
    text = ("    Departs Pier 4    Arrives Bayside    Boat\n\n"
            "Rhapsody for Android updated with personalized recommendationsHTC and Verizon hooking up "
            "in NYCVerizon spreads the word2012Instagram begins rolling out web profilesSkype becomes "
            "the new MessengerNokia Maps updated\n")
    table, glued = units(split_lines(text), text)
    assert table.table and not glued.table
    assert glued.glue >= 3


def test_blocks_map_back_to_their_lines() -> None:
    text = "Home\n\nThe \nferry\n will sail.\n\nFooter\n"
    found = units(split_lines(text), text)
    assert [(u.first, u.last) for u in found] == [(0, 1), (2, 5), (6, 7)]
