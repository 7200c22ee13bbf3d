"""Chrome patterns as data: the line shapes that are page furniture, not article body.

A new site quirk is a one-line change here (like trafilatura's xpaths.py). Every pattern is
matched against one whitespace-collapsed line, and is deliberately anchored and length-bound: a
body sentence that merely mentions "share" or "copyright" must never match.

Patterns anchored at the line start are written as `Start(openings, rest)`: the regex is
`(?:opening|...)(?:rest)`, and the openings' literal first characters give a cheap exact gate
(`LineStart.match` skips the regex for a line opening with anything else). Whole-line labels
("Share", "Related articles:") are a set, looked up after lower-casing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_I = re.IGNORECASE
_DIGITS = tuple("0123456789")

# --------------------------------------------------------------------------------------------
# Anchored patterns with declared openings
# --------------------------------------------------------------------------------------------


class Start(NamedTuple):
    """Lines opening with one of `openings` (regex fragments) followed by `rest`. `keys`
    overrides the gate keys for openings without two literal leading characters (digits)."""

    openings: tuple[str, ...]
    rest: str = ""
    keys: tuple[str, ...] | None = None


_REGEX_SYNTAX = set(".^$*+?{}[]|()")


def literal_head(fragment: str, k: int = 2) -> str:
    """The first `k` characters every match of `fragment` opens with, lower-cased, as far as
    they are literal (an escaped symbol counts; a class, group or optional character ends it)."""
    out, i = "", 0
    while i < len(fragment) and len(out) < k:
        c = fragment[i]
        if c == "\\":
            nxt = fragment[i + 1:i + 2]
            if not nxt or nxt.isalnum():
                break  # \d, \w, \b, \s: a class or an assertion
            lit, step = nxt, 2
        elif c in _REGEX_SYNTAX:
            break
        else:
            lit, step = c, 1
        if fragment[i + step:i + step + 1] in ("?", "*", "{"):
            break  # the character may be absent
        out += lit.lower()
        i += step
    return out


def _top_level_bar(fragment: str) -> bool:
    """Whether `fragment` holds an alternation outside any group (one opening per fragment)."""
    depth, i = 0, 0
    while i < len(fragment):
        c = fragment[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: no group or bar inside counts
            i = fragment.index("]", i + 2)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


class LineStart:
    """Anchored line patterns and whole-line labels with an exact gate on the line's first
    characters: a line opening with ASCII characters no pattern or label can open with skips
    the regex (most lines). Lines opening with non-ASCII characters are always tried, since
    case-insensitive matching of those is not str.lower's."""

    def __init__(self, starts: list[Start], labels: tuple[str, ...] = (), *,
                 label_colon: bool = True, flags: int = _I):
        self.labels = frozenset(x.lower() for x in labels)
        self.label_colon = label_colon  # a label may be followed by " :" or ":"
        self.regex = re.compile("|".join(
            "(?:" + "|".join(s.openings) + ")(?:" + s.rest + ")" for s in starts), flags) \
            if starts else None
        keys: set[str] = set()
        for s in starts:
            if s.keys is not None:
                keys.update(k.lower() for k in s.keys)
                continue
            for fragment in s.openings:
                if _top_level_bar(fragment):
                    raise ValueError(f"opening {fragment!r}: one alternative per opening")
                head = literal_head(fragment)
                if not head:
                    raise ValueError(f"opening {fragment!r} has no literal first character: give keys")
                keys.add(head)
        keys.update(label[:2] for label in self.labels)
        self.keys2 = frozenset(k for k in keys if len(k) == 2)
        self.keys1 = frozenset(k for k in keys if len(k) == 1)

    def may_match(self, text: str) -> bool:
        """False only when no pattern or label can match `text` (the gate alone)."""
        head = text[:2]
        if not head.isascii():
            return True
        head = head.lower()
        return head in self.keys2 or head[:1] in self.keys1

    def match(self, text: str) -> bool:
        if not self.may_match(text):
            return False
        if self.labels:
            low = text.lower()
            if self.label_colon and low.endswith(":"):
                low = low[:-1].rstrip()
            if low in self.labels:
                return True
        return self.regex is not None and self.regex.match(text) is not None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

