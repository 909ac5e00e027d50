"""Unit tests of the article heuristic's signals and thread detection (cleaner.blocks,
cleaner.article); whole documents are tested through the gate fixtures."""

from __future__ import annotations

from cleaner import clean, clean_and_explain
from cleaner.blocks import CHROME, HEADLINE, LINKS, NAV, PROSE, SHORT, Block, classify
from cleaner.signals import NO_STOPLIST

ARTICLE = (
    "The council approved the new ferry budget on Monday after a debate that ran late into the night.\n"
    "Members argued over the fare increase for almost three hours before the vote was taken, and the "
    "mayor said she would ask the state to restore its share of the subsidy.\n"
    "Work on the passenger ramp at the Linden Island terminal is expected to start in September and "
    "take about six weeks, officials said.\n"
    "The next meeting of the board is set for the first Tuesday in June, when members will hear a "
    "report on the repairs and on the new timetable.\n"
)


def assert_only_the_thread_goes(comments: list[str]) -> None:
    """ARTICLE with ``comments`` after it cleans to ARTICLE, by one comment-thread cut."""
    result = clean_and_explain(ARTICLE + "\n".join(comments) + "\n")
    assert result.text == ARTICLE
    assert [h.id for h in result.hits if h.kind == "heuristic"] == ["heuristic.comments"]


def kind(text: str) -> str:
    block = Block(0, 1, text)
    classify(block, NO_STOPLIST)
    return block.kind


def test_cjk_line_without_full_stop_is_prose_when_long() -> None:
    # blogs in Chinese break lines at phrases: 30+ characters read as a sentence
    assert kind("一波波 接續性 低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣") == PROSE
    assert kind("每年12月向來是攝影班外拍的絕佳場所") == SHORT


def test_cjk_archive_line_with_many_digits_is_not_prose() -> None:
    line = "文章精選 " + " ".join(f"{y} 十月 ({n})" for y in range(2005, 2017) for n in (1, 2))
    assert kind(line) != PROSE


def test_cjk_phrase_without_spaces_is_not_a_menu_entry() -> None:
    assert kind("外拍的攝影班學員一堆早已不時穿梭其間") != NAV
    assert kind("首頁") == NAV


def test_cjk_prose_scores_by_characters_and_words() -> None:
    block = Block(0, 1, "一波波 接續性 低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣")
    classify(block, NO_STOPLIST)
    assert block.score > 3 * 30  # about a word per character, as Latin prose scores its characters


def test_blogger_and_commentluv_markers_are_comment_chrome() -> None:
    assert kind("ReplyDelete") == CHROME
    assert kind("Reply Delete") == CHROME
    assert kind("Sarah recently posted…inspire me monday: beachy diy gifts") == CHROME
    assert kind("She had recently posted a video of the flood on her page.") != CHROME


def test_menu_on_one_line_is_links() -> None:
    assert kind("首页 | 新闻 | 图片 | 评论 | 共青团 | 娱乐 | 时尚 | 财经") == LINKS
    assert kind("Home | News | Sport | Business | Culture | Travel") == LINKS
    assert kind("The Human Bowling Ball") == HEADLINE


def test_blogger_thread_goes_with_its_first_comment() -> None:
    comments = [
        "This looks wonderful! I have killed three starters so far, maybe the fridge is the trick.",
        "Rye makes all the difference, I agree. Mine took two weeks though.",
        "Beautiful crumb. Did you bake it in a Dutch oven or on a stone?",
    ]
    text = ARTICLE + "".join(f"{c}\nReplyDelete\n" for c in comments)
    result = clean_and_explain(text)
    assert result.text == ARTICLE
    thread = [h for h in result.hits if h.id == "heuristic.comments"]
    assert len(thread) == 1 and thread[0].removed.startswith(comments[0])


def test_reply_links_right_under_a_short_article_keep_its_last_paragraph() -> None:
    # the unit above the first reply link is only taken when 400 characters of the
    # article's prose stay above it
    short = "The ferry budget passed on Monday after a long debate over the fares and the ramp.\n"
    text = short + "Great news, finally.\nReply\nAbout time they fixed the ramp.\nReply\nAgreed.\nReply\n"
    assert clean(text).startswith(short)


def test_reply_links_without_comments_between_them_take_nothing_above() -> None:
    # "Reply" twice in a row (a reply button and a flag link under one comment) proves
    # nothing about where the first comment starts
    text = ARTICLE + "Reply\nReport\n"
    assert ARTICLE.splitlines()[-1] in clean(text)


def test_page_dump_keeps_headline_and_one_sentence_deck_above_a_menu() -> None:
    # the deck under the headline is prose, but short: the search for the page title's
    # repeat above the article goes on past it (dev: an Ars Technica page lost its
    # headline, deck and byline)
    header = ("Ferry fares rise again for island commuters | Harbour Times\n"
              "Home\nNews\nSport\nBusiness\nWeather\nJobs\n"
              "Ferry fares rise again for island commuters\n"
              "Is the new pass really worth it for the commuters?\n"
              "by Jane Doe - Nov 9, 2012 5:15 pm UTC\n"
              "Transport\nIslands\n7\n")
    body = ARTICLE + ("Critics said the plan would hurt commuters who rely on the early sailings, and several "
                      "residents spoke against it during the public comment period on Monday night.\n")
    footer = "About us\nContact\nPrivacy\nTerms\nAdvertise\n"
    out = clean(header + body + footer)
    assert out.startswith("Ferry fares rise again for island commuters\nIs the new pass really worth it")
    assert body in out and "Advertise" not in out and "Weather" not in out


def test_run_of_praise_openers_after_the_article_is_a_comment_thread() -> None:
    # no names, no reply links: the extractor kept only the comments' text
    comments = [
        "Great post! We went last summer and the ferry was packed every single morning.",
        "I never knew the ramp was that old.",
        "Thanks for sharing this, I will forward it to my sister on the island.",
        "Congrats to the council for finally doing something about it.",
    ]
    assert_only_the_thread_goes(comments)


def test_two_praise_openers_are_not_enough() -> None:
    text = ARTICLE + "Great post! We went last summer.\nThanks for sharing this with us.\n"
    assert clean(text) == text


def test_dialogue_that_opens_with_thanks_is_not_a_thread() -> None:
    story = ARTICLE + "".join(f"“Thank you for {x},” she said, and closed the door behind her.\n"
                              for x in ("the ride", "the tea", "the map", "the warning"))
    assert clean(story) == story


