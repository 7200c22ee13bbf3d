"""Vocabulary of the dates stage: month and weekday names, publication/modification/event labels,
time-zone abbreviations, list headings and metadata keys, in the languages the archive receives.
Data only: the modules beside it compile it, so a word is added or removed in one place.

Keys are lower case; a trailing "." on abbreviations is matched by the patterns, not listed here.
"""

from __future__ import annotations

# month name (lower case) -> month number. Genitive and accented/unaccented spellings are listed
# because pages write both.
MONTHS: dict[str, int] = {}


def _add(month: int, *names: str) -> None:
    for name in names:
        MONTHS[name] = month


# English, German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian, Finnish, Turkish,
# Indonesian, Hungarian, Polish, Czech, Russian/Ukrainian (nominative and genitive), Arabic.
_add(1, "january", "jan", "januar", "jänner", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "genn",
     "janeiro", "januari", "tammikuuta", "tammikuu", "ocak", "januári", "január", "stycznia", "styczeń",
     "ledna", "leden", "января", "январь", "янв", "січня", "січень", "يناير", "كانون الثاني")
_add(2, "february", "feb", "febr", "februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio",
     "fevereiro", "fev", "februari", "helmikuuta", "helmikuu", "şubat", "subat", "február", "lutego",
     "luty", "února", "únor", "февраля", "февраль", "фев", "лютого", "лютий", "فبراير", "شباط")
_add(3, "march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt",
     "marts", "maaliskuuta", "maaliskuu", "mart", "maret", "március", "marca", "marzec", "března",
     "březen", "марта", "март", "мар", "березня", "березень", "مارس", "آذار")
_add(4, "april", "apr", "avril", "avr", "abril", "abr", "aprile", "aprili", "huhtikuuta", "huhtikuu",
     "nisan", "április", "kwietnia", "kwiecień", "dubna", "duben", "апреля", "апрель", "апр",
     "квітня", "квітень", "أبريل", "ابريل", "إبريل", "نيسان")
_add(5, "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maj", "toukokuuta", "toukokuu", "mayıs",
     "mayis", "május", "maja", "května", "květen", "мая", "май", "травня", "травень", "مايو", "أيار")
_add(6, "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "kesäkuuta", "kesäkuu",
     "haziran", "június", "czerwca", "czerwiec", "června", "červen", "июня", "июнь", "июн", "червня",
     "червень", "يونيو", "يونية", "حزيران")
_add(7, "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "heinäkuuta",
     "heinäkuu", "temmuz", "július", "lipca", "lipiec", "července", "červenec", "июля", "июль", "июл",
     "липня", "липень", "يوليو", "يولية", "تموز")
_add(8, "august", "aug", "août", "aout", "agosto", "ago", "agustus", "augustus", "augusti", "elokuuta",
     "elokuu", "ağustos", "agustos", "augusztus", "sierpnia", "sierpień", "srpna", "srpen", "августа",
     "август", "авг", "серпня", "серпень", "أغسطس", "اغسطس", "آب")
_add(9, "september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set",
     "setembro", "syyskuuta", "syyskuu", "eylül", "eylul", "szeptember", "września", "wrzesień", "září",
     "сентября", "сентябрь", "сен", "сент", "вересня", "вересень", "سبتمبر", "أيلول")
_add(10, "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out",
     "lokakuuta", "lokakuu", "ekim", "október", "października", "październik", "října", "říjen",
     "октября", "октябрь", "окт", "жовтня", "жовтень", "أكتوبر", "اكتوبر", "تشرين الأول")
_add(11, "november", "nov", "novembre", "noviembre", "novembro", "marraskuuta", "marraskuu", "kasım",
     "kasim", "nopember", "listopada", "listopad", "ноября", "ноябрь", "ноя", "листопада", "листопад",
     "نوفمبر", "تشرين الثاني")
_add(12, "december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
     "dicembre", "dezembro", "desember", "december", "joulukuuta", "joulukuu", "aralık", "aralik",
     "grudnia", "grudzień", "prosince", "prosinec", "декабря", "декабрь", "дек", "грудня", "грудень",
     "ديسمبر", "كانون الأول")