# Month names in the languages the archive receives, every written form (full, abbreviated).
MONTH_FORMS = (
    "january janvier janeiro januar jannaio jan "
    "february februar febbraio feb fevrier février fevereiro févereiro fev fév "
    "march mars março marzo maret mar märz marz "
    "april aprile apr avril avr abril abr may maio mai mei "
    "june juni junho junio jun juin giugno giu "
    "july juli julho jul juillet juil luglio lug "
    "august aug agosto ago agustus agu aout août "
    "september septembre septembro sept sep setembro settembre set "
    "october octobre oct oktober okt outubro out ottobre ott "
    "november novembre novembro nov "
    "december dec décembre decembre déc dezember dezembro dez dicembre dic desember des "
    "января январь февраля февраль марта март апреля апрель мая май июня июнь июля июль "
    "августа август сентября сентябрь октября октябрь ноября ноябрь декабря декабрь"
).split()
_MONTHS = "(?:" + "|".join(sorted(MONTH_FORMS, key=len, reverse=True)) + r")\.?"

# A date anywhere in a line: "Oct. 19, 2023", "19 October 2023", "2023-10-19", "19/10/2023",
# "2023년 10월 19일", "2023年10月19日", "19 октября 2023".
DATE_RE = re.compile(
    r"(?:\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?" + _MONTHS + r",?\s+(?:de\s+)?\d{4}\b"
    r"|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"
    r"|\d{4}\s*[년年]\s*\d{1,2}\s*[월月]\s*\d{1,2}\s*[일日]?"
    r"|\b" + _MONTHS + r"\s+\d{4}\b)",
    _I,
)
# DATE_RE tries its month alternation at every position (~20 us on a line holding a year): it
# runs only on a line holding a numeric date, or four digits in a row and a word opening like a
# month (the first three letters of an ASCII month form; a word opening otherwise may be one).
DATE_NUMERIC_HINT_RE = re.compile(r"\d[-/.]\d|\d\s*[년年]")
DATE_MONTH_STEMS = frozenset(form[:3] for form in MONTH_FORMS if form[0].isascii())
TIME_RE = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?\b", _I)
RELATIVE_TIME_RE = re.compile(
    r"^(?:about\s+)?\d+\s*(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|[smhd])\s+ago$"
    r"|^(?:yesterday|today|just now|há\s+\d+\s+\w+|vor\s+\d+\s+\w+|\d+\s*(?:분|시간|일)\s*전)$",
    _I,
)
# A line that introduces a date: "Published : Oct. 19, 2023", "Updated 19 October 2023".
DATE_LEAD_RE = re.compile(
    r"^(?:(?:first\s+)?published|updated?|last\s+(?:updated|modified)|posted|modified|created|"
    r"date|dated|publicado|atualizado|actualizado|em|pubblicato|aggiornato|ver[öo]ffentlicht|"
    r"aktualisiert|stand|diterbitkan|diperbarui|publié|mis\s+à\s+jour|опубликовано|обновлено|"
    r"입력|수정|등록|업데이트|更新|公開|配信|掲載|发布|发表)\b\s*(?:on|at|:|-|—|–)?",
    _I,
)
DATE_LINE_MAX_WORDS = 14  # a date line is a stamp, not a sentence about a date

# --------------------------------------------------------------------------------------------
# Bylines
# --------------------------------------------------------------------------------------------

# "By Yonhap", "BY MICHAEL LEE [...]", "Written by ...", "Por Fulano", "Von ...", "Oleh ...".
BYLINE = LineStart([Start((
    "by", r"written\s+by", r"reported\s+by", r"words\s+by", r"story\s+by", "author:?",
    "authors:?", "por", "von", "di", "oleh", "par", "автор:?", "текст:?"), r"\s+\S")])