def test_page_language_ignores_numbers() -> None:
    from cleaner.article import page_language

    prices = Block(0, 1, "Schlafzimmer " + " ".join(f"{n} + {n + 1} - {n * 7} +" for n in range(1, 60)))
    prose = Block(1, 2, "Die Villa empfängt Sie mit einem großzügig geschnittenen Wohnbereich, und "
                        "die Terrasse erstreckt sich über die gesamte Breite des Hauses.")
    assert page_language([prices, prose]).name == "German"


def test_scored_comment_headers_start_a_thread_below_the_article() -> None:
    # Slashdot-style threads: each comment opens with "Subject (Score:N, Word)", so the
    # article's last paragraph is not taken as the first comment (dev: two Slashdot
    # pages kept 40,000 characters of comments)
    assert kind("Re:Exit Interviews are always flowery (Score:5, Insightful)") == CHROME
    assert kind("Re: (Score:2)") == CHROME
    assert kind("The team's score: 5 goals in two games (Score: a record)") != CHROME
    comments = [
        "Easier headline... (Score:5, Insightful)\nSay nothing but good things, and leave.",
        "Re:Easier headline... (Score:4, Funny)\nUmmm, no. Thousands of times no! Say nothing at all, ever.",
        "Re: (Score:2)\nNot always possible or practical, if you are asked for your opinion of your boss.",
    ]
    assert_only_the_thread_goes(comments)


def test_site_name_is_the_title_part_that_recurs_most() -> None:
    from cleaner.article import _page_title
    from cleaner.signals import words

    # the article's title recurs in a "Recent comments" list too, but less often
    lines = ["Macbeth Inspired T-Shirt from the Affair – Tcritic - The T-Shirt Blog",
             "Tcritic – The T-Shirt Blog", "Macbeth Inspired T-Shirt from the Affair 22Oct12",
             "thekar on Macbeth Inspired T-Shirt from the Affair", "About Tcritic", "Tcritic on Twitter",
             "Fibers.com on Macbeth Inspired T-Shirt from the Affair"]
    units = [Block(n, n + 1, line) for n, line in enumerate(lines)]
    assert _page_title(units).site == set(words("Tcritic"))
    assert _page_title(units[:3]).site == set()  # nothing recurs three times


def test_short_post_under_the_title_repeat_beats_a_sidebar_blurb() -> None:
    # a one-paragraph post: the best run of prose on the page is a sidebar blurb, too
    # thin to trust, but the page's title repeats just above the post (dev: a White
    # House page and a blog post were kept whole)
    menu = "Home\nNews\nSport\nBusiness\nWeather\nJobs\n"
    post = ("Weekly Address: Remembering the Victims of the Storm\nMegan Slack\nJuly 21, 2012\n"
            "The mayor honors the victims of the storm, the people who knew them and loved them, and "
            "those who are still struggling to recover.\n")
    blurb = ("Other Harbour Times Blogs: the Harbour Times blog, the ferry desk, the council desk, the "
             "weather desk and the jobs desk, with all the news from the islands that you need to know "
             "about, every day of the week, and the photographs of the day from our readers and from "
             "our own photographers on the islands.\n")
    page = ("Weekly Address: Remembering the Victims of the Storm | The Harbour Times\n" + menu
            + "Transport\nIslands\n" + post + "Transcript | Download mp4 | Download mp3\n"
            + "Additional information from the Harbour Times\nRelated Topics: Storms\nThe Storm\n"
            + "Featured Content\n" + blurb + menu)
    out = clean(page)
    assert out.startswith(post)  # the edge may keep a line or two of what follows it
    assert "Other Harbour Times Blogs" not in out and "Business" not in out


def test_sidebar_prose_above_the_title_and_byline_is_not_the_article() -> None:
    # the best run of prose takes in an "About the author" blurb above the article;
    # the title's repeat with its byline marks where the article starts (dev: six
    # html_text pages, among them a Google blog and a Wall Street Journal page)
    about = ("About Bob Walsh: Bob is the author of The Web Startup Success Guide, co-hosts the Startup "
             "Success Podcast and has been helping small software companies find their customers for "
             "more than twenty years, from his home office in the hills above the bay.\n")
    post = ("Ferry fares rise again for island commuters\nPosted on: 07-20-2012 by Jane Doe\n" + ARTICLE)
    page = ("Ferry fares rise again for island commuters | Harbour Times\nHome\nNews\nSport\nBusiness\nWeather\n"
            + about + "Ask Bob\nPodcast\n" + post + "About us\nContact\nPrivacy\nTerms\nAdvertise\n")
    out = clean(page)
    assert out == post
    # a section heading that repeats the title inside the article is no new start
    faq = post + ("Ferry fares rise again for island commuters: FAQs\nJuly 2012\n"
                  "Will the monthly pass go up too? Yes: by ten percent from July, while the adult fare stays "
                  "at five dollars for the rest of the year, the authority said.\n")
    page = ("Ferry fares rise again for island commuters | Harbour Times\nHome\nNews\nSport\nBusiness\n"
            "Weather\n" + faq + "About us\nContact\nPrivacy\nTerms\nAdvertise\n")
    assert clean(page) == faq


def test_greetings_and_thanks_open_comments_too() -> None:
    from cleaner.blocks import is_praise

    for line in ("Hi Daniel,", "Hello,", "Dear Mr Paulo,", "Thank you very much.", "Cheers!",
                 "Excellent publish. I will be waiting for more.", "Nice initiative Daniel!!", "wow, it's very nice"):
        assert is_praise(line), line
    for line in ("Hi-tech firms moved in, the mayor said.", "Dear readers of the Harbour Times: the paper will close.",
                 "“Thank you very much,” she said.", "Cheers rang out in the square as the ferry came in."):
        assert not is_praise(line), line


def test_name_with_numeric_date_and_time_is_a_dated_author_line() -> None:
    from cleaner.blocks import is_author

    for line, dated in (("Ranjit | 11/6/2012 3:07:08 AM", True), ("Sriram http://twitter.com/tsriram | 11/6/2012 11:26:08 AM", True),
                        ("  - 03.03.2011, 14:54", False), ("The vote is on 11/6/2012 at the town hall.", False)):
        block = Block(0, 1, line)
        classify(block, NO_STOPLIST)
        assert is_author(block) == dated, line
    comments = "".join(f"{name} | 11/{day}/2012 3:07:08 AM\n{text}\n" for name, day, text in (
        ("Ranjit", 6, "Hi Ed, I was reading through some of the articles on this, and I have a question about the client."),
        ("Kevin", 6, "Good blog, and a good summary of what is coming in the next release of the server."),
        ("Andy Steven", 7, "Hope it is really good. Looking forward to seeing it at the conference next month."),
    ))
    assert clean(ARTICLE + comments) == ARTICLE