# Short forms that are also common words are only accepted when written with a day and a year
# around them (the patterns always require that), so "mar", "set", "out", "ago" stay listed.

# weekday name (lower case) -> ISO weekday (Monday = 1). Used to check a date's own weekday.
WEEKDAYS: dict[str, int] = {}


def _wd(day: int, *names: str) -> None:
    for name in names:
        WEEKDAYS[name] = day


_wd(1, "monday", "mon", "montag", "mo", "lundi", "lun", "lunes", "lunedì", "lunedi", "segunda-feira",
    "segunda", "maandag", "måndag", "mandag", "maanantai", "pazartesi", "senin", "hétfő", "понедельник",
    "الإثنين", "الاثنين", "월요일", "月曜日", "星期一", "thứ hai")
_wd(2, "tuesday", "tue", "tues", "dienstag", "di", "mardi", "mar", "martes", "martedì", "martedi",
    "terça-feira", "terça", "dinsdag", "tisdag", "tirsdag", "tiistai", "salı", "selasa", "kedd",
    "вторник", "الثلاثاء", "화요일", "火曜日", "星期二", "thứ ba")
_wd(3, "wednesday", "wed", "mittwoch", "mi", "mercredi", "mer", "miércoles", "miercoles", "mercoledì",
    "mercoledi", "quarta-feira", "quarta", "woensdag", "onsdag", "keskiviikko", "çarşamba", "rabu",
    "szerda", "среда", "الأربعاء", "الاربعاء", "수요일", "水曜日", "星期三", "thứ tư")
_wd(4, "thursday", "thu", "thur", "thurs", "donnerstag", "do", "jeudi", "jeu", "jueves", "giovedì",
    "giovedi", "quinta-feira", "quinta", "donderdag", "torsdag", "torstai", "perşembe", "kamis",
    "csütörtök", "четверг", "الخميس", "목요일", "木曜日", "星期四", "thứ năm")
_wd(5, "friday", "fri", "freitag", "fr", "vendredi", "ven", "viernes", "venerdì", "venerdi",
    "sexta-feira", "sexta", "vrijdag", "fredag", "perjantai", "cuma", "jumat", "péntek", "пятница",
    "الجمعة", "금요일", "金曜日", "星期五", "thứ sáu")
_wd(6, "saturday", "sat", "samstag", "sonnabend", "sa", "samedi", "sam", "sábado", "sabado", "sabato",
    "zaterdag", "lördag", "lørdag", "lauantai", "cumartesi", "sabtu", "szombat", "суббота", "السبت",
    "토요일", "土曜日", "星期六", "thứ bảy")
_wd(7, "sunday", "sun", "sonntag", "so", "dimanche", "dim", "domingo", "domenica", "zondag", "söndag",
    "søndag", "sunnuntai", "pazar", "minggu", "vasárnap", "воскресенье", "الأحد", "الاحد", "일요일",
    "日曜日", "星期日", "星期天", "chủ nhật")

# Words that say the date next to them is the first publication. Matched as whole words in the
# few dozen characters before a date (or on a short line just above it).
PUBLISHED_LABELS: tuple[str, ...] = (
    "published", "publish date", "publication date", "posted", "posted on", "first published",
    "created", "written", "released", "issued", "date", "dated", "datum",
    "veröffentlicht", "veroeffentlicht", "erstveröffentlichung", "veröffentlichung", "publiziert",
    "erschienen", "erstellt", "eingetragen", "geschrieben", "verfasst", "stand", "gespeichert",
    "publié", "publie", "mis en ligne", "publicado", "publicada", "fecha", "pubblicato", "pubblicata",
    "gepubliceerd", "geplaatst", "publicerad", "publiceret", "julkaistu", "yayınlanma", "yayınlandı",
    "diterbitkan", "dipublikasikan", "opublikowano", "опубликовано", "публикация", "نشر", "تاريخ النشر",
    "입력", "발행", "등록", "작성", "게시", "公開日", "公開", "投稿日", "発行", "发布", "發布", "发表", "發表",
    "登録", "質問日時",
)