# Korean / Japanese reporter credits: "홍길동 기자", "(서울=연합뉴스) 홍길동 기자 =", "記者".
BYLINE_CJK_RE = re.compile(r"^[\w\s=()]{0,30}(?:기자|특파원|記者|特派員)(?:\s*=|\s*[\w.@-]+)?$")
BYLINE_MAX_WORDS = 12  # a byline names one to a few people and their outlet
# What a byline carries besides the names (fields.byline_names): the lead word, e-mail
# addresses and the "[email protected]" a site left where it hid one, a trailing role, outlet
# or date, a reporter's title.
BYLINE_LEAD_RE = re.compile(
    r"^(?:(?:posted|written|reported|words|story|photos?|text)\s+by|by|authors?\s*:|authors?\b|"
    r"por|von|oleh|par|автор\s*:?|текст\s*:?|(?-i:di))\s*:?\s+", _I)
BYLINE_EMAIL_RE = re.compile(
    r"\[?\s*\[?\s*e-?mail(?:\s|&nbsp;|&#160;)*protected\s*\]?\s*\]?"
    r"|\(?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\)?|\[\s*\]|\(\s*\)", _I)
BYLINE_AGENCY_PREFIX_RE = re.compile(r"^\([^()]{1,30}=[^()]{1,30}\)\s*")  # "(서울=연합뉴스)"
BYLINE_TAIL_RE = re.compile(
    r"\s*(?:\||\s[-–—]\s).*$"                        # "| Staff Writer", " - Reuters"
    r"|\s+(?:on|at|updated|published|posted)\b.*\d.*$", _I)  # "on May 3, 2011 at 9:15 pm"
BYLINE_TITLE_RE = re.compile(r"\s*(?:기자|특파원|記者|特派員)(?:\s*=.*)?$")
BYLINE_SEPARATOR_RE = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b)\s*")

# --------------------------------------------------------------------------------------------
# Chrome lines
# --------------------------------------------------------------------------------------------

# Whole-line labels of navigation and widgets (an optional ":" may follow).
CHROME_LABELS = (
    "skip to content", "skip to main content", "skip navigation", "jump to", "menu", "main menu",
    "top menu", "close", "search", "search for", "search for:", "toggle navigation",
    "back to top", "go to top", "next", "previous", "prev", "more", "show more", "load more",
    "see more", "view more", "view all", "see all", "home", "print", "email", "e-mail", "share",
    "share this", "share this article", "share this story", "share this page", "tweet",
    "pin it", "whatsapp", "facebook", "twitter", "linkedin", "reddit", "copy link",
    "link copied", "short url", "print dictionary print", "font size", "text size", "listen",
    "listen to article", "listen to this article", "advertisement",
    "advertisement - scroll to continue", "ad", "ads", "sponsored", "sponsored content",
    "article continues below", "article continues below advertisement",
    "article continues below this advertisement", "story continues below",
    "story continues below advertisement", "story continues below this advertisement",
    "scroll to continue", "scroll to continue with content", "continue reading",
    "continue reading the story", "continue reading the main story", "continue reading below",
    "read more", "read full story", "related", "related article", "related articles",
    "related stories", "related content", "related news", "you may also like",
    "you might also like", "recommended", "recommended for you", "trending", "trending now",
    "most read", "most popular", "popular", "latest", "latest news", "top stories",
    "editor's picks", "editors picks", "don't miss", "dont miss", "also read", "see also",
    "read comments", "comment", "comments", "leave a comment", "post a comment",
    "add a comment", "join the conversation", "show comments", "hide comments", "subscribe",
    "subscribe now", "sign in", "sign up", "log in", "login", "log out", "logout", "register",
    "my account", "newsletter", "newsletters", "get newsletters & alerts sign up", "cancel",
    "ok", "accept", "accept all", "accept cookies", "i agree", "got it", "manage subscription",
    "manage your subscription", "tag", "tags", "tag:", "tags:", "topic", "topics", "topic:",
    "topics:", "filed under", "filed under:", "categories", "categories:", "photo", "photos",
    "video", "videos", "gallery", "image", "images", "watch", "watch live", "live",
    "lihat juga", "baca juga", "leia também", "leia mais", "veja também", "veja mais",
    "compartilhe", "compartilhar", "lesen sie auch", "mehr zum thema", "teilen", "leggi anche",
    "condividi", "lee también", "compartir", "читайте также", "поделиться", "комментарии",
    "sharing is caring", "sharing is caring!", "관련기사", "관련 기사", "이 기사를 추천합니다",
    "공유하기", "関連記事", "シェア", "ツイート",
)
_NETWORKS = (r"(?:facebook|twitter|x|reddit|linkedin|pinterest|whatsapp|email|e-mail|print|"
             r"copy link|messenger|telegram|flipboard|tumblr|sms|comments?)")