def test_the_most_specific_stoplist_wins_a_near_tie() -> None:
    # jusText's Marathi list (2,482 words) holds English words too and covered more
    # of an English LWN page than the English list did
    from cleaner.signals import stoplist_for, words

    english = ("The council said that it would study the data on the ferry, and that the information it has "
               "will be on the web for every user who wants it. The mayor said she was not able to say when the "
               "new timetable would be ready, but that it would be soon.")
    assert stoplist_for(words(english)).name == "English"
    assert stoplist_for(words("Die Stadt hat am Montag den Haushalt für das nächste Jahr beschlossen")).name == "German"
    assert stoplist_for(words("Le conseil municipal a voté le budget de la nouvelle année lundi soir")).name == "French"


def test_wire_credit_line_is_a_byline() -> None:
    # kept at the article's edge like a byline (dev: a Reuters page lost its credit line)
    from cleaner.blocks import BYLINE

    assert kind("(Reporting by Khaled Oweies in Amman and Sam Lee in Antakya, Turkey; Editing by Angus Low)") == BYLINE
    assert kind("Jane Doe and John Roe contributed to this report") == BYLINE


def test_article_header_at_the_top_stays_when_furniture_follows_it() -> None:
    # what a first pass (or an extractor) leaves: the title and byline first, then a
    # few profile links, then the article; the title has no repeat to anchor it, but
    # the byline under it shows it is the article's header (dev: VentureBeat page)
    header = "Ferry fares rise again for island commuters\nAugust 7, 2012 1:39 PM\nJane Doe\n"
    body = ARTICLE + ("Critics said the plan would hurt commuters who rely on the early sailings, and several "
                      "residents spoke against it during the public comment period on Monday night.\n")
    text = header + "Profile\nRecent Stories\nHome\nNews\nSport\nBusiness\nWeather\n" + body
    out = clean(text)
    # the menu between them stays too: losing a header costs more than keeping a menu
    assert out.startswith(header) and out.endswith(body)


def test_archive_line_of_months_and_counts_is_not_prose() -> None:
    archive = "Browse by date " + " ".join(f"{m} 2012 ({n})" for m, n in (
        ("October", 19), ("September", 18), ("August", 15), ("July", 20), ("June", 20), ("May", 22),
        ("April", 19), ("March", 20), ("February", 21), ("January", 17), ("December", 16)))
    assert kind(archive) != PROSE
    # a sentence with numbers in it is still one
    assert kind("The council approved 12 of the 14 projects, worth $3.5 million, on 7 May 2012 by 9 votes to 2.") == PROSE


def test_short_post_under_a_two_word_title_repeat() -> None:
    # a title of two or three words reads as a menu entry; it still anchors the post
    menu = "Home\nNews\nSport\nBusiness\nWeather\nJobs\n"
    post = ("Ferry delays\nJuly 21, 2012\n"
            "The morning ferries ran forty minutes late on Monday after the ramp at the Linden terminal "
            "failed again, the authority said.\n")
    blurb = ("Other Harbour Times Blogs: the Harbour Times blog, the ferry desk, the council desk, the "
             "weather desk and the jobs desk, with all the news from the islands that you need to know "
             "about, every day of the week, and the photographs of the day from our readers and from "
             "our own photographers on the islands. The Harbour Times is published every weekday "
             "morning and read in every home on the islands, from Linden to the lighthouse.\n")
    page = ("Ferry delays | Harbour Times\n" + menu + "Transport\nIslands\n" + post
            + menu + "Featured Content\n" + blurb + menu + "About the Harbour Times\nWrite to the Harbour Times\n")
    out = clean(page)
    assert out.startswith(post) and "Business" not in out


def test_commenter_site_and_name_lines_open_comments() -> None:
    # Disqus-style headers: the commenter's site, then their name
    assert kind("http://twitter.com/danamac Dana McMahan") == CHROME
    assert kind("http://tdhurst.com/ tdhurst") == CHROME
    assert kind("https://example.org/ and wants read-write access to the files") != CHROME
    comments = "".join(f"{head}\n{text}\n" for head, text in (
        ("http://tdhurst.com/ tdhurst", "I know exactly how you feel about the ferry, every single morning."),
        ("http://twitter.com/danamac Dana McMahan", "I wish the council well, and thanks for calling it like you see it."),
        ("http://mccooltravel.example.com McCool Travel", "You have done it before and will do it again, best wishes."),
    ))
    assert clean(ARTICLE + comments) == ARTICLE


def test_dedupe_keeps_a_later_copy_of_the_first_line() -> None:
    # a page dump's <title> line repeats the article's headline word for word; the
    # article heuristic drops the first line as header furniture, so dedupe must keep
    # the headline's own copy (dev: a page lost its headline to the two together)
    from cleaner import Config

    title = "Which ferry pass is best for you, the daily or the monthly one?"
    blurb = "Our readers compare the passes every spring, and this year the answer has changed again.\n"
    text = title + "\n" + blurb + "Home\nNews\n" + title + "\n" + ARTICLE
    result = clean_and_explain(text, Config(article_heuristic=False, builtin_rules=False))
    assert [h.id for h in result.hits if h.kind == "heuristic"] == ["heuristic.dedupe"]
    assert result.text.startswith(blurb) and title in result.text


def test_nameless_commenters_open_comments() -> None:
    assert kind("Anonymous") == CHROME and kind("Anonymous said...") == CHROME
    assert kind("Anonymous sources said the deal was close.") != CHROME
    comments = "".join(f"Anonymous\n{text}\n" for text in (
        "One valuable reform would be to make the ferry authority publish its accounts every month.",
        "Privacy Badger is also a good plugin to mention here, and it is free to install.",
        "This was the most enlightening piece on the ferry that I have read this year.",
    ))
    assert clean(ARTICLE + comments) == ARTICLE


def test_one_date_over_three_comments_marks_a_thread() -> None:
    # "November 12, 2012" / name / comment, three times: the day the post went up
    comments = "".join(f"November 12, 2012\n{name}\n{text}\n" for name, text in (
        ("Alain Chautard", "I got stuck on the ferry a couple of times too, and reading this made me feel better."),
        ("Beth", "Oh the life of an island commuter. I did not realise it included that much waiting."),
        ("Lana", "Totally cannot wait until the new ramp is in. Travel is exhausting but thrilling."),
    ))
    assert clean(ARTICLE + comments) == ARTICLE
    # a chronology's dates differ from line to line: it stays
    timeline = "".join(f"{day}\n{text}\n" for day, text in (
        ("March 3, 2012", "The ramp failed for the first time, and the morning sailings ran late."),
        ("April 9, 2012", "The authority replaced the pump, and the ramp worked for six weeks."),
        ("May 21, 2012", "The ramp failed again, and the council ordered an engineers' report."),
    ))
    assert clean(ARTICLE + timeline) == ARTICLE + timeline


