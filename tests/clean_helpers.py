"""Shared helpers of the clean stage's tests (hand-written fixtures only)."""

from __future__ import annotations

from pathlib import Path

from newsarchive.clean import CleanConfig, clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
CONFIG = CleanConfig()


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def clean(page_text: str, templates=None, config: CleanConfig = CONFIG):
    return clean_text(page_text, templates=templates, config=config)


# A site whose every page prints the same comment policy after a short article.
POLICY = [
    "Comment policy: we welcome your views on our stories, but comments are moderated before "
    "they appear and we remove anything that is abusive, off-topic, defamatory or that discloses "
    "personal information about other readers or our staff.",
    "Keep it civil: personal attacks, name-calling and threats of any kind will be removed, and "
    "readers who break this rule repeatedly will lose the right to comment.",
    "Stay on topic: comments about other stories, advertising and links to commercial sites will "
    "be deleted without notice.",
    "Do not post anything you would not say in public under your own name.",
    "By commenting you agree that we may edit or remove your comment and publish it in print.",
    "Questions about moderation go to the readers' editor.",
]


_STORIES = [
    ("The council voted on Tuesday to close the old swimming pool at the end of the summer",
     "Repairs to the roof would have cost more than a new building, the treasurer said."),
    ("Flooding on the river road kept the school buses away for a second day running",
     "Parents drove their children the long way round through the hills instead."),
    ("A bakery on Mill Street won the regional prize for its rye bread this weekend",
     "The owners said they would keep the recipe their grandmother brought from the north."),
    ("Police are asking for witnesses after a tractor was taken from a farm near the ford",
     "It was found two days later in a field, undamaged, with a full tank of diesel."),
    ("The library will open on Sundays from March, after volunteers offered to staff it",
     "Opening hours on weekdays stay the same, the librarian told the parish meeting."),
    ("Work on the new footbridge over the canal has been delayed by a shortage of steel",
     "The contractor now expects to finish in the autumn instead of the spring."),
    ("The valley choir sang at the cathedral for the first time in thirty years",
     "More than four hundred people came, and the collection went to the hospice."),
    ("A survey of the old quarry found nesting peregrine falcons on its northern face",
     "Climbers have been asked to keep away from that part of the rock until July."),
    ("Bus fares to the market town will rise by ten pence from the first of the month",
     "The operator blamed the price of fuel and the end of a regional subsidy."),
    ("The summer fair raised a record sum for the air ambulance despite the rain",
     "Organisers thanked the farmers who lent their barns when the storm arrived."),
]


def policy_story(k: int) -> list[str]:
    """Two paragraphs of story k (0-9; each story different enough not to be a duplicate)."""
    lead, second = _STORIES[k % len(_STORIES)]
    return [f"{lead}, and residents who spoke at the meeting said they had expected it for years.",
            f"{second} Story number {k}."]


def policy_page(k: int, body: list[str] | None = None) -> str:
    return "\n".join([f"Valley story {k} | Valley Post", "Home", "News", f"Valley story {k}",
                      *(policy_story(k) if body is None else body), "Comments", *POLICY,
                      "© 2024 Valley Post"])