_NETWORK_SEP = r"\s*[|/,·•]?\s*"
CHROME_STARTS = [
    # labels written with a variable part
    Start(("share on ",), r"\w+\s*:?$"),
    Start(("more from ", "more on "), r"[\w .&'-]{1,40}\s*:?$"),
    Start(("loading",), r"\.*\s*:?$"),
    Start((r"\d+",), r" comments?\s*:?$", keys=_DIGITS),
    # share / social bars: several network names on one line
    Start(("share",), r"(?: on| this| via)?:?\s*(?:" + _NETWORKS + _NETWORK_SEP + "){2,}$"),
    Start(("facebook", "twitter", "x", "reddit", "linkedin", "pinterest", "whatsapp", "email",
           "e-mail", "print", "copy link", "messenger", "telegram", "flipboard", "tumblr", "sms",
           "comments", "comment"), _NETWORK_SEP + "(?:" + _NETWORKS + _NETWORK_SEP + "){1,}$"),
    Start(("share on", "share via", "share this", "share to"), r"\b.{0,60}$"),
    Start(("share", "tweet", "email", "print"), r"(?:\s*[|/]\s*\w+){1,}$"),
    # inline teasers and link lists: "READ MORE: <headline>"
    Start(("read", "see", "watch", "listen"), r"(?: also| more| next| this)?\s*[:|>»-]\s*.{1,200}$"),
    Start(("related", "recommended", "more", "also", "opinion", "analysis", "video", "watch",
           "listen"),
          r"(?: (?:post|article|story|stories|content|reading|coverage|video)s?)?\s*:\s*.{1,200}$"),
    Start(("leia também", "veja também", "lesen sie auch", "leggi anche", "baca juga",
           "lihat juga", "читайте также", "관련기사", "関連記事"), r"\s*[:：]?.{0,200}$"),
    # copyright and legal (a copyright notice inside a longer line: CHROME_GATED)
    Start(("copyright", r"\(c\)", "©", "all rights reserved", "todos os direitos reservados",
           "alle rechte vorbehalten", "tutti i diritti riservati", "hak cipta"), r".{0,200}$"),
    Start((r"terms (?:of (?:use|service)|& conditions|and conditions)", "privacy policy",
           "cookie policy", "about us", "contact us", "advertise with us", "careers", "sitemap",
           "site map", "accessibility", "adchoices", r"do not sell my (?:personal )?info(?:rmation)?"),
          "$"),
    Start(("subscribe", "sign up", "register", "log in", "login", "already a subscriber",
           "become a member", r"support (?:our|independent) journalism",
           r"get (?:unlimited )?(?:digital )?access", "you have reached", "you've reached",
           r"this (?:article|content) is (?:for|available to) (?:subscribers|members)"),
          r"\b.{0,160}$"),
    Start((r"to (?:write|post|leave|read) (?:a )?comments?", r"log in to (?:comment|twitter)",
           r"please (?:log|sign) in", "you must be logged in", "comments are closed",
           r"comments? (?:have been|are) (?:closed|disabled)", "be the first to comment",
           r"what do you think\??", "have your say", "join the discussion"), r".{0,120}$"),
    Start(("send to email address", "post was not sent", "email check failed",
           "sorry, your blog cannot share"), r".{0,120}$"),
    Start(("follow us", r"follow (?:us )?on", "like us on", "connect with us", "find us on"),
          r"\b.{0,80}$"),
    # breadcrumbs: "Home > National > North Korea", "Home / News / World"
    Start(("home", "início", "inicio", "startseite", "beranda", "главная", "홈"),
          r"\s*(?:[>»/|›]\s*[^>»/|›]{1,40}){1,6}$"),
    # picture credits and caption tails
    Start(("photo", "image", "picture", "foto", "video", "graphic", "illustration", "source",
           "credit", "fonte", "sumber", "фото", "사진", "写真"), r"\s*(?:credit)?\s*[:：|/-].{0,160}$"),
    # gallery captions "1of4A shopper looks at ..."
    Start((r"\d{1,3}",), r"\s*(?:of|/)\s*\d{1,3}(?=\S)", keys=_DIGITS),
    # Korean portal boilerplate
    Start((r"\(예시\)",), r".{0,300}$"),
    Start(("본문 글씨", "글씨 크기", "기사 듣기", "프린트", "스크랩", "좋아요", "댓글", "구독"), r".{0,20}$"),
]
CHROME_START = LineStart(CHROME_STARTS, CHROME_LABELS)
# Chrome lines are short; a longer line is only checked against CHROME_GATED.
CHROME_MAX_CHARS = 400