def test_short_post_under_its_title_when_the_site_name_is_unknown() -> None:
    # "Headline - Blog" with a blog name that recurs too rarely to be known: the
    # headline (the title's first part) is what the repeat must hold (dev: R1)
    links = "".join(f"{name}\n" for name in ("Amy Atlas", "Bayside Bride", "Besotted Brand", "Bright Bazaar",
                                            "Brooklyn Bride", "Calder Clark", "Classic Bride", "Once Wed"))
    notice = ("If you see an image we have not linked or given credit to, please let us know so we can give "
              "proper credit, and if you would prefer we not post it, please email us and we will remove it.\n")
    post = ("city chic\nHappy Friday! We love this inspiration board from Snippet and Ink and are excited to "
            "celebrate with a chic couple this weekend.\n")
    page = "city chic - Ritzy Bee blog\nRitzy Bee blog\nSearch\nInspiring places\n" + links + notice + post
    out = clean(page)
    assert out.endswith(post) and "Bayside Bride" not in out and "Ritzy" not in out


def test_a_title_part_over_a_byline_is_the_headline_not_the_site() -> None:
    # the headline recurs (breadcrumb, heading, forum copy) more often than the site's
    # name; standing over the byline marks it as the headline (dev: T53)
    post = ("No Trade Idea\nJuly 18, 2012 By James\n"
            "Here is a quick idea on the no-trade clause: limit the term of any no-trade to five years, or "
            "two thirds of the contract length, which could reduce the length of contracts too.\n")
    page = ("No Trade Idea | Jerseys and Hockey Love\nJerseys and Hockey Love\nContact Me\nThe Jerseys\n"
            "Link Policy\nBest of JAHL\nManifesto\nYou are here: Home / NHL / No Trade Idea\n" + post
            + "Filed Under: NHL\nHome › Forums › No Trade Idea\n"
            + "".join(f"{name}\n" for name in ("Anyone But Detroit", "Avaholics Anonymous", "AvalancheDB",
                                               "Mile High Hockey", "Put It On Ice", "Real Denver Sports",
                                               "Blogroll", "Barry Melrose Rocks", "Kukla's Korner")))
    out = clean(page)
    assert out.startswith(post)
    assert "Contact Me" not in out and "Mile High Hockey" not in out


def test_blog_post_footer_ends_the_post() -> None:
    # Blogger and Movable Type close a post with "Posted by X at 5:00 PM": the short
    # comments under it go, though no name or reply link marks them (dev: R756)
    post = ARTICLE + "Posted by Pukie at November 11, 2012 5:00 PM\n"
    comments = ("Well...this is gonna suck.\nLooking forward to it tho!!!\nWTF! Wow this is going to be tough.\n"
                "A difficult workout on a day that is difficult for many. R.I.P. and thank you.\n"
                "The brave will live for ever.\n10 what?! 150 who!? Challenge accepted.\n")
    result = clean_and_explain(post + comments)
    assert result.text == post
    assert [h.id for h in result.hits if h.kind == "heuristic"] == ["heuristic.comments"]
    # the same line over the post is its byline: nothing goes
    top = "Posted by Pukie at November 11, 2012 5:00 PM\n" + ARTICLE + comments
    assert clean(top) == top


def test_date_line_above_the_title_repeat_stays() -> None:
    # "November 11, 2012" over the post's title: the date belongs to the post (dev: R756)
    more = ("Commuters who cross twice a day will pay about forty dollars more a month, the authority "
            "said, and the monthly pass will go up by the same share from the first of July.\n")
    post = "November 11, 2012\nFerry fares rise again\nTimetable:\nLinden 7:40\nHarbour 8:15\n" + ARTICLE + more
    page = ("Harbour Times: Ferry fares rise again\nHome\nNews\nSport\nBusiness\nWeather\nJobs\n" + post
            + "About us\nContact\nPrivacy\nTerms\nAdvertise\n")
    assert clean(page) == post


def test_blog_post_under_its_dated_title_ends_at_its_footer() -> None:
    # Blogger's "Blog name: Post title": the post's title repeats (the title's last
    # part) under its date, a short post with an address in short lines follows, and
    # the engine's footer closes it; the comments and the sidebar blurb go (dev: R103)
    post = ("Monday, October 22, 2012\nLittle gifts for friends\nDear all,\n"
            "I would love to invite you to the book event at The Reading Bug this Saturday at 11 am.\n"
            "Location:\nThe Reading Bug\n785 Laurel St,\nSan Carlos,\nCA 94070-3113\nHope to see you there.\n"
            "Cheers,\nAlina\nPosted by Alina Chau at 9:22 AM\n")
    thread = ("2 comments:\nmartinealison said...\nJ'aurais bien aimé venir... Malheureusement je suis loin.\n"
              "7:28 PM\nColette said...\nI love the octopus!\n12:43 PM\nPost a Comment\n")
    blurb = ("Thank you for visiting my blog. Professionally, I am a story artist at a film studio. For fun, I "
             "do gallery and museum exhibitions, and I write and illustrate picture books for children.\n")
    page = ("Ice-Cream Monster Toon Cafe: Little gifts for friends\n" + post + thread
            + "Minty's pet\nAlina Chau\n" + blurb + "Share the Fun\nPosts\nAtom\nPosts\n")
    out = clean(page)
    assert post in out and "octopus" not in out and "Thank you for visiting" not in out


def test_author_note_ending_in_an_address_is_not_a_headline() -> None:
    # "X is a reporter ... email him at x@site.com" has no full stop, but it is the
    # article's last line, not one of the headlines of a link list after it
    from cleaner.article import _headline_like

    note = Block(0, 1, "Lucas Nolan is a reporter for the Harbour Times covering the islands and the ferries. "
                       "Follow him on Twitter @LucasNolan_ or email him at lnolan@example.com")
    classify(note, NO_STOPLIST)
    assert note.kind == SHORT and not _headline_like(note)
    follow = Block(0, 1, "Follow me on twitter @tcritic")  # a short prompt is still furniture
    classify(follow, NO_STOPLIST)
    assert _headline_like(follow)