# Words that say the date next to them is a later change, not the first publication.
UPDATED_LABELS: tuple[str, ...] = (
    "updated", "update", "last updated", "last modified", "modified", "last revision", "revised",
    # A review or a wiki revision is a later look at the page, not its first publication.
    "reviewed", "last reviewed", "revision", "latest revision",
    "last edited", "edited", "changed", "aktualisiert", "aktualisierung", "letzte aktualisierung",
    "zuletzt aktualisiert", "zuletzt", "geändert", "bearbeitet", "letztes update", "mis à jour",
    "mise à jour", "modifié", "actualizado", "actualizada", "actualización", "aggiornato",
    "aggiornamento", "bijgewerkt", "uppdaterad", "opdateret", "päivitetty", "güncelleme",
    "güncellendi", "diperbarui", "zaktualizowano", "обновлено", "обновлен", "محدثة", "تحديث",
    "수정", "업데이트", "更新", "最終更新", "更新日",
)

# Time-zone abbreviations -> offset in minutes. Only ones that name a single offset are listed
# ("ET", "CT" without a daylight marker are left out: the offset is not known).
ZONES: dict[str, int] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 330, "cet": 60, "mez": 60, "cest": 120,
    "mesz": 120, "eet": 120, "eest": 180, "msk": 180, "sast": 120, "pkt": 300, "wib": 420,
    "sgt": 480, "hkt": 480, "kst": 540, "jst": 540, "aest": 600, "aedt": 660, "nzst": 720,
    "nzdt": 780, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
    "pst": -480, "pdt": -420, "akst": -540, "hst": -600, "brt": -180, "art": -180,
}

# Words that say the date next to them is an event the page announces or reports, not the day
# the page went out ("Termin: 21.02.2020, 19 Uhr", "Deadline: March 31, 2020", "born 3 May 1950").
EVENT_LABELS: tuple[str, ...] = (
    "termin", "termine", "veranstaltungsdatum", "anmeldeschluss", "einsendeschluss", "bewerbungsschluss",
    "frist", "deadline", "event date", "geboren", "gestorben", "born", "died", "date of birth", "expires",
    "gültig bis", "valid until", "fecha del evento",
)

# Nouns by which a page speaks of itself in its publication statement ("Dieser Beitrag wurde am
# 3. Dezember 2011 veröffentlicht", "This entry was posted on Friday, March 3rd, 2017"): with a
# publication label in the same sentence the date is the page's own, wherever the line stands.
SELF_NOUNS: frozenset[str] = frozenset({
    "beitrag", "artikel", "eintrag", "blogbeitrag", "blogeintrag", "text", "entry", "post", "article",
    "story", "billet", "artículo", "articolo",
})

# Prepositions that, right before a date, make it the edge of a span or a reference to another
# day ("zum 28.02.2017 gekündigt", "until March 31, 2020", "seit dem 1. Mai 2019"). "am"/"on"
# are not listed: "am 20.09.2020" and "on May 3, 2020" are how date lines are written too.
EVENT_PREPOSITIONS: frozenset[str] = frozenset({
    "zum", "bis", "ab", "seit", "vom", "nach", "vor", "until", "till", "since", "from", "before", "after",
    "through", "depuis", "jusqu", "avant", "après", "hasta", "desde", "antes", "después", "fino",
    "dal", "dalla", "prima",
})

# Country-code domains of countries that write numeric dates day first (17/10/2023) or month
# first (10/17/2023): a site's domain is evidence for how it writes an ambiguous one. Generic
# domains (.com, .org, .net) and two-letter domains sold as brands (.io, .co, .tv, .me, .fm, .ai)
# say nothing, nor do countries that write both (.ca) or year first (.jp, .cn, .kr, .hu, .lt).
DAY_FIRST_TLDS: frozenset[str] = frozenset({
    "uk", "ie", "de", "at", "ch", "fr", "be", "nl", "lu", "es", "pt", "it", "dk", "no", "se", "fi",
    "is", "pl", "cz", "sk", "si", "hr", "rs", "ba", "ro", "bg", "gr", "cy", "mt", "tr", "ru", "ua",
    "by", "ee", "lv", "au", "nz", "in", "pk", "bd", "lk", "np", "za", "ng", "ke", "gh", "ug", "tz",
    "zw", "zm", "eg", "ma", "tn", "dz", "il", "ae", "sa", "qa", "kw", "om", "bh", "jo", "lb", "ir",
    "iq", "br", "ar", "cl", "pe", "uy", "py", "bo", "ec", "ve", "mx", "gt", "cr", "pa", "do",
    "cu", "id", "my", "sg", "hk", "th", "vn", "eu",
})
MONTH_FIRST_TLDS: frozenset[str] = frozenset({"us", "gov", "mil", "edu", "ph"})