# Labels of link boxes: the short lines under them, up to the next paragraph, are links.
LINK_LABEL = LineStart(
    [Start((r"more (?:from|on|in) ",), r".{1,40}\s*:?$")],
    ("related", "related article", "related articles", "related stories", "related content",
     "related news", "related coverage", "related links", "read more", "you may also like",
     "you might also like", "recommended", "recommended for you", "see also", "also read",
     "trending", "trending now", "most read", "most popular", "latest", "latest news",
     "top stories", "editor's picks", "editors picks", "leia também", "veja também",
     "lesen sie auch", "leggi anche", "baca juga", "lihat juga", "читайте также", "관련기사",
     "関連記事"))

# Chrome shapes that must scan the line (a credit or notice anywhere in it, an ellipsis at the
# end). A scanning pattern backtracks over every position, so each one runs only when cheap
# tests pass: (max_chars, the longest line it can match, or None; needles, one of which the
# lowercased line must contain, or (); endings, one of which the line must end with, or ();
# pattern).
CHROME_GATED = [
    # copyright notices inside a longer footer line
    (220, ("all rights reserved", "무단전재", "재배포 금지", "無断転載", "版权所有"), (),
     re.compile(r"^.{0,120}(?:all rights reserved|무단전재|재배포 금지|無断転載|版权所有)\.?.{0,80}$",
                _I)),
    # newsletter prompts
    (320, ("newsletter", "inbox"), (),
     re.compile(r"^.{0,80}\b(?:sign up for (?:our|the) .{0,40}newsletter|subscribe to (?:our|the) "
                r".{0,40}newsletter|get (?:our|the) .{0,30}newsletter|delivered to your inbox)"
                r"\b.{0,120}$", _I)),
    # cookie notices, wherever the sentence stands
    (None, ("cookie", "by continuing to"), (),
     re.compile(r"\b(?:we use cookies|this (?:web)?site uses cookies|use of cookies|"
                r"cookie settings|by continuing to (?:use|browse)|accept (?:all )?cookies|"
                r"manage cookies)\b", _I)),
    # picture credits closing a caption: "(Photo: Jane Doe)", "Jane Doe/Getty Images"
    (300, (), (")",), re.compile(r"^.{0,200}\((?:photo|image|picture|foto)\b[^)]{0,80}\)$", _I)),
    (300, ("getty images", "reuters/", "ap photo/", "shutterstock", "istock"), (),
     re.compile(r"^.{0,200}\b(?:getty images|reuters/[\w .-]+|ap photo/[\w .-]+|"
                r"afp via getty images|shutterstock|istock(?:photo)?)\)?\.?$", _I)),
    # truncated teasers: "The east bridge reopened on Sunday after eight months, the city..."
    (310, (), ("...", "…"), re.compile(r"^.{20,300}\w[,;]?\s*(?:\.\.\.|…)$", _I)),
    # Korean portal font-size widget
    (60, ("글자크기로 변경됩니다",), (), re.compile(r"^.{0,40}글자크기로 변경됩니다\.?$")),
    # the site speaking of itself in its footer: personalisation, corrections and terms notices
    (400, ("site", "policy", "policies", "personali", "community rules", "written permission"), (),
     re.compile(r"^.{0,200}\b(?:(?:registration on|use of) (?:or use of )?this (?:web)?site "
                r"constitutes|by (?:using|continuing to use) (?:this|our) (?:web)?site|"
                r"(?:material|content) on this (?:web)?site (?:may|must|is)|"
                r"(?:find out more|read more|details) "
                r"(?:about|of|in) .{0,40}\bour (?:privacy|cookie|complaints?|editorial|"
                r"corrections?) polic(?:y|ies)|allows .{1,40} to personali[sz]e your experience|"
                r"community rules apply|(?:without|with) (?:the )?prior written permission)\b"
                r".{0,300}$", _I)),
]