def test_blog_header_above_a_dated_post_title_goes() -> None:
    # "Blog name: Post title", the blog's name and description, then the post under
    # its date and title: the header goes even where the page is no menu-laden dump
    # (dev: R87, R825)
    post = ("Friday, October 19, 2012\nCool Technology of the Week\n"
            "Not exactly a cool technology, but a cool product of nature. I was walking in the apple "
            "orchard at dawn this morning and found a giant puffball mushroom.\n"
            "As a mycologist, I generally get calls about humans eating mushrooms. With this one, I'm "
            "more concerned about mushrooms eating humans!\n"
            "Fungi that's bigger than a car tire. That's cool!\nPosted by John Halamka at 3:00 AM\n")
    header = ("Life as a Healthcare CIO: Cool Technology of the Week\nLife as a Healthcare CIO\n"
              "Every day I experience life in the world of healthcare IT, supporting 3000 doctors, 18000 "
              "faculty, and 3 million patients. In this blog I share my thoughts and experiences.\n")
    assert clean(header + post) == post
    # no date over the repeat: nothing says where a post starts, so nothing goes
    undated = header + post.replace("Friday, October 19, 2012\n", "")
    assert clean(undated) == undated



def test_post_under_its_dated_title_runs_to_its_comment_count_footer() -> None:
    # a long "Site - Blog - Post title" title, a menu of 40 places, then the post under
    # its date and title, a list of places and photo captions, and a Squarespace-style
    # footer with the comment count: the post is the whole stretch (dev: R84)
    places = "".join(f"{name} sessions\n" for name in ("Austria", "Adelaide", "Brisbane", "Melbourne", "Perth",
                                                       "Sydney", "Bahrain", "Belgium", "Brasilia", "Rio",
                                                       "Calgary", "Ottawa", "Toronto", "England", "Germany"))
    post = ("Oct 11 2012\n2013 World Tour\nThursday, October 11, 2012 at 8:04AM\n"
            "We are excited to announce our first destinations for our 2013 world tour. The signup pages are "
            "going live today and you can find each destination on the left sidebar.\n"
            "Here are the places we'll visit for the first half of 2013:\n"
            + "".join(f"{name}\n" for name in ("Bahrain", "Sri Lanka", "India", "Jakarta", "Hong Kong"))
            + "Some of our favorite images from our previous world tours:\nTokyo, Japan\nCosta Rica\n"
            "Brasilia, Brazil\nRio de Janeiro, Brazil\nParis, France\nJasper Park, Canada\n")
    page = ("Family Photography, Temecula, CA - Blue Lily Photo - Blue Lily Blog - 2013 World Tour\nBLOG\nAbout\n"
            + places + places.replace("sessions", "workshops") + post
            + "Blue Lily Photography | 14 Comments | Share Article\nView Printer Friendly Version\n"
            + places)
    out = clean(page)
    assert post in out and "Austria sessions" not in out and "Printer Friendly" not in out


def test_blog_post_between_its_dated_title_and_permalink_is_the_article() -> None:
    # a Blogger page with no comment furniture at all: the title's repeat with the
    # date under it starts the post, "Permalink" ends it, the sidebar after it goes
    # (dev: R545, R67)
    post = ("Highlighting journalists on Google News\nWednesday, November 2, 2011 1:36 PM\n"
            "Posted by Eric Weigle, Software Engineer\n"
            "Great journalism takes more than facts and figures: it takes skilled reporters to knit together "
            "compelling stories, and readers want to know who wrote what they read.\n"
            "Accordingly, Google News is rolling out more information about journalists over the next several "
            "weeks, starting with English-language editions.\nPermalink\n")
    sidebar = ("Site Feed\nArchives\nSubscribe to receive posts via email\nPost Categories\nannouncements (30)\n"
               "features (43)\nMore Blogs from Google\nVisit our directory for more information about Google blogs.\n")
    page = "Google News Blog: Highlighting journalists on Google News\n" + post + sidebar
    assert clean(page) == post
    # the same post without its footer: the end is not known, so nothing after it goes
    open_ended = "Google News Blog: Highlighting journalists on Google News\n" + post.replace("Permalink\n", "") + sidebar
    assert clean(open_ended).endswith(sidebar)


def test_page_language_prefers_sentences_to_a_menu_run_into_one_line() -> None:
    # a "Select a City..." list run into one long line outweighed the article and
    # voted for Finnish; blocks with sentences in them decide when there are enough
    from cleaner.article import page_language

    cities = "Select a City " + " ".join(["Ann Arbor Boston Chicago Detroit Las Vegas Los Angeles New York",
                                          "Salt Lake City San Antonio San Diego San Francisco Santa Barbara"] * 8)
    english = ("You love dad jokes and you actually love mom jokes, but kids are natural comedians! Why not "
               "encourage them to get punny with these jokes? They will have the whole family laughing. ")
    units = [Block(0, 1, cities), Block(1, 2, english * 3), Block(2, 3, "Sign up for updates and let us help you be "
                                                                    "the parent we know you are.")]
    assert page_language(units).name == "English"


def test_comment_form_heading_ends_the_article_without_a_thread() -> None:
    # "Leave a reply" with no comment under it: sidebar headlines that end like
    # sentences ("... in Stock at Amazon!") would carry the best run past it (dev: R183)
    menu = "".join(f"{name}\n" for name in ("Home", "News", "Sport", "Business", "Weather", "Jobs", "About us"))
    post = ("October 30, 2012\nFirst time in stock: the new 35-100mm lens!\n"
            "This is the very first time the new 35-100mm lens is in stock at the camera shop. Only two of them "
            "are left! In Germany this lens has been in stock for days now, and the price is lower there.\n"
            "The shop says that more of them will come in next week, but it could not say how many, and the "
            "maker has not said when the lens will be sold in other countries, or what it will cost there.\n"
            "P.S.: A long list of compact cameras is sold by the same shop, and by two others on the same street.\n")
    sidebar = ("Leave a reply\nEmail (not published)\n"
               "New GH3 and 35-100mm lens hands-on: the first pictures and a long video. Compact cameras are "
               "in stock at the shop!\n"
               "New 12-35mm and 35-100mm pictures from the launch in Tokyo, with the prices for Europe and for "
               "the United States.\nThe 45-175mm lens is in stock at the shop! The 25mm is back in stock at the "
               "other shop too, for a few days only.\n"
               "Random posts\nSLR lens update (with new 12mm fast lens coming)\n"
               "Disclaimer: this site has no affiliation with any of the makers of the cameras and lenses that it "
               "writes about, and all the names used here belong to their owners, who have not endorsed it. If you "
               "want to use any image from this website you have to ask for permission first.\n")
    page = "First time in stock: the new 35-100mm lens! | Lens Rumors\n" + menu + post + sidebar + menu
    out = clean(page)
    assert out.startswith(post) and "Leave a reply" not in out and "Disclaimer" not in out



