"""Chrome patterns as data: the line shapes that are page furniture, not article body.

Kept apart from the logic in `clean.py` (like trafilatura's xpaths.py) so a new site quirk is a
one-line change here. Every pattern is matched against one whitespace-collapsed line. Patterns
are deliberately anchored and short-line bound: a body sentence that merely mentions "share" or
"copyright" must never match.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Month names in the languages the archive receives (full and abbreviated).
_MONTHS = (
    r"(?:jan(?:uary|vier|eiro|uar|naio)?|feb(?:ruary|ruar|braio)?|f[ée]v(?:rier|ereiro)?|"
    r"mar(?:ch|s|ço|zo|et)?|m[äa]rz|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai(?:o)?|mei|"
    r"jun(?:e|i|ho|io)?|juin|giu(?:gno)?|jul(?:y|i|ho)?|juil(?:let)?|lug(?:lio)?|"
    r"aug(?:ust)?|ago(?:sto)?|agu(?:stus)?|ao[uû]t|sep(?:t(?:ember|embre|embro)?)?|set(?:embro|tembre)?|"
    r"oct(?:ober|obre)?|okt(?:ober)?|out(?:ubro)?|ott(?:obre)?|nov(?:ember|embre|embro)?|"
    r"dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember|embro)?|dic(?:embre)?|des(?:ember)?|"
    r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|"
    r"октябр[яь]|ноябр[яь]|декабр[яь])\.?"
)
_WEEKDAYS = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?|"
    r"(?:segunda|terça|quarta|quinta|sexta)(?:-feira)?|sábado|domingo|"
    r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)|"
    r"(?:luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica)|"
    r"(?:senin|selasa|rabu|kamis|jumat|sabtu|minggu)"
)

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
DATE_LINE_MAX_WORDS = 14

# "By Yonhap", "BY MICHAEL LEE [...]", "Written by ...", "Por Fulano", "Von ...", "Oleh ...".
BYLINE_RE = re.compile(
    r"^(?:by|written\s+by|reported\s+by|words\s+by|story\s+by|author:?|authors:?|"
    r"por|von|di|oleh|par|автор:?|текст:?)\s+\S",
    _I,
)
# Korean / Japanese reporter credits: "홍길동 기자", "(서울=연합뉴스) 홍길동 기자 =", "記者".
BYLINE_CJK_RE = re.compile(r"^[\w\s=()]{0,30}(?:기자|특파원|記者|特派員)(?:\s*=|\s*[\w.@-]+)?$")
BYLINE_MAX_WORDS = 12

# Lines that are chrome whatever their position: matched against the whole line.
CHROME_LINE_RES = [
    re.compile(p, _I)
    for p in (
        # navigation and widgets
        r"^(?:skip to (?:main )?content|skip navigation|jump to|menu|main menu|top menu|close|"
        r"search|search for:?|toggle navigation|back to top|go to top|next|previous|prev|more|"
        r"show more|load more|see more|view more|view all|see all|home|print|email|e-mail|"
        r"share|share this|share this (?:article|story|page)|share on \w+|tweet|pin it|whatsapp|"
        r"facebook|twitter|linkedin|reddit|copy link|link copied|short url|"
        r"print dictionary print|font size|text size|listen|listen to (?:this )?article|"
        r"advertisement|advertisement - scroll to continue|ad|ads|sponsored|sponsored content|"
        r"(?:article|story) continues below(?: (?:this )?advertisement)?|"
        r"scroll to continue(?: with content)?|continue reading(?: the (?:main )?story| below)?|"
        r"read more|read full story|"
        r"related|related articles?|related stories|related content|related news|"
        r"more (?:from|on) [\w .&'-]{1,40}|you may also like|you might also like|recommended|"
        r"recommended for you|trending|trending now|most read|most popular|popular|latest|"
        r"latest news|top stories|editor'?s picks|don'?t miss|also read|see also|"
        r"read comments|comments?|\d+ comments?|leave a comment|post a comment|add a comment|"
        r"join the conversation|show comments|hide comments|"
        r"subscribe|subscribe now|sign in|sign up|log ?in|log ?out|register|my account|"
        r"newsletter|newsletters|get newsletters & alerts sign up|cancel|ok|accept|"
        r"accept all|accept cookies|i agree|got it|manage (?:your )?subscription|"
        r"tags?:?|topics?:?|filed under:?|categories:?|loading\.*|"
        r"photo|photos|video|videos|gallery|image|images|watch|watch live|live|"
        r"lihat juga|baca juga|leia (?:também|mais)|veja (?:também|mais)|compartilhe|"
        r"compartilhar|lesen sie auch|mehr zum thema|teilen|leggi anche|condividi|"
        r"lee también|compartir|читайте также|поделиться|комментарии|"
        r"sharing is caring!?|관련기사|관련 기사|이 기사를 추천합니다|공유하기|関連記事|シェア|"
        r"ツイート)\s*:?$",
        # share / social bars: several network names on one line
        r"^(?:share(?: on| this| via)?:?\s*)?(?:(?:facebook|twitter|x|reddit|linkedin|"
        r"pinterest|whatsapp|email|e-mail|print|copy link|messenger|telegram|flipboard|"
        r"tumblr|sms|comments?)\s*[|/,·•]?\s*){2,}$",
        r"^share (?:on|via|this|to)\b.{0,60}$",
        r"^(?:share|tweet|email|print)(?:\s*[|/]\s*\w+){1,}$",
        # inline teasers and link lists: "READ MORE: <headline>"
        r"^(?:read|see|watch|listen)(?: also| more| next| this)?\s*[:|>»-]\s*.{1,200}$",
        r"^(?:related|recommended|more|also|opinion|analysis|video|watch|listen)"
        r"(?: (?:post|article|story|stories|content|reading|coverage|video)s?)?\s*:\s*.{1,200}$",
        r"^(?:leia também|veja também|lesen sie auch|leggi anche|baca juga|lihat juga|"
        r"читайте также|관련기사|関連記事)\s*[:：]?.{0,200}$",
        # copyright and legal (a copyright notice inside a longer line: CHROME_GATED)
        r"^(?:copyright|\(c\)|©|all rights reserved|todos os direitos reservados|"
        r"alle rechte vorbehalten|tutti i diritti riservati|hak cipta).{0,200}$",
        r"^(?:terms (?:of (?:use|service)|& conditions|and conditions)|privacy policy|"
        r"cookie policy|about us|contact us|advertise with us|careers|sitemap|site map|"
        r"accessibility|adchoices|do not sell my (?:personal )?info(?:rmation)?)$",
        r"^(?:subscribe|sign up|register|log in|login|already a subscriber|become a member|"
        r"support (?:our|independent) journalism|get (?:unlimited )?(?:digital )?access|"
        r"you have reached|you've reached|this (?:article|content) is (?:for|available to) "
        r"(?:subscribers|members))\b.{0,160}$",
        r"^(?:to (?:write|post|leave|read) (?:a )?comments?|log in to (?:comment|twitter)|"
        r"please (?:log|sign) in|you must be logged in|comments are closed|"
        r"comments? (?:have been|are) (?:closed|disabled)|be the first to comment|"
        r"what do you think\??|have your say|join the discussion).{0,120}$",
        r"^(?:send to email address|post was not sent|email check failed|sorry, your blog "
        r"cannot share).{0,120}$",
        r"^(?:follow us|follow (?:us )?on|like us on|connect with us|find us on)\b.{0,80}$",
        # breadcrumbs: "Home > National > North Korea", "Home / News / World"
        r"^(?:home|início|inicio|startseite|beranda|главная|홈)\s*(?:[>»/|›]\s*[^>»/|›]{1,40}){1,6}$",
        # picture credits and caption tails
        r"^(?:photo|image|picture|foto|video|graphic|illustration|source|credit|fonte|"
        r"sumber|фото|사진|写真)\s*(?:credit)?\s*[:：|/-].{0,160}$",
        # gallery captions "1of4A shopper looks at ..."
        r"^\d{1,3}\s*(?:of|/)\s*\d{1,3}(?=\S)",
        # Korean portal boilerplate
        r"^\(예시\).{0,300}$",
        r"^(?:본문 글씨|글씨 크기|기사 듣기|프린트|스크랩|좋아요|댓글|구독).{0,20}$",
    )
]

# Labels of link boxes: the short lines under them, up to the next paragraph, are links.
LINK_LABEL_RE = re.compile(
    r"^(?:related(?: articles?| stories| content| news| coverage| links)?|read more|"
    r"more (?:from|on|in) .{1,40}|you may also like|you might also like|recommended"
    r"(?: for you)?|see also|also read|trending(?: now)?|most read|most popular|"
    r"latest(?: news)?|top stories|editor'?s picks|leia também|veja também|"
    r"lesen sie auch|leggi anche|baca juga|lihat juga|читайте также|관련기사|関連記事)\s*:?$",
    _I,
)

# The hot path of the text cleaner: every pattern above opens with a fixed word, so they are
# joined into one `match` tried at the line start only.
CHROME_START_RE = re.compile("|".join(f"(?:{p.pattern[1:]})" for p in CHROME_LINE_RES), _I)
# Chrome lines are short; a longer line is only checked against CHROME_GATED.
CHROME_MAX_CHARS = 400


def match_prefixes(pattern: re.Pattern, k: int = 2) -> frozenset[str] | None:
    """Every lower-cased string of up to `k` characters that a match of `pattern` (an
    IGNORECASE pattern used with `match`) can open with, as far as a line opening with ASCII
    goes: character classes are enumerated over ASCII only, so a line opening with a
    non-ASCII character must always be tried. Strings shorter than `k` are whole matches or
    matches that may end there. None when the set cannot be bounded (`.` or a negated class
    within the first `k` characters, a possibly empty match)."""
    from re import _constants as c
    from re import _parser

    ascii_chars = [chr(x) for x in range(128)]
    categories = {c.CATEGORY_DIGIT: [x for x in ascii_chars if x.isdigit()],
                  c.CATEGORY_SPACE: [x for x in ascii_chars if x.isspace()],
                  c.CATEGORY_WORD: [x for x in ascii_chars if x.isalnum() or x == "_"]}

    def done(h):  # long enough, or opening with non-ASCII (such lines are always tried)
        return len(h) >= k or (h != "" and not h[0].isascii())

    def seq(items, heads):
        for item in items:
            if all(map(done, heads)):
                return heads
            got = one(item)
            if got is None:
                return None
            heads = {h if done(h) else (h + g)[:k] for h in heads for g in got}
        return heads

    def one(item):
        op, av = item
        if op is c.LITERAL:
            return {chr(av).lower()}
        if op is c.IN:
            out = set()
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    out.add(chr(sub_av).lower())
                elif sub_op is c.RANGE and sub_av[1] - sub_av[0] <= 256:
                    out.update(chr(x).lower() for x in range(sub_av[0], sub_av[1] + 1))
                elif sub_op is c.CATEGORY and sub_av in categories:
                    out.update(x.lower() for x in categories[sub_av])
                else:
                    return None
            return out
        if op is c.BRANCH:
            out = set()
            for alt in av[1]:
                got = seq(alt, {""})
                if got is None:
                    return None
                out |= got
            return out
        if op is c.SUBPATTERN:
            return seq(av[-1], {""})
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = av
            body = seq(sub, {""})
            if body is None:
                return None
            out, heads = set(), {""}
            for n in range(min(hi, k) + 1):
                if n >= lo:
                    out |= heads
                heads = {h if done(h) else (h + g)[:k] for h in heads for g in body}
            return out | {h for h in heads if done(h)}
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return {""}
        return None

    heads = seq(_parser.parse(pattern.pattern, pattern.flags), {""})
    if heads is None or "" in heads:
        return None
    return frozenset(heads)



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
# The comment section's heading: the article is over above it (a softer stop than copyright,
# since a comment-count link can also sit in a share bar above the body).
COMMENTS_HEADING_RE = re.compile(
    r"^(?:comments?|\d+ comments?|leave a comment|post a comment|add a comment|"
    r"join the conversation|show comments|read comments|comentários|comente!?|kommentare|"
    r"commenti|komentar|комментарии|댓글|コメント)\s*:?$",
    _I,
)
# Literal test before STOP_LINE_RE (which scans the line): one of these is in every match.
STOP_LINE_NEEDLES = ("copyright", "(c)", "©", "rights reserved", "direitos reservados",
                     "rechte vorbehalten", "diritti riservati", "무단전재", "無断転載", "版权所有")

# A bulleted standfirst / summary point directly under a headline.
BULLET_RE = re.compile(r"^(?:[-•·*▪●◦‣]|\d{1,2}[.)])\s+")

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

# Wire lead-ins that may open a paragraph and must stay: "SEOUL:", "MOSCOW (AP) —".
WIRE_LEAD_RE = re.compile(r"^[A-Z][A-Z .,'-]{1,40}(?:\([A-Za-z .]{1,20}\))?\s*(?::|—|–|-)\s")

# Interview questions and answers ("Q: ...", "A: ...") alternate like teaser lists but are body.
QA_LINE_RE = re.compile(r"^(?:q|a|question|answer|p|r|f|frage|antwort)\s*[:.]\s", _I)

# Site-name suffixes on the <title> line: "Headline | TheHill", "Headline - BBC News".
TITLE_SUFFIX_RE = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$")

# Every literal needle of CHROME_GATED and STOP_LINE_NEEDLES: most lines contain none of them,
# and then only the gated patterns tested by their ending can still match.
ALL_NEEDLES = tuple(sorted({n for _, needles, _, _ in CHROME_GATED for n in needles}
                           | set(STOP_LINE_NEEDLES)))
CHROME_GATED_BY_ENDING = [entry for entry in CHROME_GATED if not entry[1]]
CHROME_GATE_ENDINGS = tuple(e for _, _, endings, _ in CHROME_GATED_BY_ENDING for e in endings)

# Possible openings (two characters, lower case) of the anchored patterns, for lines opening
# with ASCII (see match_prefixes): most lines open otherwise and skip the pattern.
CHROME_START_PREFIXES = match_prefixes(CHROME_START_RE)
BYLINE_PREFIXES = match_prefixes(BYLINE_RE)
COMMENTS_HEADING_PREFIXES = match_prefixes(COMMENTS_HEADING_RE)
LINK_LABEL_PREFIXES = match_prefixes(LINK_LABEL_RE)
QA_LINE_PREFIXES = match_prefixes(QA_LINE_RE)
# The first three letters of every month name of DATE_RE (ASCII-led ones; a word opening
# with another letter may always be one). DATE_RE's month forms need a year: a line without
# four digits in a row, or without a word opening so, can only match a numeric form.
DATE_MONTH_STEMS = match_prefixes(re.compile(_MONTHS, _I), 3)
DATE_NUMERIC_HINT_RE = re.compile(r"\d[-/.]\d|\d\s*[년年]")