# A lone glyph or symbol-only line ("Ƶ", "•", "|", "s").
STRAY_LINE_RE = re.compile(r"^(?:\W{0,6}|\w\W{0,3}|\W{0,3}\w)$")

# Lines after which the article is over (site copyright): the body run must not cross them.
STOP_LINE_RE = re.compile(
    r"^(?:copyright|\(c\)|©).{0,200}(?:all rights reserved|rights reserved|\d{4})"
    r"|all rights reserved\.?$|todos os direitos reservados|alle rechte vorbehalten|"
    r"tutti i diritti riservati|무단전재|無断転載|版权所有",
    _I,
)
# Literal test before STOP_LINE_RE (which scans the line): one of these is in every match.
STOP_LINE_NEEDLES = ("copyright", "(c)", "©", "rights reserved", "direitos reservados",
                     "rechte vorbehalten", "diritti riservati", "무단전재", "無断転載", "版权所有")
# The comment section's heading: the article is over above it (a softer stop than copyright,
# since a comment-count link can also sit in a share bar above the body). The vocabulary of
# blog and news comment systems: "12 Comments", "Comments (12)", "12 Responses to “Title”",
# "12 thoughts on “Title”", "100 of 313 comments loaded", "{ 53 comments… read them below }",
# "45 users responded in “Title”", "Leave a Reply".
_COMMENT_WORDS = (r"(?:comments?|responses?|replies|thoughts|reactions|kommentare|commentaires|"
                  r"comentários|comentarios|commenti|komentar|reacties)")
COMMENTS_HEADING = LineStart(
    [Start((r"\d+",), r"(?: of \d+)? " + _COMMENT_WORDS + r"(?: loaded)?\s*:?$", keys=_DIGITS),
     # (a title after the count, never a sentence: "3 comments on the plan were rejected.")
     Start((r"\d+",), " " + _COMMENT_WORDS + r" (?:to|on|for|in|zu|sur|em|a) .{1,160}(?<![.!?,;])$",
           keys=_DIGITS),
     Start((r"\d+",), r" (?:users?|people|readers?) (?:responded|commented)\b.{0,160}(?<![.!?,;])$",
           keys=_DIGITS),
     Start(("comments", "comment", "responses", "replies", "reactions", "discussion",
            "reader comments", "kommentare", "commentaires", "comentários", "comentarios",
            "commenti", "komentar", "reacties"), r"\s*(?:\(\s*\d+\s*\)|:\s*\d+)$"),
     Start((r"\{",), r"\s*\d+ " + _COMMENT_WORDS + r"\b.{0,80}\}$")],
    ("leave a comment", "post a comment", "add a comment", "join the conversation",
     "leave a reply", "leave a response", "post a reply", "reader comments", "readers' comments",
     "your comments"))