def test_thread_heading_three_blocks_up_starts_the_thread() -> None:
    # "9 Responses to “…”", a feed line and the first commenter's name, then the first
    # dated comment: the thread starts at its heading, so the edge walk does not take
    # the article's closing lines above it for a headline list (dev: R151)
    from cleaner.article import comment_start

    ending = ["Results will be announced on 25 March (Mails were sent to the winners)",
              "Download Trial or Buy Advanced Battery Saver (Only 1.99 $)"]
    thread = ["9 Responses to “Advanced Battery Saver With 2 Licences”", "Feed for this Entry Trackback Address"]
    for n, (name, text) in enumerate([
            ("Tareeq", "I would like to get one. I hope I will win this one. Thank you very much for it!"),
            ("Daniel", "This was needed a long time ago, and it works well on my phone, thank you."),
            ("Alec", "Very nice contest, I am in. It sounds like a very good application to me.")], 1):
        thread += [f"{n} {name}", f"Mar {17 + n}th, 2010 at {n}:45 am", text]
    texts = ARTICLE.splitlines() + ending + thread
    units = [Block(n, n + 1, text) for n, text in enumerate(texts)]
    for u in units:
        classify(u, NO_STOPLIST)
    assert comment_start(units, 0) == len(ARTICLE.splitlines()) + len(ending)


def test_data_rows_are_list_items_not_menu_entries() -> None:
    # "Calories : 216" under "Nutritional value": a table of the article, which the
    # edge walk must not weigh as a menu (dev: trafilatura-0453)
    from cleaner.blocks import ITEM

    assert kind("Calories : 216") == ITEM and kind("Fats : 11 g") == ITEM and kind("Prep time: 15 min") == ITEM
    assert kind("Home") == NAV and kind("Contact us") == NAV


# ----------------------------------------------------------------------------- never eat the article
LEDE = ("Harbor officials said on Tuesday that two early ferry sailings would start on Monday, after six weeks "
        "of full boats and riders turned away at the gangway of Pier 4.\n")
BODY = "".join(
    f"Paragraph {n} of the report says the authority will count riders again in October and decide then "
    f"whether to keep the boats, add a third sailing or move the money to the evening service instead, "
    f"which the nurses' union has asked for since the late shift began to wait forty minutes for a boat.\n"
    for n in range(1, 6))


def test_bare_comments_marker_over_the_article_does_not_cut_it() -> None:
    # a share bar's "Comments" under a long lede: the article goes on in long paragraphs
    lede = LEDE.strip() + (" The authority's board voted for the change without debate, and its chair said the "
                           "third sailing the riders asked for could follow in the autumn if the counts hold up.\n")
    body = BODY + BODY.replace("Paragraph ", "Section ")
    text = "Early ferries start Monday\n" + lede + "Share\nTweet\nComments\n" + body
    result = clean_and_explain(text)
    assert body in result.text
    assert any(h.id == "comments_tail.heading" and h.action == "flag" for h in result.hits)


def test_comments_marker_over_a_thread_of_short_comments_still_cuts() -> None:
    comments = "".join(f"Great news, finally{'!' * n}\nxoxo from pier {n}\n" for n in range(1, 8))
    text = LEDE + BODY + "38 Comments\n" + comments
    assert clean(text) == LEDE + BODY


def test_comment_count_next_to_the_date_is_the_headers() -> None:
    from cleaner.engine import _under_dateline
    from cleaner.segments import split_lines

    for header in ("July 12th, 4:01pm\n0 comments\n", "Posted on: \n07-20-2012\nWith:\n1 Comment\nPosted by: Bob Walsh\n",
                   "Associated Press December 2, 2016\n11 Comments\n",
                   # html2text glues the date to the agency's link, and the link's
                   # syntax goes before the rules run
                   "[Associated Press](http://www.ap.org/)December 2, 2016\n11 Comments\n",
                   "Associated PressDecember 2, 2016\n11 Comments\n"):
        lines = split_lines(LEDE + header + BODY)
        count = next(i for i, line in enumerate(lines) if "omment" in line.text)
        assert _under_dateline(lines, count), header
        text = "Early ferries start Monday\n" + header + LEDE + BODY
        assert BODY in clean(text), header
    lines = split_lines(LEDE + BODY + "18 Comments\nGreat piece!\n")
    assert not _under_dateline(lines, len(lines) - 2)


def test_headline_is_kept_over_a_byline_without_a_title_line() -> None:
    # a text browser's dump starts with the menu, not the page's <title>
    menu = "".join(f"  * {item}\n" for item in ("Home", "News", "Sports", "Business", "Opinion", "Weather", "Video"))
    text = (menu + "Harbor ferry adds early sailings\n  * \n  * \nBy Dana Okafor | March 4, 2025\n"
            "  * Share\n  * Tweet\n  * Email\n" + LEDE + BODY + menu)
    out = clean(text)
    assert "Harbor ferry adds early sailings" in out and "By Dana Okafor" in out and BODY in out
    assert "Opinion" not in out


def test_headline_is_kept_over_a_pager_and_a_byline_with_separators() -> None:
    # a gallery's pager between headline and byline; the byline's bullets give it a
    # link line's shape; the dump opens with a one-word menu entry, not a title
    menu = "".join(f"  * {item}\n" for item in ("Home", "News", "Sports", "Business", "Opinion", "Weather", "Video"))
    for byline, pager in (("By Dana Okafor \u2022 March 4, 2025 \u2022 Riverside", "Previous 1 / 18 Next\n"),
                          ("Date: March 4, 2025 | Category: Transport | Author: Dana Okafor",
                           "Previous 1 / 18 Next\n"),
                          ("By Dana Okafor | March 4, 2025", "Previous\n1 / 18\nNext\n")):  # a dump of text nodes
        text = (menu + "Harbor Ferry Early Sailings | Pictures\nHarbor ferry adds early sailings\n"
                + pager + byline + "\n" + LEDE + BODY + menu)
        out = clean(text)
        assert out.startswith("Harbor ferry adds early sailings\n" + byline + "\n"), byline
        assert BODY in out and "1 / 18" not in out and "Opinion" not in out


def test_page_title_line_is_kept_when_the_page_repeats_no_headline() -> None:
    menu = "".join(f"{item}\n" for item in ("Home", "News", "Sports", "Business", "Opinion", "Weather", "Video"))
    text = "Harbor ferry adds early sailings | The Riverside Ledger\n" + menu + LEDE + BODY + menu
    out = clean(text)
    assert out.startswith("Harbor ferry adds early sailings | The Riverside Ledger\n") and BODY in out