# Labels written after the date ("... am 3. Mai 2019 veröffentlicht"): German puts the verb last.
TRAILING_LABELS: dict[str, str] = {
    "veröffentlicht": "pub", "publiziert": "pub", "gespeichert": "pub", "erstellt": "pub",
    "geändert": "upd", "aktualisiert": "upd",
}

# The line under a reader comment's stamp ("Agi Joe sagt:") and the words after it ("... Reply").
COMMENT_SAYS: tuple[str, ...] = ("sagt:", "says:", "schreibt:", "writes:", "wrote:", "dit :", "dit:", "dice:",
                                 "skriver:", "zegt:")
COMMENT_WORDS: frozenset[str] = frozenset({"reply", "antworten", "répondre", "responder", "rispondi", "antwoorden",
                                           "svara"})

# Headings of the dated lists pages carry around an article: their dates belong to other pages.
# Regular-expression fragments, matched case-insensitively as a whole line; each opens with a
# letter (or "\d" for a count), which the heading pattern's first-letter lookahead relies on.
LIST_HEADINGS: tuple[str, ...] = (
    r"trending(?: now)?", r"most (?:read|popular|viewed|shared)", r"related(?: (?:stories|articles|news))?",
    r"latest(?: news| stories)?", r"more (?:stories|news|from [^\n]{0,30})", "popular", "recommended",
    "top stories", "comments?", "you may also like", "read more", "meistgelesen", "mehr zum thema",
    "das könnte sie auch interessieren", "lire aussi", "à lire aussi", "les plus lus", "lo más leído",
    "più letti",
    # Blog sidebars and German "more" boxes (WordPress widgets and their translations).
    "related posts", "recent posts", "latest posts", r"similar (?:articles|posts)", "see also", "archives?",
    "recent comments", r"ähnliche (?:artikel|beiträge|themen)",
    r"weitere (?:artikel|beiträge|meldungen|nachrichten|themen)", r"verwandte (?:artikel|beiträge)",
    r"neueste (?:artikel|beiträge)", r"letzte (?:artikel|beiträge|kommentare)",
    r"aktuelle (?:artikel|beiträge|meldungen)", "siehe auch", "auch interessant",
    "das könnte dich auch interessieren", "kommentare", "archiv",
    # Source lists: their "(Stand: 27.1.2022)" and "published" dates are the cited pages' own.
    "quellen", "quellenangaben", "literatur", "einzelnachweise", "weblinks", "sources", "references",
    "bibliography", "footnotes", "fußnoten", "références",
    # Blog comment sections: "3 Gedanken zu “Über uns”", "12 thoughts on “...”", "One response to ...".
    r"\d+ (?:gedanken|kommentare|antworten|thoughts|responses|comments|replies|réponses|commentaires)"
    r" (?:zu|on|to|à|sur)\b[^\n]{0,120}",
    r"ein (?:gedanke|kommentar) zu\b[^\n]{0,120}", r"eine antwort zu\b[^\n]{0,120}",
    r"one (?:thought|response|comment|reply) (?:on|to)\b[^\n]{0,120}",
)

# HTML <meta> names/properties (lower case) that carry the first publication date. Modification
# keys (article:modified_time, dateModified) are left out on purpose: a change is not the event.
META_PUBLISHED: frozenset[str] = frozenset({
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "published",
    "dc.date.issued", "dc.date.created", "dc.date", "dcterms.date", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "article_date_original", "originalpublicationdate",
    "cxenseparse:recs:publishtime", "datecreated", "citation_publication_date", "citation_date",
    "date.available", "article.created", "created", "release_date", "displaydate", "dc.created",
})