# A bare "Comments" label is a heading too, but also the comment link of a share bar above or
# inside the article: the body never crosses it, yet it does not mark what follows as comments.
COMMENTS_LABEL = LineStart([], (
    "comment", "comments", "show comments", "read comments", "comentários", "comente",
    "comente!", "kommentare", "commenti", "komentar", "комментарии", "댓글", "コメント"))
# A commenter's name line: "Jane Doe says:", "Jane Doe said...", "Jane wrote:".
POST_ATTRIBUTION_RE = re.compile(
    r"^.{1,60}\s(?:says|said|wrote|writes|schreibt|schrieb|disse|dice|escribió|a écrit|scrive)"
    r"\s*(?::|\.\.\.|…)$", _I)
# A heading of the comment section names at most a title besides its count.
COMMENTS_HEADING_MAX_CHARS = 200

# Caption hints: lines that end in a picture agency credit "(AFP)", "(Korean Central News
# Agency-Yonhap)" count as captions only when they also repeat or sit above the body.
# A bare agency tail "(Yonhap)" closing a body paragraph is not a credit: a credit names a photo,
# a file picture or joins agencies ("Korean Central News Agency-Yonhap", "AFP/Getty").
CREDIT_TAIL_RE = re.compile(
    r"\((?:[^()]{0,60}(?:photo|foto|image|file|courtesy|getty|shutterstock|"
    r"[\w.]+\s*[-/]\s*(?:yonhap|afp|ap|reuters|epa|xinhua|getty)))[^()]{0,40}\)\.?$", _I)

# A picture-credit line under a caption: "Natalie Doe | Bloomberg | Getty Images",
# "Photo: Jane Doe/Reuters". The line just above such a credit is the picture's caption; a
# credit-only line is a few words (a longer one is a caption carrying its own credit).
PICTURE_CREDIT_RE = re.compile(
    r"getty images|shutterstock|istock|reuters/|ap photo|afp photo|epa-efe|\bphoto(?:graph)?s?\s*"
    r"(?:credit|by)?\s*[:：|]|\bimage\s*(?:credit)?\s*[:：|]|\bcredit\s*[:：]|\(photo\b|사진=|写真[:：=]",
    _I,
)
PICTURE_CREDIT_MAX_WORDS = 8
# Literal test before PICTURE_CREDIT_RE (lowercased line): one of these is in every match.
PICTURE_CREDIT_NEEDLES = ("getty images", "shutterstock", "istock", "reuters/", "ap photo",
                          "afp photo", "epa-efe", "photo", "image", "credit", "사진=", "写真")

# A wire dateline opening a story: "NEW YORK, March 12 - ", "WOODBRIDGE, N.J., March 23 - ",
# "LONDON, Jun 5 (Yonhap) -- ", "PRETORIA (dpa) - ".
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]*){0,3}(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?)?"
    r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([A-Za-z .]{1,20}\))?\s*(?:-{1,2}|–|—|:)\s")

# Interview questions and answers ("Q: ...", "A: ...") alternate like teaser lists but are body.
QA_LINE = LineStart([Start(("q", "a", "question", "answer", "p", "r", "f", "frage", "antwort"),
                           r"\s*[:.]\s")])

# Site-name suffixes on the <title> line: "Headline | TheHill", "Headline - BBC News".
TITLE_SUFFIX_RE = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$")

# Every literal needle of CHROME_GATED and STOP_LINE_NEEDLES: most lines contain none of them,
# and then only the gated patterns tested by their ending can still match.
ALL_NEEDLES = tuple(sorted({n for _, needles, _, _ in CHROME_GATED for n in needles}
                           | set(STOP_LINE_NEEDLES)))
CHROME_GATED_BY_ENDING = [entry for entry in CHROME_GATED if not entry[1]]
CHROME_GATE_ENDINGS = tuple(e for _, _, endings, _ in CHROME_GATED_BY_ENDING for e in endings)