def test_glued_headline_list_is_no_prose() -> None:
    glued = ("Rhapsody for Android updated with personalized recommendationsHTC and Verizon hooking up Nov. 13 "
             "in NYCVerizon hands out free phonesBlackBerry theme roundup - November 6, 2012Instagram begins "
             "rolling out web profiles for users.")
    block = Block(0, 1, glued)
    block.glue = 5
    classify(block, NO_STOPLIST)
    assert block.kind != PROSE


def test_run_in_menu_in_title_case_is_no_prose() -> None:
    assert kind("JUMP TO: Other White House Blogs The White House Blog Middle Class Task Force Council of "
                "Economic Advisers Council on Environmental Quality Council on Women and Girls Office of Management "
                "and Budget Office of Public Engagement") != PROSE


def test_interview_question_asked_of_each_guest_is_kept() -> None:
    question = "What would you tell a young person who wants to open a shop on Dock Street today?"
    answers = [f"Guest {n} said the rent is the hard part, and that the neighbours are the best part of the "
               f"street, by far, in her {n} years there." for n in range(1, 4)]
    text = "We asked three shop owners the same question.\n" + "".join(f"{question}\n{answer}\n" for answer in answers)
    assert clean(text).count(question) == 3


def test_copied_paragraph_still_goes() -> None:
    para = "The council approved the new ferry budget on Monday after a debate that ran late into the night."
    text = f"{para}\nThe vote was seven to two.\n{para}\nThe mayor signed it on Tuesday.\n"
    assert clean(text).count(para) == 1


MORE_ARTICLE = (
    "Ferry riders packed the hearing room and spilled into the hallway, where a speaker carried the debate "
    "to those who could not find a seat.\n"
    "Several of them told the board that the early boat is the only way to reach their jobs on the "
    "mainland, and that a higher fare would push them to move off the island.\n"
    "The finance director said the budget assumes the state will pay for half of the ramp repairs, a "
    "promise that lawmakers have not yet put in writing.\n"
    "If the money does not come through, the board would have to borrow against next year's fares or "
    "delay the work until the spring.\n"
)
MENU = "".join(f"{w}\n" for w in ("Home", "News", "Sport", "Business", "Weather", "Jobs", "Video", "Contact"))


def test_an_article_about_the_title_beats_a_footer_of_longer_blurbs() -> None:
    # dragnet-R184 through BeautifulSoup and lxml: a footer of video blurbs outscored the
    # article, whose paragraphs the dump had broken up, and the whole article went
    title = "Linden Island Ferry Budget Approved After Late Debate - The Harbour Times\n"
    blurbs = "".join(
        f"{topic} and everything else you need to know before the weekend, in our video of the week from "
        "the studio, with interviews, highlights from the games and a look at what is coming next month "
        "in the cinemas, the theatres and the galleries of the city.\n"
        for topic in ("Watch the match report", "Catch up with the festival", "See the fashion show",
                      "Meet the new chef", "Tour the old mill", "Walk the coast path", "Taste the new beer"))
    page = title + MENU * 3 + ARTICLE + MORE_ARTICLE + MENU * 10 + blurbs + MENU
    result = clean_and_explain(page)
    assert ARTICLE + MORE_ARTICLE in result.text and "video of the week" not in result.text
    reasons = [h.reason for h in result.hits if h.id == "heuristic.article"]
    assert reasons and all("chosen over the best-scoring run" in r for r in reasons)


def test_a_site_blurb_matching_a_tagline_title_does_not_displace_the_article() -> None:
    # dragnet-R195 through inscriptis: the page's title is the site's tagline, and the
    # footer's one-paragraph self-description holds its words: the article stays
    title = "News About Ferries, Islands and Weather | The Harbour Times\n"
    about = ("The Harbour Times brings you news about ferries, islands and weather, every day, from the "
             "newsroom on the quay: the timetables, the storms, the council and the people of the islands, "
             "with photographs from our readers and the best of the forecasts for the weekend. It was "
             "founded in 1871 by a ferry captain and his sister, who printed the first issue in the back "
             "room of the harbour master's office, and it has appeared every week since, through two wars, "
             "three fires and the great storm of 1953, when the press was carried up the hill by hand and "
             "the paper came out a day late, for the only time in its history.\n")
    page = title + MENU * 3 + ARTICLE + MORE_ARTICLE + MENU * 10 + about + MENU
    result = clean_and_explain(page)
    assert ARTICLE + MORE_ARTICLE in result.text
    assert not any("chosen over" in h.reason for h in result.hits)


def test_a_comment_heading_over_the_article_does_not_cut_it() -> None:
    # a page dump: a sidebar of teasers ends in "Join the Conversation", and the
    # article, under the page title's repeat, comes below it; a cut there took it whole
    teasers = ("Stocks rally for a third day\nReuters\n16 Comments\nMarkets rose for a third day on Friday as "
               "investors bet that the central bank would hold rates steady through the spring, and the banks and "
               "the big exporters led the rally for most of the session, while bond yields fell to their lowest level "
               "since the autumn and the dollar weakened against the euro.\n"
               "Libraries to close in spring\nCity Desk\n9 Comments\nThe city council voted on Monday to close two "
               "branch libraries in the spring, after a debate over the budget that ran late into the night and "
               "left several members of the public in tears, and the union said it would take the decision to court "
               "before the end of the month.\n")
    text = ("Harbor ferry adds early sailings\n" + teasers + "Join the Conversation\n"
            "Harbor ferry adds early sailings\nAssociated Press\nMarch 4, 2025\n" + LEDE + BODY)
    result = clean_and_explain(text)
    assert result.text.endswith("Harbor ferry adds early sailings\nAssociated Press\nMarch 4, 2025\n" + LEDE + BODY)
    assert any(h.id == "comments_tail.heading" and h.action == "flag" and "page title's repeat" in h.reason
               for h in result.hits)
    # the same heading under the article, over its thread, still cuts
    thread = "Join the Conversation\nGreat piece, thanks.\nI disagree with every word of it.\n"
    assert clean("Harbor ferry adds early sailings\n" + LEDE + BODY + thread) == (
        "Harbor ferry adds early sailings\n" + LEDE + BODY)


def test_embedded_posts_are_not_a_comment_thread() -> None:
    # embedded tweets, split by the dump: "—" / "Name (@handle)" / the same date each
    # time, then the next one's text: a thread's dated author lines, but quoted
    tweets = "".join(
        f"@NFLfantasy {pick} has been the steal of the season in my league, and nobody saw it coming in the draft.\n"
        f"#SocialFF\n—\n{name} (@{handle})\nNovember 02, 2012\n"
        for pick, name, handle in (("Percy Harvin", "Pat Haneman", "PatHaneman"),
                                   ("Matt Ryan", "Scott Talsma", "stalsma"),
                                   ("Alfred Morris", "Josh Weidman", "joshweidman6"),
                                   ("Stevan Ridley", "Vince Bernth", "vbernth85")))
    menu = "".join(f"{item}\n" for item in ("Home", "News", "Sports", "Business", "Opinion", "Weather", "Video"))
    text = "Your fantasy MVP picks | The Riverside Ledger\n" + menu + LEDE + "Here are your picks.\n" + tweets + BODY + menu
    out = clean(text)
    assert tweets in out and BODY in out and "Opinion" not in out


def test_a_subheading_that_repeats_the_title_does_not_start_the_article() -> None:
    # "Bigger, Faster Photos" heads the post; "Bigger Photos, Faster Loading" is a
    # section of it, under the lede and an update's date: no sidebar above it
    menu = "".join(f"{item}\n" for item in ("Home", "News", "Sports", "Business", "Opinion", "Weather", "Video"))
    paras = BODY.splitlines(keepends=True)
    article = (LEDE + paras[0] + "Updated on Friday, March 7, 2025:\n" + paras[1]
               + "Early Ferry Sailings Added\n" + "".join(paras[2:]))
    text = ("Early ferry sailings added | The Riverside Ledger\n" + menu
            + "Early ferry sailings added by Dana Okafor on March 4, 2025\n" + article + menu)
    out = clean(text)
    assert "Early ferry sailings added by Dana Okafor on March 4, 2025\n" + article in out
    assert "Opinion" not in out


def test_a_blog_footer_split_into_text_nodes_closes_a_short_post() -> None:
    from cleaner.article import _post_end

    texts = ["I would love to invite you to the Treehouse Heroes book event at the Reading Bug this coming "
             "Saturday, where I will read from the book and sign copies.",
             "Location:", "785 Laurel St,", "San Carlos,", "Hope to see you there.", "Cheers,",
             "Posted by", "Alina Chau", "at", "9:22 AM", "2 comments:", "martinealison", "said..."]
    units = [Block(n, n + 1, text) for n, text in enumerate(texts)]
    for u in units:
        classify(u, NO_STOPLIST)
    assert _post_end(units, 0) == texts.index("9:22 AM") + 1
    # no footer: the post is its paragraph
    assert _post_end(units[:6], 0) == 1


def test_numbered_steps_are_not_teasers() -> None:
    from cleaner.blocks import TEASER, mark_teasers

    def paired(heads: list[str]) -> list[Block]:
        units = []
        for n, head in enumerate(heads):
            for text in (head, f"Gently press the moss around foam block {n} until it holds, then water it."):
                units.append(Block(len(units), len(units) + 1, text))
                classify(units[-1], NO_STOPLIST)
        mark_teasers(units)
        return units

    steps = paired([f"Step {n}" for n in range(1, 7)])
    assert not any(u.kind == TEASER for u in steps)
    # other stories' headlines, or their dates, over blurbs are teasers
    for heads in (["Ferry Fares Rise Again", "Council Delays Budget Vote", "Storm Closes Harbor Road",
                   "Library Opens New Wing", "Mayor Names New Police Chief", "Bridge Repairs Start Monday"],
                  [f"November {n}" for n in range(1, 7)]):
        assert all(u.kind == TEASER for u in paired(heads)[:-1]), heads


def test_a_section_heading_under_the_body_is_no_headline_repeat() -> None:
    # the page title names the section ("Harbor News > Ferries"); its repeat under the
    # article heads a sidebar, not prose, so the article's own headline must be found
    from cleaner.article import PROSE, _headline, _page_title
    from cleaner.segments import split_lines
    from cleaner.view import units as view_units

    text = ("## [Harbor News](http://www.example.com/) > Ferries\n"
            "# [Harbor ferry adds early sailings](http://www.example.com/a)\n"
            "- Views\n- 5835\n- Comments\n- 11\n" + LEDE + "### [Harbor News](http://www.example.com/)\n"
            "#### MOST POPULAR\n1. [Council Delays Budget Vote](http://www.example.com/1)\n")
    units = view_units(split_lines(text), text)
    for u in units:
        classify(u, NO_STOPLIST)
    body = next(n for n, u in enumerate(units) if u.kind == PROSE)
    assert [units[n].text for n in _headline(units, _page_title(units), body, body)] == [
        "Harbor ferry adds early sailings"]


def test_a_title_repeat_is_measured_against_the_title_without_its_site_part() -> None:
    from cleaner.article import _is_title_repeat

    def block(text: str) -> Block:
        u = Block(0, 1, text)
        classify(u, NO_STOPLIST)
        return u

    title = block("Harbor Ferry Sailings, Fares, Timetables - The Riverside Evening Ledger").wordset
    site = {"the", "riverside", "evening", "ledger"}
    assert _is_title_repeat(block("Harbor Ferry Sailings History"), title, site)
    assert not _is_title_repeat(block("The Riverside Evening Ledger"), title, site)
    assert not _is_title_repeat(block("Harbor Weather Today"), title, site)


def test_an_indented_or_padded_line_is_judged_by_its_text() -> None:
    # inscriptis indents by nesting, a dump of text nodes pads with the source's spaces:
    # the marker line is the same line
    paras = BODY.splitlines(keepends=True)
    text = LEDE + paras[0] + "            Advertisement   \n" + "".join(paras[1:])
    assert clean(text) == LEDE + BODY
    # a wrapped sentence's piece that goes on in lower case is no tags line of its own
    wrapped = ("The contest runs for a week, and players can compete in three\n"
               "      categories: Time Attack, Coin Collection and Special Stages.\n")
    assert "categories: Time Attack" in clean(LEDE + wrapped + BODY)


def test_an_indented_comment_heading_over_the_article_does_not_cut_it() -> None:
    # a dump's share bar, indented, over the body: most of the prose is under it
    bar = "".join(f"      {item}\n" for item in ("Share on Facebook", "Share on Twitter", "Print Article"))
    text = ("Harbor ferry adds early sailings\n" + bar + "      Comments\n"
            "By Dana Okafor\nMarch 4, 2025\n" + LEDE + BODY)
    result = clean_and_explain(text)
    assert BODY in result.text and LEDE in result.text
    assert not any(h.action == "truncate" for h in result.hits)
    # under the article, over its thread, the same heading cuts
    thread = "      Comments\nJoe says:\nGreat piece, thanks.\nAnn says:\nI disagree with every word of it.\n"
    assert clean(LEDE + BODY + thread) == LEDE + BODY
